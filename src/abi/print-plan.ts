/**
 * A stable text form of plans, for golden files (`generated/plans`) and debugging.
 */
import type { Resolve, Type } from '../wit/model.js';
import { blocksOf } from './machine.js';
import type { Instruction } from './instructions.js';
import type { FunctionPlan } from './plan.js';

/** Renders a plan: a header with the core signature, then one instruction per line. */
export function printPlan(plan: FunctionPlan, resolve: Resolve): string {
  const lines: string[] = [];
  const sig = `(${plan.coreParams.join(', ')}) -> (${plan.coreResults.join(', ')})`;
  lines.push(`${plan.direction} ${plan.func.name} as "${plan.coreName}" ${sig}`);
  const notes: string[] = [`encoding=${plan.encoding}`];
  if (plan.spilledParams) notes.push('params spilled');
  if (plan.spilledResults) notes.push(plan.direction === 'export' ? 'results via return pointer' : 'results via retptr param');
  if (plan.usesRealloc) notes.push('uses realloc');
  if (plan.postReturn) notes.push(`post-return "${plan.postReturn}"`);
  lines.push(`  ; ${notes.join(', ')}`);
  printBody(plan.body, resolve, '  ', lines);
  return lines.join('\n') + '\n';
}

function printBody(body: readonly Instruction[], resolve: Resolve, indent: string, out: string[]): void {
  for (const inst of body) {
    out.push(indent + describe(inst, resolve));
    blocksOf(inst).forEach((block, i) => {
      out.push(`${indent}  block ${i} -> ${block.results}:`);
      printBody(block.body, resolve, indent + '    ', out);
    });
  }
}

function typeName(t: Type | null, resolve: Resolve): string {
  if (t === null) return '_';
  if (typeof t === 'string') return t;
  const def = resolve.types[t]!;
  return def.name ?? `#${t}`;
}

function describe(inst: Instruction, resolve: Resolve): string {
  const { op, ...rest } = inst as Instruction & Record<string, unknown>;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(rest)) {
    if (k === 'body' || k === 'blocks') continue;
    if (k === 'func') parts.push(`func=${(v as { name: string }).name}`);
    else if (k === 'type' || k === 'resource' || k === 'element') parts.push(`${k}=${typeName(v as Type | null, resolve)}`);
    else if (Array.isArray(v)) parts.push(`${k}=[${v.join(',')}]`);
    else parts.push(`${k}=${String(v)}`);
  }
  return parts.length ? `${op} ${parts.join(' ')}` : op;
}

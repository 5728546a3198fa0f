/**
 * Renders errors for the terminal: WIT diagnostics with their snippets, usage mistakes as one
 * line, never a stack trace for the user's own mistake.
 */
import pc from 'picocolors';
import { WitError, renderDiagnostic } from '../wit/errors.js';
import { PlanError } from '../abi/plan.js';

/** Writes the error to stderr and returns the exit code. */
export function reportError(e: unknown): number {
  const color = process.stderr.isTTY === true && !process.env['NO_COLOR'];
  const red = (s: string) => (color ? pc.red(pc.bold(s)) : s);
  if (e instanceof WitError) {
    for (const d of e.diagnostics) process.stderr.write(`${red('error')}: ${renderDiagnostic(d, e.sourceMap)}\n\n`);
    process.stderr.write(`${e.diagnostics.length} error(s)\n`);
    return 1;
  }
  if (
    e instanceof PlanError ||
    (e instanceof Error && ['UsageError', 'ComponentWitError', 'ComponentDecodeError'].includes(e.name))
  ) {
    process.stderr.write(`${red('error')}: ${e.message}\n`);
    return 1;
  }
  if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    process.stderr.write(`${red('error')}: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`${red('internal error')}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 2;
}

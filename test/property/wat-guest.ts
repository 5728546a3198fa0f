/**
 * A forwarding guest in WAT, generated from the flat core signatures of a world's functions:
 * the export `<pkg>/guest#f` passes its flat params (or the spilled-params pointer) to the import
 * `<pkg>/host` `f`, adding a return area it allocates when the result goes through memory, and
 * returns what the import returned (or the return area). It never looks at the values, so one
 * guest serves every string encoding.
 *
 * Exports besides the functions: `memory` (one page to start with), `cabi_realloc` (a bump
 * allocator that traps on a bad alignment, copies on reallocation and grows memory when needed),
 * a post-return per function that traps unless it gets exactly what the export returned, and
 * the globals `bump` (the allocator's top), `posts` (post-return calls) and `reallocs`.
 */
import type { CoreSig, Flat } from './wit-gen.js';

export interface GuestFunc {
  readonly name: string;
  /** Signature of the export (definitions.py `flatten_functype(…, 'lift')`). */
  readonly lift: CoreSig;
  /** Signature of the import (`flatten_functype(…, 'lower')`). */
  readonly lower: CoreSig;
  /** Size and alignment of the result, for the return area. */
  readonly resultSize: number;
  readonly resultAlign: number;
}

/** Where the allocator starts: nonzero, so that a zero pointer is never a real allocation. */
export const HEAP_START = 16;

const sig = (params: readonly Flat[], results: readonly Flat[]) =>
  `${params.length ? ` (param ${params.join(' ')})` : ''}${results.length ? ` (result ${results.join(' ')})` : ''}`;

/** The equality test of two values of a core type on the stack (NaN equals NaN). */
function same(t: Flat, a: string, b: string): string {
  switch (t) {
    case 'i32':
    case 'i64':
      return `(${t}.eq ${a} ${b})`;
    default:
      // Bits may differ for NaN after a trip through JS: any NaN matches any NaN.
      return `(i32.or (${t}.eq ${a} ${b}) (i32.and (${t}.ne ${a} ${a}) (${t}.ne ${b} ${b})))`;
  }
}

export function guestWat(pkg: string, funcs: readonly GuestFunc[]): string {
  const out: string[] = ['(module'];
  funcs.forEach((f, i) => {
    out.push(
      `  (import "${pkg}/host" "${f.name}" (func $h${i}${sig(f.lower.params, f.lower.results)}))`,
    );
  });
  out.push(
    '  (memory (export "memory") 1)',
    `  (global $bump (export "bump") (mut i32) (i32.const ${HEAP_START}))`,
    '  (global $posts (export "posts") (mut i32) (i32.const 0))',
    '  (global $reallocs (export "reallocs") (mut i32) (i32.const 0))',
    // cabi_realloc(old_ptr, old_size, align, new_size): aligned bump allocation; a reallocation
    // copies min(old, new) bytes into the new block; memory grows as needed.
    '  (func $realloc (export "cabi_realloc") (param $old i32) (param $oldsz i32) (param $align i32) (param $new i32) (result i32)',
    '    (local $p i32) (local $end i32) (local $have i32)',
    '    (global.set $reallocs (i32.add (global.get $reallocs) (i32.const 1)))',
    '    (if (i32.or (i32.eqz (local.get $align)) (i32.or (i32.gt_u (local.get $align) (i32.const 8))',
    '          (i32.and (local.get $align) (i32.sub (local.get $align) (i32.const 1))))) (then unreachable))',
    '    (if (i32.and (i32.eqz (local.get $old)) (i32.ne (local.get $oldsz) (i32.const 0))) (then unreachable))',
    '    (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))',
    '      (i32.sub (i32.const 0) (local.get $align))))',
    '    (local.set $end (i32.add (local.get $p) (local.get $new)))',
    '    (if (i32.lt_u (local.get $end) (local.get $p)) (then unreachable))',
    '    (local.set $have (i32.shl (memory.size) (i32.const 16)))',
    '    (if (i32.gt_u (local.get $end) (local.get $have)) (then',
    '      (if (i32.eq (memory.grow (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))',
    '          (memory.size))) (i32.const -1)) (then unreachable))))',
    '    (if (local.get $old) (then',
    '      (memory.copy (local.get $p) (local.get $old)',
    '        (select (local.get $oldsz) (local.get $new) (i32.lt_u (local.get $oldsz) (local.get $new))))))',
    '    (global.set $bump (local.get $end))',
    '    (local.get $p))',
  );
  funcs.forEach((f, i) => {
    const ps = f.lift.params;
    const rs = f.lift.results;
    // What the export returned, for the post-return check.
    const last = rs[0];
    if (last) out.push(`  (global $last${i} (mut ${last}) (${last}.const 0))`);
    const body: string[] = [];
    const args = ps.map((_, j) => `(local.get ${j})`);
    if (f.lift.spilledResults) {
      body.push(
        `    (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const ${f.resultAlign}) (i32.const ${f.resultSize})))`,
      );
      body.push(`    (call $h${i} ${[...args, '(local.get $ret)'].join(' ')})`);
      body.push(`    (global.set $last${i} (local.get $ret))`);
      body.push(`    (local.get $ret)`);
    } else if (last) {
      body.push(`    (global.set $last${i} (call $h${i} ${args.join(' ')}))`);
      body.push(`    (global.get $last${i})`);
    } else {
      body.push(`    (call $h${i} ${args.join(' ')})`);
    }
    out.push(
      `  (func (export "${pkg}/guest#${f.name}")${sig(ps, rs)}${f.lift.spilledResults ? ' (local $ret i32)' : ''}`,
    );
    out.push(...body);
    out.push('  )');
    // Post-return: gets exactly the core results of the export.
    out.push(`  (func (export "cabi_post_${pkg}/guest#${f.name}")${sig(rs, [])}`);
    if (last)
      out.push(
        `    (if (i32.eqz ${same(last, '(local.get 0)', `(global.get $last${i})`)}) (then unreachable))`,
      );
    out.push('    (global.set $posts (i32.add (global.get $posts) (i32.const 1)))');
    out.push('  )');
  });
  out.push(')');
  return out.join('\n');
}

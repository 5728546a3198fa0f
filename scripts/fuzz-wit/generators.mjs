// Synthetic WIT of a chosen size: one construct repeated or nested `n` times. Used by the mutators
// (as whole inputs or inserted into corpus files) and by the scaling check, which times each
// construct at n, 2n, 4n and 8n.

const pkg = 'package fuzz:gen@1.0.0;\n';

/** `list<list<…u8…>>` nested `n` deep (wrappers cycle through `kinds`). */
export function nestedType(n, kinds = ['list']) {
  let t = 'u8';
  for (let i = 0; i < n; i++) {
    const k = kinds[i % kinds.length];
    if (k === 'tuple') t = `tuple<${t}, u8>`;
    else if (k === 'fixed') t = `list<${t}, 3>`;
    else if (k === 'map') t = `map<string, ${t}>`;
    else if (k === 'result') t = `result<${t}>`;
    else t = `${k}<${t}>`;
  }
  return t;
}

/**
 * Each generator: (n) => text of one `.wit` file. Sizes are chosen so that n = 1 … 10^4 is
 * meaningful; none of them has output (resolved model) growing faster than its input.
 */
export const GENERATORS = {
  /** A type nested n deep (the parser refuses more than 100 levels). */
  'nested-type': (n) => `${pkg}interface i {\n  type t = ${nestedType(n)};\n}\n`,
  'nested-mixed': (n) => `${pkg}interface i {\n  type t = ${nestedType(n, ['option', 'list', 'tuple', 'result', 'fixed', 'map'])};\n}\nworld w { export i; }\n`,
  /** Unbalanced `<`: n opening brackets and nothing else. */
  'open-angles': (n) => `${pkg}interface i {\n  type t = ${'list<'.repeat(n)}u8;\n}\n`,
  /** A chain of aliases t0 = u8, t(k) = list<t(k-1)>: nesting depth n in the model, not the text. */
  'alias-chain': (n) => {
    const lines = ['  type t0 = u8;'];
    for (let i = 1; i < n; i++) lines.push(`  type t${i} = list<t${i - 1}>;`);
    return `${pkg}interface i {\n${lines.join('\n')}\n  f: func(x: t${n - 1});\n}\nworld w { export i; }\n`;
  },
  /** Plain aliases t(k) = t(k-1), declared in reverse order (forward references). */
  'alias-chain-reversed': (n) => {
    const lines = [];
    for (let i = n - 1; i >= 1; i--) lines.push(`  type t${i} = t${i - 1};`);
    lines.push('  type t0 = string;');
    return `${pkg}interface i {\n${lines.join('\n')}\n}\n`;
  },
  /** Interface i(k) uses a type from i(k-1): a `use` chain n long. */
  'use-chain': (n) => {
    const parts = ['interface i0 { type t = u32; }'];
    for (let i = 1; i < n; i++) parts.push(`interface i${i} { use i${i - 1}.{t}; }`);
    return `${pkg}${parts.join('\n')}\nworld w { import i${n - 1}; }\n`;
  },
  /** The same `use` chain declared last-to-first. */
  'use-chain-reversed': (n) => {
    const parts = [];
    for (let i = n - 1; i >= 1; i--) parts.push(`interface i${i} { use i${i - 1}.{t}; }`);
    parts.push('interface i0 { type t = u32; }');
    return `${pkg}${parts.join('\n')}\n`;
  },
  /** n independent interfaces, each with a function, all imported by one world. */
  'many-interfaces': (n) => {
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(`interface i${i} { f: func(a: u32) -> string; }`);
    const imports = [];
    for (let i = 0; i < n; i++) imports.push(`  import i${i};`);
    return `${pkg}${parts.join('\n')}\nworld w {\n${imports.join('\n')}\n}\n`;
  },
  /** world w(k) includes w(k-1); only w0 has an import. */
  'include-chain': (n) => {
    const parts = ['interface i { f: func(); }', 'world w0 { import i; }'];
    for (let i = 1; i < n; i++) parts.push(`world w${i} { include w${i - 1}; }`);
    return `${pkg}${parts.join('\n')}\n`;
  },
  /** n record types with 4 fields each in one interface. */
  'many-types': (n) => {
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(`  record r${i} { a: u8, b: string, c: list<u32>, d: option<s64> }`);
    return `${pkg}interface i {\n${parts.join('\n')}\n}\n`;
  },
  /** One record with n fields, on one line. */
  'long-line': (n) => {
    const fields = [];
    for (let i = 0; i < n; i++) fields.push(`fld${i}: u32`);
    return `${pkg}interface i { record r { ${fields.join(', ')} } }\n`;
  },
  /** One function with n parameters. */
  'many-params': (n) => {
    const params = [];
    for (let i = 0; i < n; i++) params.push(`p${i}: u32`);
    return `${pkg}interface i {\n  f: func(${params.join(', ')});\n}\n`;
  },
  /** A variant with n cases. */
  'many-cases': (n) => {
    const cases = [];
    for (let i = 0; i < n; i++) cases.push(`  c${i}(u${8 << i % 4}),`);
    return `${pkg}interface i {\n  variant v {\n${cases.join('\n')}\n  }\n}\n`;
  },
  /** An item preceded by n `///` lines. */
  'doc-comment': (n) => `${pkg}${'/// documentation line with some words in it\n'.repeat(n)}interface i {}\n`,
  /** One identifier n characters long, used twice. */
  'long-identifier': (n) => {
    const id = `a${'b'.repeat(Math.max(0, n - 1))}`;
    return `${pkg}interface i {\n  type ${id} = u8;\n  f: func() -> ${id};\n}\n`;
  },
  /** Block comments nested n deep. */
  'nested-comments': (n) => `${pkg}${'/* '.repeat(n)}${' */'.repeat(n)}\ninterface i {}\n`,
  /** Block comments opened n deep, never closed. */
  'unclosed-comments': (n) => `${pkg}interface i {}\n${'/* '.repeat(n)}\n`,
  /** n nested packages in one file, each using the previous one. */
  'nested-packages': (n) => {
    const parts = ['package fuzz:p0 { interface i { type t = u8; } }'];
    for (let i = 1; i < n; i++) parts.push(`package fuzz:p${i} { interface i { use fuzz:p${i - 1}/i.{t}; } }`);
    return `${pkg}${parts.join('\n')}\n`;
  },
  /** n lines, each a syntax error (the parser caps diagnostics). */
  'many-errors': (n) => `${pkg}interface i {\n${'  record { ; ) >\n'.repeat(n)}}\n`,
  /** n unexpected tokens in a row in one item: the parser recovers from each. */
  'garbage-tokens': (n) => `${pkg}interface x ${'i '.repeat(n)}{ }\n`,
  /** n invalid items (an interface) inside one world: an error and a recovery each. */
  'bad-world-items': (n) => `${pkg}world w {\n${'  interface x { interface y.{t}; }\n'.repeat(n)}}\n`,
  /** n `option` keywords without `<`: recovery inserts each '<' and nests one level deeper. */
  'bare-options': (n) => `${pkg}interface i {\n  f: func(a: ${'option '.repeat(n)});\n}\n`,
  /** n stray characters the lexer rejects. */
  'lex-errors': (n) => `${pkg}interface i {\n${'  # $ ? !\n'.repeat(n)}}\n`,
  /** n unknown names referenced. */
  'unknown-names': (n) => {
    const fns = [];
    for (let i = 0; i < n; i++) fns.push(`  fn${i}: func(x: missing${i});`);
    return `${pkg}interface i {\n${fns.join('\n')}\n}\n`;
  },
  /** n resources, each with a method taking the previous one. */
  'many-resources': (n) => {
    const parts = ['  resource r0;'];
    for (let i = 1; i < n; i++) parts.push(`  resource r${i} { m: func(x: borrow<r${i - 1}>) -> own<r${i - 1}>; }`);
    return `${pkg}interface i {\n${parts.join('\n')}\n}\nworld w { import i; }\n`;
  },
  /** A world importing n inline functions. */
  'world-functions': (n) => {
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(`  import fn${i}: func(a: string) -> list<u8>;`);
    return `${pkg}world w {\n${parts.join('\n')}\n}\n`;
  },
};

/**
 * Package directories: generator(n) => files (relative paths). A chain of n dependency packages,
 * each using the previous one.
 */
export const DIR_GENERATORS = {
  'deps-chain': (n) => {
    const files = [{ rel: 'root.wit', data: `package fuzz:root;\ninterface r { use fuzz:d${n - 1}/i.{t}; }\n` }];
    files.push({ rel: 'deps/d0/d.wit', data: 'package fuzz:d0;\ninterface i { type t = u8; }\n' });
    for (let i = 1; i < n; i++) {
      files.push({ rel: `deps/d${i}/d.wit`, data: `package fuzz:d${i};\ninterface i { use fuzz:d${i - 1}/i.{t}; }\n` });
    }
    return files;
  },
};

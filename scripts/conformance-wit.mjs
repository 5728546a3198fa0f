#!/usr/bin/env node
/**
 * Conformance of witbind's WIT front end against wasm-tools' `crates/wit-parser/tests/ui` cases.
 *
 * The corpus is not part of this repository: fetch the cases you can into a local directory
 * (default `/work/corpus-wit`, or `--corpus <dir>`, or `$WIT_CORPUS`) laid out as upstream:
 *
 *   <corpus>/ui/<name>.wit | <name>/            success case input (a file, or a package directory)
 *   <corpus>/ui/<name>.wit.json                  expected `Resolve` JSON
 *   <corpus>/ui/parse-fail/<name>.wit | <name>/  failure case input
 *   <corpus>/ui/parse-fail/<name>.wit.result     expected rendered error
 *   <corpus>/ui/other/<name>.wit                 inputs whose expectation is missing or not current
 *                                                (older/newer syntax): compared with the reference only
 *   <corpus>/stale.txt                           `<name>: <reason>` lines: expectations known to be stale
 *
 * Like upstream's test runner, the feature `active` is enabled. A success case matches when our
 * `resolveToJson` output, pretty-printed with two spaces, equals the expected file byte for byte
 * (ignoring one trailing newline). A failure case matches when our first diagnostic has the same
 * message (context chain included) and the same `line:col`.
 *
 * The stored copies of the corpus are of mixed age, so each case is first classified with a
 * reference parser when one is installed (the wit-parser that `@bytecodealliance/jco-transpile`
 * bundles, compiled to wasm): an input the reference rejects although upstream expects success, or
 * whose reference error differs from the expected one, is not current syntax for that reference
 * version (older or newer) and is reported as skipped instead of counted. `--no-oracle` disables
 * this. `--verbose` prints each mismatch with both outputs.
 *
 * With the reference installed, the script also runs a differential check (accept/reject and the
 * innermost error message) over `ui/other/` and over this repository's own golden inputs
 * (`wit/ui`, `wit/parse-fail`, `wit/resolve-fail`).
 *
 * Usage: node scripts/conformance-wit.mjs [--corpus <dir>] [--verbose] [--no-oracle] [--json]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolvePath(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const corpus = resolvePath(option('--corpus') ?? process.env.WIT_CORPUS ?? '/work/corpus-wit');
const verbose = flag('--verbose');
const useOracle = !flag('--no-oracle');
const FEATURES = ['active'];

if (!existsSync(join(corpus, 'ui'))) {
  process.stderr.write(`no corpus at ${corpus}/ui (see the comment at the top of this script)\n`);
  process.exit(2);
}

// Compile the front end (src/wit only, so that unrelated work in progress elsewhere cannot break
// this script) into node_modules/.cache, where its imports resolve from the repository.
const outDir = join(repo, 'node_modules', '.cache', 'witbind-conformance');
mkdirSync(outDir, { recursive: true });
const tsconfig = join(outDir, 'tsconfig.json');
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: join(repo, 'tsconfig.build.json'),
    compilerOptions: { rootDir: join(repo, 'src'), outDir, declaration: false, sourceMap: false },
    include: [join(repo, 'src', 'wit')],
  }),
);
execFileSync(
  process.execPath,
  [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig],
  {
    stdio: 'inherit',
  },
);
const { loadWitPath, resolveToJson } = await import(
  pathToFileURL(join(outDir, 'wit', 'load.js')).href
);
const { renderDiagnostic } = await import(pathToFileURL(join(outDir, 'wit', 'errors.js')).href);

const oracle = useOracle ? await loadOracle() : null;

/** The reference wit-parser (via jco-transpile's wasm-tools build), or null when not installed. */
async function loadOracle() {
  const base = join(repo, 'node_modules', '@bytecodealliance', 'jco-transpile');
  const tools = join(base, 'vendor', 'wasm-tools.js');
  // The WASI shim it imports: nested under jco-transpile or hoisted, depending on the install.
  const fsShim = [base, repo]
    .map((dir) =>
      join(
        dir,
        'node_modules',
        '@bytecodealliance',
        'preview2-shim',
        'dist',
        'nodejs',
        'filesystem.js',
      ),
    )
    .find((p) => existsSync(p));
  if (!existsSync(tools) || !fsShim) return null;
  const wt = await import(pathToFileURL(tools).href);
  const { _setPreopens } = await import(pathToFileURL(fsShim).href);
  await wt.$init;
  _setPreopens({ '/': '/' });
  const version = (() => {
    const wasm = readFileSync(join(base, 'vendor', 'wasm-tools.core.wasm'), 'latin1');
    return /wit-parser-(\d+\.\d+\.\d+)/.exec(wasm)?.[1] ?? 'unknown';
  })();
  return {
    version,
    /** null when the path parses and resolves, else the reference's (innermost) error message. */
    check(path) {
      try {
        wt.tools.componentEmbed({
          witPath: path,
          dummy: true,
          features: { tag: 'list', val: FEATURES },
        });
        return null;
      } catch (e) {
        const msg = String(e?.payload ?? e?.message ?? e);
        // World selection happens after resolution: these mean the package itself is fine.
        if (
          /contains no worlds|multiple worlds|world '.*' not found|no world named|one must be explicitly chosen/.test(
            msg,
          )
        ) {
          return null;
        }
        return msg;
      }
    },
  };
}

/** Cases of a directory: `<name>` with an input (`.wit` file or directory) and an expectation. */
function cases(dir, ext) {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => f.slice(0, -ext.length))
    .sort();
  return names.map((name) => {
    const file = join(dir, `${name}.wit`);
    const input = existsSync(file) ? file : existsSync(join(dir, name)) ? join(dir, name) : null;
    return { name, input, expected: readFileSync(join(dir, `${name}${ext}`), 'utf8') };
  });
}

/** `message` and `line:col` of a rendered wasm-tools error. */
function parseRendered(text) {
  const m = /^([\s\S]*?)\n\s*--> [^\n]*?:(\d+):(\d+)\n/.exec(text);
  if (!m) return { message: text.trim(), at: null };
  return { message: m[1].trim(), at: `${m[2]}:${m[3]}` };
}

async function ours(input) {
  try {
    const { resolve } = await loadWitPath(input, { features: FEATURES });
    return { ok: true, json: `${JSON.stringify(resolveToJson(resolve), null, 2)}` };
  } catch (e) {
    if (!e || !Array.isArray(e.diagnostics)) return { ok: false, crash: String(e?.stack ?? e) };
    const all = e.diagnostics.map((d) => renderDiagnostic(d, e.sourceMap));
    return { ok: false, rendered: all[0], all, count: e.diagnostics.length };
  }
}

/**
 * Our goldens where we differ from the reference on purpose: WIT.md's grammar is stricter than
 * wit-parser 0.259 (which leaves these to component validation, or predates the rule), or the
 * reference's message is a formatting accident.
 */
const DELIBERATE = new Map([
  ['wit/parse-fail/empty-record.wit', 'WIT.md: record-fields needs at least one field'],
  ['wit/parse-fail/empty-flags.wit', 'WIT.md: flags-fields needs at least one flag'],
  ['wit/parse-fail/empty-tuple.wit', 'WIT.md: tuple-list needs at least one type'],
  ['wit/parse-fail/empty-use-list.wit', 'WIT.md: use-names-list needs at least one name'],
  ['wit/parse-fail/list-length-zero.wit', 'WIT.md: uint ::= [1-9][0-9]*'],
  ['wit/parse-fail/external-id-on-use.wit', 'WIT.md: external-id is not part of use-item'],
  [
    'wit/parse-fail/import-package.wit',
    "WIT.md: `a:b` is one token, so `import a:b;` can't import a package",
  ],
  [
    'wit/parse-fail/bidi-override.wit',
    "the reference prints the codepoint with Rust's Debug format",
  ],
  ['wit/parse-fail/control-char.wit', 'same message, lowercase (our diagnostic voice)'],
  ['wit/parse-fail/deep-nesting.wit', 'our nesting limit covers braces and parentheses too'],
]);

const stale = new Map(
  existsSync(join(corpus, 'stale.txt'))
    ? readFileSync(join(corpus, 'stale.txt'), 'utf8')
        .split('\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()])
    : [],
);

const report = {
  corpus,
  oracle: oracle ? `wit-parser ${oracle.version}` : null,
  success: { total: 0, matched: 0, mismatched: [], skipped: [], stale: [], missingInput: [] },
  failure: {
    total: 0,
    matched: 0,
    messageOnly: [],
    mismatched: [],
    skipped: [],
    stale: [],
    missingInput: [],
    // Rejected upstream but accepted by the reference: checks newer than the reference version.
    newer: { total: 0, matched: 0, names: [] },
  },
  differential: { total: 0, agree: 0, deliberate: [], disagree: [] },
};

for (const c of cases(join(corpus, 'ui'), '.wit.json')) {
  const s = report.success;
  s.total++;
  if (!c.input) {
    s.missingInput.push(c.name);
    continue;
  }
  if (stale.has(c.name)) {
    s.stale.push({ name: c.name, why: stale.get(c.name) });
    continue;
  }
  const ref = oracle?.check(c.input);
  if (ref) {
    s.skipped.push({ name: c.name, why: `reference rejects: ${ref.split('\n')[0]}` });
    continue;
  }
  const got = await ours(c.input);
  const expected = c.expected.replace(/\n$/, '');
  if (got.ok && got.json === expected) {
    s.matched++;
  } else {
    s.mismatched.push({ name: c.name, got: got.ok ? 'json differs' : (got.rendered ?? got.crash) });
    if (verbose) {
      console.log(`\n--- success case ${c.name}: ${got.ok ? 'JSON differs' : 'we reject'}`);
      if (got.ok) printDiff(expected, got.json);
      else console.log(got.rendered ?? got.crash);
    }
  }
}

for (const c of cases(join(corpus, 'ui', 'parse-fail'), '.wit.result')) {
  const f = report.failure;
  f.total++;
  if (!c.input) {
    f.missingInput.push(c.name);
    continue;
  }
  if (stale.has(c.name)) {
    f.stale.push({ name: c.name, why: stale.get(c.name) });
    continue;
  }
  const want = parseRendered(c.expected);
  if (oracle) {
    const ref = oracle.check(c.input);
    if (ref === null) {
      // Not counted with the others, but still compared: upstream added the check later.
      f.newer.total++;
      const got = await ours(c.input);
      const have = got.ok || got.crash ? null : parseRendered(got.rendered);
      const same = have !== null && have.message === want.message && have.at === want.at;
      if (same) f.newer.matched++;
      f.newer.names.push(`${c.name}${same ? '' : ' (mismatch)'}`);
      continue;
    }
    const refMsg = ref.split('\n')[0];
    if (!want.message.includes(refMsg)) {
      f.skipped.push({ name: c.name, why: `reference reports a different error: ${refMsg}` });
      continue;
    }
  }
  const got = await ours(c.input);
  if (got.ok) {
    f.mismatched.push({ name: c.name, got: 'accepted' });
    if (verbose)
      console.log(
        `\n--- failure case ${c.name}: we accept\nexpected: ${want.message} at ${want.at}`,
      );
    continue;
  }
  if (got.crash) {
    f.mismatched.push({ name: c.name, got: `crash: ${got.crash.split('\n')[0]}` });
    continue;
  }
  const have = parseRendered(got.rendered);
  if (have.message === want.message && have.at === want.at) {
    f.matched++;
  } else {
    const entry = {
      name: c.name,
      want: `${want.message} @${want.at}`,
      got: `${have.message} @${have.at}`,
    };
    if (have.message === want.message) f.messageOnly.push(entry);
    else f.mismatched.push(entry);
    if (verbose)
      console.log(`\n--- failure case ${c.name}\nexpected: ${entry.want}\n     got: ${entry.got}`);
  }
}

// Differential check against the reference: same verdict, and for rejections our message ends
// with the reference's (which reports only the innermost message of a context chain).
if (oracle) {
  const inputs = [];
  const other = join(corpus, 'ui', 'other');
  if (existsSync(other)) for (const f of readdirSync(other).sort()) inputs.push(join(other, f));
  for (const dir of ['ui', 'parse-fail', 'resolve-fail']) {
    const base = join(repo, 'wit', dir);
    if (!existsSync(base)) continue;
    for (const f of readdirSync(base).sort()) {
      const p = join(base, f);
      if (f.endsWith('.wit') || statSync(p).isDirectory()) inputs.push(p);
    }
  }
  const d = report.differential;
  for (const input of inputs) {
    // Our golden cases may ask for features; those directives are ours, so use the same set here.
    if (/witbind-test: (all-)?features/.test(readInputs(input))) continue;
    d.total++;
    const ref = oracle.check(input);
    const got = await ours(input);
    const name = input.startsWith(repo)
      ? input.slice(repo.length + 1)
      : input.slice(corpus.length + 1);
    if (DELIBERATE.has(name)) {
      d.deliberate.push({ name, why: DELIBERATE.get(name) });
      continue;
    }
    if (ref === null && got.ok) {
      d.agree++;
    } else if (ref !== null && !got.ok && !got.crash) {
      const refMsg = ref.split('\n')[0];
      // The reference prints the outermost message of a context chain (or the only one); ours
      // renders the whole chain joined with ": ". It stops at its first error, while we report
      // every independent one, possibly in another order: any of ours may match.
      const same = (have) =>
        have === refMsg || have.endsWith(`: ${refMsg}`) || have.startsWith(`${refMsg}: `);
      const ourMessages = got.all.map((r) => parseRendered(r).message.split('\n')[0]);
      if (ourMessages.some(same)) d.agree++;
      else d.disagree.push({ name, ref: refMsg, got: ourMessages[0] });
    } else {
      d.disagree.push({
        name,
        ref: ref === null ? 'accepts' : ref.split('\n')[0],
        got: got.ok ? 'accepts' : (got.rendered ?? got.crash).split('\n')[0],
      });
    }
  }
}

function readInputs(input) {
  if (!statSync(input).isDirectory()) return readFileSync(input, 'utf8');
  return readdirSync(input)
    .filter((f) => f.endsWith('.wit'))
    .map((f) => readFileSync(join(input, f), 'utf8'))
    .join('\n');
}

function printDiff(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      console.log(`first difference at line ${i + 1}:\n  expected: ${x[i]}\n       got: ${y[i]}`);
      return;
    }
  }
}

if (flag('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const s = report.success;
  const f = report.failure;
  console.log(`corpus: ${corpus}`);
  console.log(`reference: ${report.oracle ?? 'none (no classification)'}`);
  console.log(
    `success cases: ${s.total} fetched, ${s.matched} match byte for byte, ${s.mismatched.length} mismatch, ` +
      `${s.skipped.length} skipped (not current syntax for the reference), ${s.stale.length} with a stale expectation, ` +
      `${s.missingInput.length} without input`,
  );
  console.log(
    `failure cases: ${f.total} fetched, ${f.matched} match message and line:col, ${f.messageOnly.length} match the ` +
      `message only, ${f.mismatched.length} mismatch, ${f.skipped.length} skipped, ${f.stale.length} stale, ` +
      `${f.missingInput.length} without input`,
  );
  if (f.newer.total > 0) {
    console.log(
      `failure cases newer than the reference (it accepts them): ${f.newer.total}, of which ${f.newer.matched} ` +
        `match message and line:col (${f.newer.names.join(', ')})`,
    );
  }
  const d = report.differential;
  if (oracle)
    console.log(
      `differential vs reference: ${d.total} inputs, ${d.agree} agree, ${d.deliberate.length} differ on purpose, ` +
        `${d.disagree.length} disagree`,
    );
  for (const m of s.mismatched)
    console.log(`  success mismatch: ${m.name}: ${m.got.split('\n')[0]}`);
  for (const m of [...f.mismatched, ...f.messageOnly]) {
    console.log(`  failure mismatch: ${m.name}: want ${m.want ?? ''} | got ${m.got}`);
  }
  for (const m of d.deliberate) console.log(`  on purpose: ${m.name}: ${m.why}`);
  for (const m of d.disagree)
    console.log(`  differential: ${m.name}: reference ${m.ref} | ours ${m.got}`);
  for (const m of [...s.skipped, ...f.skipped]) console.log(`  skipped: ${m.name}: ${m.why}`);
  for (const m of [...s.stale, ...f.stale]) console.log(`  stale: ${m.name}: ${m.why}`);
}

// The seed corpus: valid WIT from the repo (`wit/**`, minus the parse-fail and resolve-fail
// goldens) and the WASI packages shipped with jco (`lib/wit/builtin/`). An entry is a load root —
// a single `.wit` file or a package directory with its `deps/` — held in memory as relative paths.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * @typedef {{ rel: string, data: string | Uint8Array }} InputFile
 * @typedef {{ name: string, root: string, files: InputFile[], options: object }} CorpusEntry
 *   `root` is the path loaded, relative to the entry's directory: a file (`x.wit`) or `.`.
 */

/** Options from a `// witbind-test: …` directive (see test/wit/resolve-helpers.ts). */
function directiveOptions(files) {
  for (const f of files) {
    const m = /\/\/ witbind-test: (.*)$/m.exec(f.data);
    if (!m) continue;
    const directive = m[1].trim();
    if (directive === 'all-features') return { allFeatures: true };
    const features = /^features=(.*)$/.exec(directive);
    if (features) return { features: features[1].split(',') };
  }
  return {};
}

/** Every `.wit` file under `dir`, as paths relative to `base`. */
function witFilesUnder(dir, base) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...witFilesUnder(path, base));
    else if (name.endsWith('.wit')) out.push({ rel: relative(base, path), data: readFileSync(path, 'utf8') });
  }
  return out;
}

function dirEntry(name, dir, extraDeps = []) {
  const files = witFilesUnder(dir, dir);
  for (const dep of extraDeps) {
    for (const f of witFilesUnder(dep.dir, dep.dir)) files.push({ rel: join('deps', dep.name, f.rel), data: f.data });
  }
  return { name, root: '.', files, options: directiveOptions(files) };
}

function fileEntry(name, path) {
  const files = [{ rel: path.split('/').pop(), data: readFileSync(path, 'utf8') }];
  return { name, root: files[0].rel, files, options: directiveOptions(files) };
}

/** Directory names (`wasi-io`) of the packages a package's files refer to (`wasi:io/…`). */
function referencedPackages(files) {
  const out = new Set();
  for (const f of files) for (const m of f.data.matchAll(/\b([a-z][a-z0-9-]*):([a-z][a-z0-9-]*)\//g)) out.add(`${m[1]}-${m[2]}`);
  return out;
}

/** Collects the corpus below the repository root (entries are not validated here). */
export function collectCorpus(repoRoot) {
  const entries = [];
  const wit = join(repoRoot, 'wit');
  // wit/ and its subdirectories (ui/, codegen/) are collections: each `.wit` file is an entry,
  // each directory below a collection a package directory (with its deps/).
  const collection = (dir, nested) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(wit, path);
      if (rel === 'parse-fail' || rel === 'resolve-fail') continue;
      if (statSync(path).isDirectory()) {
        if (nested) entries.push(dirEntry(`wit/${rel}`, path));
        else collection(path, true);
      } else if (name.endsWith('.wit')) {
        entries.push(fileEntry(`wit/${rel}`, path));
      }
    }
  };
  if (existsSync(wit)) collection(wit, false);

  const builtin = join(repoRoot, 'node_modules', '@bytecodealliance', 'jco', 'lib', 'wit', 'builtin');
  if (existsSync(builtin)) {
    for (const version of readdirSync(builtin).sort()) {
      const vdir = join(builtin, version);
      if (!statSync(vdir).isDirectory()) continue;
      if (/^\d+\.\d+\.\d+$/.test(version)) {
        // One directory per package; they depend on each other, so each is loaded with its
        // siblings as deps/ (as test/wit/resolve-wasi.test.ts does).
        // Only the siblings it needs (transitively): parsing the others would only cost time.
        const pkgs = readdirSync(vdir).filter((p) => statSync(join(vdir, p)).isDirectory()).sort();
        const refs = new Map(pkgs.map((p) => [p, referencedPackages(witFilesUnder(join(vdir, p), vdir))]));
        for (const p of pkgs) {
          const needed = new Set();
          const visit = (q) => {
            for (const r of refs.get(q) ?? []) {
              if (r !== p && refs.has(r) && !needed.has(r)) {
                needed.add(r);
                visit(r);
              }
            }
          };
          visit(p);
          const siblings = [...needed].sort().map((s) => ({ name: s, dir: join(vdir, s) }));
          entries.push(dirEntry(`jco/${version}/${p}`, join(vdir, p), siblings));
        }
      } else if (existsSync(join(vdir, 'deps'))) {
        entries.push(dirEntry(`jco/${version}`, vdir));
      }
    }
  }
  return entries;
}

/** Total size in characters/bytes of an entry's files. */
export function entrySize(entry) {
  let n = 0;
  for (const f of entry.files) n += f.data.length;
  return n;
}

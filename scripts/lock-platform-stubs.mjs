#!/usr/bin/env node
// Adds lockfile entries for optional platform packages (other OS/CPU/libc builds of native
// bindings) that the package registry reachable here does not serve, so `npm install` could not
// record them and `npm ci` then refuses the lockfile as out of sync. Each stub says which platform
// the package is for; `npm ci` skips it on every other platform without fetching anything.
// Usage: node scripts/lock-platform-stubs.mjs   (after `npm install` changed the lockfile)
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
const platform = (name) => {
  const os = ['linux', 'darwin', 'win32', 'freebsd', 'android', 'openharmony', 'netbsd', 'openbsd', 'sunos', 'aix'].find((o) => name.includes(`-${o}-`) || name.endsWith(`-${o}`));
  const cpu = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'].find((c) => new RegExp(`-${c}(-|$)`).test(name));
  const libc = name.includes('-musl') ? 'musl' : name.includes('-gnu') ? 'glibc' : undefined;
  return { os, cpu, libc };
};
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    // Resolution: nested node_modules first, then the top level.
    const nested = `${base}node_modules/${dep}`;
    const top = `node_modules/${dep}`;
    if (pkgs[nested]?.version === version || pkgs[top]?.version === version) continue;
    const where = pkgs[top] ? nested : top;
    const { os, cpu, libc } = platform(dep);
    if (!os && !cpu) continue;
    pkgs[where] = {
      version,
      dev: meta.dev ?? undefined,
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} platform stub(s)`);

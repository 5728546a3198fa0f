/**
 * Semver for package versions and `@since` comparisons (Rust `semver::Version` order), and the
 * package-name order that decides where the depth-first package visit starts.
 */
import type { PackageName } from '../model.js';

interface SemVer {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: readonly string[];
  readonly build: readonly string[];
}

/** Parses `1.2.3-pre.1+build`; null when not a version. */
export function parseSemver(text: string): SemVer | null {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(text);
  if (!m) return null;
  return {
    major: BigInt(m[1]!),
    minor: BigInt(m[2]!),
    patch: BigInt(m[3]!),
    pre: m[4] ? m[4].split('.') : [],
    build: m[5] ? m[5].split('.') : [],
  };
}

function compareIdents(a: readonly string[], b: readonly string[], emptyIsGreatest: boolean): number {
  if (a.length === 0 || b.length === 0) {
    if (a.length === b.length) return 0;
    const aFirst = a.length === 0 ? 1 : -1;
    return emptyIsGreatest ? aFirst : -aFirst;
  }
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return Math.sign(a.length - b.length);
}

/** Semver precedence, with build metadata as a final tie-breaker (Rust `semver::Version` order). */
export function compareSemver(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return compareIdents(a.pre, b.pre, true) || compareIdents(a.build, b.build, false);
}

export function compareVersionText(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (x && y) return compareSemver(x, y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders package names by namespace, name, then version (no version first). */
export function comparePackageNames(a: PackageName, b: PackageName): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version === b.version) return 0;
  if (a.version === null) return -1;
  if (b.version === null) return 1;
  return compareVersionText(a.version, b.version);
}

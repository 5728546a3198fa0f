/**
 * The `Resolve` arena builder: orders packages by their dependencies (cycles and duplicate
 * definitions are errors), links each one (`link.ts`, wasm-tools `Remap::append`), decides which
 * gated items are included, and selects worlds.
 *
 * Packages are appended in the arena order that the reference implementation produces; see
 * resolve-json.md §3 for why the order matters.
 */
import type { WitDiagnostic } from '../errors.js';
import type { PackageId, PackageName, Resolve, Stability, WorldId } from '../model.js';
import { formatPackageName } from '../model.js';
import type { SourceMap, Span } from '../source-map.js';
import { LinkError, fail } from './link-common.js';
import { Linker } from './link.js';
import { compareVersionText, comparePackageNames } from './semver.js';
import { packageKey, type UnresolvedPackage } from './unresolved.js';

export { compareSemver, comparePackageNames, parseSemver } from './semver.js';

/** Which `@unstable` features are enabled. */
export interface FeatureOptions {
  readonly features?: readonly string[];
  readonly allFeatures?: boolean;
}

/** One group of packages from one source (a file or directory): nested packages, then main. */
export interface UnresolvedGroup {
  readonly main: UnresolvedPackage;
  readonly nested: readonly UnresolvedPackage[];
}

/** Accumulates packages into a {@link Resolve}. */
export class ResolveBuilder {
  readonly resolve: Resolve;
  readonly #packageNames = new Map<string, PackageId>();
  readonly #features: ReadonlySet<string>;
  readonly #allFeatures: boolean;

  constructor(sourceMap: SourceMap, options: FeatureOptions = {}) {
    this.resolve = { types: [], interfaces: [], worlds: [], packages: [], sourceMap };
    this.#features = new Set(options.features ?? []);
    this.#allFeatures = options.allFeatures ?? false;
  }

  /**
   * Adds groups of packages: all are ordered by their dependencies (starting from the sorted
   * package names) and appended. Returns the ids in append order, or the diagnostics.
   */
  pushGroups(groups: readonly UnresolvedGroup[]): PackageId[] | WitDiagnostic[] {
    const byName = new Map<string, UnresolvedPackage>();
    for (const group of groups) {
      for (const pkg of [...group.nested, group.main]) {
        const key = packageKey(pkg.name);
        const prev = byName.get(key);
        if (prev) {
          return [
            { kind: 'resolve', message: `package \`${key}\` is defined in two different locations`, span: pkg.nameSpan },
          ];
        }
        byName.set(key, pkg);
      }
    }

    const sorted = [...byName.values()].sort((a, b) => comparePackageNames(a.name, b.name));
    const order: UnresolvedPackage[] = [];
    const placed = new Set<string>();
    const visiting = new Set<string>();
    const visit = (pkg: UnresolvedPackage): WitDiagnostic | null => {
      if (placed.has(packageKey(pkg.name))) return null;
      for (const [depKey, dep] of pkg.foreignDeps) {
        if (visiting.has(depKey)) {
          return {
            kind: 'resolve',
            message: `package \`${depKey}\` creates a dependency cycle`,
            span: dep.span,
          };
        }
        visiting.add(depKey);
        const depPkg = byName.get(depKey);
        if (depPkg) {
          const err = visit(depPkg);
          if (err) return err;
        }
        visiting.delete(depKey);
      }
      placed.add(packageKey(pkg.name));
      order.push(pkg);
      return null;
    };
    for (const pkg of sorted) {
      const err = visit(pkg);
      if (err) return [err];
    }

    // A package that fails to link is reported; the packages that depend on it (directly or not)
    // are skipped, since their errors would only echo it, and the independent ones still linked.
    const ids: PackageId[] = [];
    const errors: WitDiagnostic[] = [];
    const failed = new Set<string>();
    for (const pkg of order) {
      if ([...pkg.foreignDeps.keys()].some((k) => failed.has(k))) {
        failed.add(packageKey(pkg.name));
        continue;
      }
      try {
        ids.push(new Linker(this, pkg).append());
      } catch (e) {
        if (!(e instanceof LinkError)) throw e;
        errors.push(e.diagnostic);
        failed.add(packageKey(pkg.name));
      }
    }
    return errors.length > 0 ? errors : ids;
  }

  /** @internal */
  packageId(key: string): PackageId | undefined {
    return this.#packageNames.get(key);
  }

  /** @internal */
  registerPackage(key: string, id: PackageId): void {
    this.#packageNames.set(key, id);
  }

  /** @internal names of all known packages, in insertion order */
  knownPackages(): string[] {
    return [...this.#packageNames.keys()];
  }

  /**
   * Whether an item with `stability`, in package `pkg`, is included. `@since` requires the
   * package to be versioned and the version not to be in the future.
   */
  includeStability(stability: Stability, pkg: PackageId, span: Span | null): boolean {
    switch (stability.kind) {
      case 'unknown':
        return true;
      case 'stable': {
        const p = this.resolve.packages[pkg]!;
        const version = p.name.version;
        const name = formatPackageName(p.name);
        if (version === null) {
          fail(span, `package [${name}] contains a feature gate with a version specifier, so it must have a version`);
        }
        if (compareVersionText(stability.since, version) > 0) {
          fail(
            span,
            `feature gate cannot reference unreleased version ${stability.since} of package ` +
              `[${name}] (current version ${version})`,
          );
        }
        return true;
      }
      case 'unstable':
        return this.#allFeatures || this.#features.has(stability.feature);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// World selection
// ---------------------------------------------------------------------------------------------

/**
 * Picks a world of `pkg`: by name (`w`, or `ns:pkg/w@1.0.0` for any loaded package), or the
 * package's only world. Returns the world or a diagnostic message.
 */
export function selectWorldIn(r: Resolve, pkg: PackageId, world: string | undefined): WorldId | string {
  const main = r.packages[pkg]!;
  const mainName = formatPackageName(main.name);
  if (world === undefined) {
    const worlds = [...main.worlds.values()];
    if (worlds.length === 1) return worlds[0]!;
    if (worlds.length === 0) return `no worlds found in package \`${mainName}\``;
    return `multiple worlds found in package \`${mainName}\`: one must be explicitly chosen`;
  }
  const m = /^([^:/@]+):([^:/@]+)\/([^:/@]+)(?:@(.+))?$/.exec(world);
  if (m) {
    const key = `${m[1]}:${m[2]}${m[4] === undefined ? '' : `@${m[4]}`}`;
    const found = r.packages.find((p) => formatPackageName(p.name) === key);
    if (!found) return `no package named \`${key}\``;
    const id = found.worlds.get(m[3]!);
    return id ?? `world \`${m[3]!}\` not found in package \`${key}\``;
  }
  const id = main.worlds.get(world);
  return id ?? `world \`${world}\` not found in package \`${mainName}\``;
}
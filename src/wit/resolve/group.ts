/**
 * Grouping parsed files into packages: the main package of a file or directory and the nested
 * `package a:b { … }` blocks, with the checks that the files agree on the package name and that at
 * most one carries package docs.
 */
import type * as ast from '../ast.js';
import type { WitDiagnostic } from '../errors.js';
import type { Docs } from '../model.js';
import { NO_DOCS } from '../model.js';
import { packageKey, toPackageName, type DeclItem, type PackageSource } from './unresolved.js';

/** The packages defined by a set of files: the main package and any nested `package … { }`. */
export interface PackageGroup {
  readonly main: PackageSource;
  readonly nested: readonly PackageSource[];
}

/**
 * Splits parsed files (in sorted path order) into the main package and nested packages, checking
 * that the files agree on the package name and that at most one carries package docs.
 */
export function groupPackageFiles(
  files: readonly ast.File[],
  context: readonly string[],
): PackageGroup | WitDiagnostic[] {
  let name: ast.PackageName | null = null;
  let docs: Docs = NO_DOCS;
  const nested: PackageSource[] = [];
  const declLists: DeclItem[][] = [];
  for (const file of files) {
    const fileContext = [...context, `failed to start resolving path: ${file.path}`];
    if (file.package) {
      const cur = file.package.name;
      if (name !== null && !samePackageName(name, cur)) {
        return [
          {
            kind: 'resolve',
            message:
              `package identifier \`${formatAstName(cur)}\` does not match previous package name ` +
              `of \`${formatAstName(name)}\``,
            span: cur.span,
            context: fileContext,
          },
        ];
      }
      name = cur;
      if (file.package.docs.contents !== null) {
        if (docs.contents !== null) {
          return [
            {
              kind: 'resolve',
              message: "found doc comments on multiple 'package' items",
              span: file.package.span,
              context: fileContext,
            },
          ];
        }
        docs = { contents: file.package.docs.contents };
      }
    }
    const items: DeclItem[] = [];
    for (const item of file.items) {
      if (item.kind === 'nested-package') {
        nested.push({
          name: item.name,
          docs: item.docs.contents === null ? NO_DOCS : { contents: item.docs.contents },
          declLists: [item.items],
          context: [...context, `failed to handle nested package in: \`${file.path}\``],
        });
      } else {
        items.push(item);
      }
    }
    declLists.push(items);
  }
  if (name === null) {
    const first = files[0];
    return [
      {
        kind: 'resolve',
        message: 'no `package` header was found in any WIT file for this package',
        // The file's first character; an empty file gets an empty span (still inside the file).
        span: first ? { start: first.span.start, end: Math.min(first.span.start + 1, first.span.end) } : null,
        context,
      },
    ];
  }
  return { main: { name, docs, declLists, context }, nested };
}

function samePackageName(a: ast.PackageName, b: ast.PackageName): boolean {
  return formatAstName(a) === formatAstName(b);
}

function formatAstName(n: ast.PackageName): string {
  return packageKey(toPackageName(n));
}

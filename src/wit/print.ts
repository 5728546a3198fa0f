/**
 * AST → WIT text. The output is valid WIT that parses back to the same AST (spans aside): docs
 * become `///` lines, gates and `@external-id` precede their item, keywords used as names are
 * `%`-escaped. Layout is fixed (two-space indentation, one item per line, trailing commas in
 * multi-line lists), so printing is also a normal form.
 */
import type {
  Attributes,
  Docs,
  File,
  FuncType,
  GateItem,
  Id,
  ImportExport,
  InterfaceMember,
  NestedPackage,
  PackageName,
  Param,
  ResourceMember,
  TopLevelItem,
  TypeDefItem,
  TypeExpr,
  UsePath,
  WorldMember,
} from './ast.js';
import { processDocs } from './docs.js';
import { lexWit } from './lexer.js';
import { isKeyword } from './tokens.js';

/** Prints a parsed file as WIT text. */
export function printWit(file: File): string {
  const parts: string[] = [];
  if (file.package) {
    parts.push(`${printDocs(file.package.docs, '')}package ${printPackageName(file.package.name)};`);
  }
  for (const item of file.items) parts.push(printTopLevel(item, ''));
  return `${parts.join('\n\n')}\n`;
}

function assertNever(x: never): never {
  throw new Error(`unexpected AST node: ${JSON.stringify(x)}`);
}

const INDENT = '  ';

/** An identifier as written: `%`-escaped when it spells a keyword. */
export function printId(id: Id | string): string {
  const name = typeof id === 'string' ? id : id.name;
  return isKeyword(name) ? `%${name}` : name;
}

/**
 * Docs as `///` lines. A line that starts with a non-space whitespace character is written
 * without the separating space, so that re-parsing (which removes the common leading spaces)
 * gives back the same text.
 *
 * That does not give back every docs text (they are checked): a `///` comment loses its trailing
 * whitespace, but a block comment keeps it on all of its lines but the last (`/* a \n b *\/`
 * documents `* a \n b *\/`); and a leading `\n` or tab defeats the removal of common leading
 * spaces. Such docs are written in another form ({@link otherDocs}).
 */
function printDocs(docs: Docs, indent: string): string {
  if (docs.contents === null) return '';
  const lines = docs.contents.split('\n');
  let comments = lines.map((line) => lineDoc(line, true));
  if (processDocs(comments) !== docs.contents) comments = otherDocs(docs.contents, lines) ?? comments;
  return comments.map((c) => `${indent}${c}\n`).join('');
}

function lineDoc(line: string, spaced: boolean): string {
  if (line.length === 0) return '///';
  return spaced && !/^[^ \S]/.test(line) ? `/// ${line}` : `///${line}`;
}

/**
 * Comments whose docs are `contents`, or null when no form tried gives it back. Candidates, each
 * checked by lexing it and processing its comments as the parser does: `///` lines without the
 * separating space, or with as many spaces as the shortest leading whitespace that is not all
 * spaces (which the parser cannot remove) is long; every run of lines ending with whitespace (with the line after it) as one
 * `/** … *\/` comment, the other lines as `///` comments (with or without the space); then the
 * whole text as one comment, as `/** … *\/` or, when it reads `* … *\/`, as the `/* … *\/` it
 * came from.
 */
function otherDocs(contents: string, lines: readonly string[]): string[] | null {
  const runs = (spaced: boolean): string[] => {
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!/\s$/.test(line)) {
        out.push(lineDoc(line, spaced));
        continue;
      }
      // The run ends with a non-empty line without trailing whitespace (the last line is one).
      let j = i;
      while (j < lines.length - 1 && (lines[j]!.length === 0 || /\s$/.test(lines[j]!))) j++;
      const text = lines.slice(i, j + 1).join('\n');
      out.push(spaced && !/^[^ \S]/.test(text) ? `/** ${text}*/` : `/**${text}*/`);
      i = j;
    }
    return out;
  };
  // Lines whose leading whitespace is not all spaces keep it whole; every other line gets that
  // many spaces more, for the parser to remove.
  const leading = (line: string) => /^[ \t\n\f\r]*/.exec(line)![0];
  const kept = lines.filter((line) => /^ *[^ \S]/.test(line)).map((line) => leading(line).length);
  const pad = ' '.repeat(kept.length > 0 ? kept.reduce((a, b) => Math.min(a, b)) : 0);
  const padded = lines.map((line) => (line.length === 0 ? '///' : /^ *[^ \S]/.test(line) ? `///${line}` : `///${pad}${line}`));
  const candidates = [lines.map((line) => lineDoc(line, false)), padded, runs(true), runs(false), [`/**${contents}*/`]];
  if (contents.startsWith('*') && contents.endsWith('*/')) candidates.push([`/${contents}`]);
  return candidates.find((comments) => docsRoundTrip(comments, contents)) ?? null;
}

/** Whether `comments`, one a line, lex as exactly those comments (a line comment with its `\n`) and give `contents` as docs. */
function docsRoundTrip(comments: readonly string[], contents: string): boolean {
  const lexed = lexWit(comments.join('\n'), 0);
  if (lexed.tokens.length > 0 || lexed.diagnostics.length > 0) return false;
  const images = lexed.comments.map((c) => c.image);
  return images.length === comments.length && images.every((c, i) => c === comments[i] || c === `${comments[i]}\n`) && processDocs(images) === contents;
}

function printGate(gate: GateItem): string {
  switch (gate.kind) {
    case 'since':
      return `@since(version = ${gate.version})`;
    case 'unstable':
      return `@unstable(feature = ${printId(gate.feature)})`;
    case 'deprecated':
      return `@deprecated(version = ${gate.version})`;
    default:
      return assertNever(gate);
  }
}

/** A WIT string literal for `@external-id` (escapes `"`, `\` and control characters). */
export function printStringLiteral(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Docs, gates and `@external-id` lines before an item. */
function printAttributes(attrs: Attributes, indent: string): string {
  let out = printDocs(attrs.docs, indent);
  for (const gate of attrs.gates) out += `${indent}${printGate(gate)}\n`;
  if (attrs.externalId) out += `${indent}@external-id(${printStringLiteral(attrs.externalId.value)})\n`;
  return out;
}

function printPackageName(name: PackageName): string {
  const version = name.version ? `@${name.version.text}` : '';
  return `${printId(name.namespace)}:${printId(name.name)}${version}`;
}

function printUsePath(path: UsePath): string {
  switch (path.kind) {
    case 'name':
      return printId(path.name);
    case 'package': {
      const { namespace, name, version } = path.package;
      const v = version ? `@${version.text}` : '';
      return `${printId(namespace)}:${printId(name)}/${printId(path.interface)}${v}`;
    }
    default:
      return assertNever(path);
  }
}

function printTopLevel(item: TopLevelItem, indent: string): string {
  switch (item.kind) {
    case 'use': {
      const as = item.as ? ` as ${printId(item.as)}` : '';
      return `${printAttributes(item, indent)}${indent}use ${printUsePath(item.path)}${as};`;
    }
    case 'interface':
      return `${printAttributes(item, indent)}${indent}interface ${printId(item.name)} ${printBody(item.items, indent, printInterfaceMember)}`;
    case 'world':
      return `${printAttributes(item, indent)}${indent}world ${printId(item.name)} ${printBody(item.items, indent, printWorldMember)}`;
    case 'nested-package':
      return printNestedPackage(item, indent);
    default:
      return assertNever(item);
  }
}

function printNestedPackage(item: NestedPackage, indent: string): string {
  const inner = indent + INDENT;
  const body = item.items.map((i) => printTopLevel(i, inner)).join('\n\n');
  const braces = item.items.length === 0 ? '{}' : `{\n${body}\n${indent}}`;
  return `${printAttributes(item, indent)}${indent}package ${printPackageName(item.name)} ${braces}`;
}

function printBody<T>(items: readonly T[], indent: string, each: (item: T, indent: string) => string): string {
  if (items.length === 0) return '{}';
  const inner = indent + INDENT;
  return `{\n${items.map((i) => each(i, inner)).join('\n')}\n${indent}}`;
}

function printInterfaceMember(item: InterfaceMember, indent: string): string {
  switch (item.kind) {
    case 'use': {
      const names = item.names.map((n) => (n.as ? `${printId(n.name)} as ${printId(n.as)}` : printId(n.name)));
      return `${printAttributes(item, indent)}${indent}use ${printUsePath(item.from)}.{${names.join(', ')}};`;
    }
    case 'func':
      return `${printAttributes(item, indent)}${indent}${printId(item.name)}: ${printFuncType(item.func)};`;
    default:
      return printTypeDef(item, indent);
  }
}

function printWorldMember(item: WorldMember, indent: string): string {
  switch (item.kind) {
    case 'import':
    case 'export':
      return printImportExport(item, indent);
    case 'include': {
      const head = `${printAttributes(item, indent)}${indent}include ${printUsePath(item.path)}`;
      if (item.with.length === 0) return `${head};`;
      const names = item.with.map((w) => `${printId(w.name)} as ${printId(w.as)}`).join(', ');
      return `${head} with { ${names} }`;
    }
    case 'use':
      return printInterfaceMember(item, indent);
    default:
      return printTypeDef(item, indent);
  }
}

function printImportExport(item: ImportExport, indent: string): string {
  const head = `${printAttributes(item, indent)}${indent}${item.kind} `;
  const target = item.target;
  switch (target.kind) {
    case 'func':
      return `${head}${printId(target.name)}: ${printFuncType(target.func)};`;
    case 'interface':
      return `${head}${printId(target.name)}: interface ${printBody(target.items, indent, printInterfaceMember)}`;
    case 'path':
      return `${head}${printUsePath(target.path)};`;
    case 'named-path':
      return `${head}${printId(target.name)}: ${printUsePath(target.path)};`;
    default:
      return assertNever(target);
  }
}

function printTypeDef(item: TypeDefItem, indent: string): string {
  const head = printAttributes(item, indent) + indent;
  const inner = indent + INDENT;
  const list = <T extends Attributes>(entries: readonly T[], each: (e: T) => string): string =>
    `{\n${entries.map((e) => `${printAttributes(e, inner)}${inner}${each(e)},\n`).join('')}${indent}}`;
  switch (item.kind) {
    case 'record':
      return `${head}record ${printId(item.name)} ${list(item.fields, (f) => `${printId(f.name)}: ${printType(f.type)}`)}`;
    case 'variant':
      return `${head}variant ${printId(item.name)} ${list(item.cases, (c) =>
        c.type ? `${printId(c.name)}(${printType(c.type)})` : printId(c.name),
      )}`;
    case 'enum':
      return `${head}enum ${printId(item.name)} ${list(item.cases, (c) => printId(c.name))}`;
    case 'flags':
      return `${head}flags ${printId(item.name)} ${list(item.flags, (f) => printId(f.name))}`;
    case 'resource':
      if (item.members.length === 0) return `${head}resource ${printId(item.name)};`;
      return `${head}resource ${printId(item.name)} ${printBody(item.members, indent, printResourceMember)}`;
    case 'type':
      return `${head}type ${printId(item.name)} = ${printType(item.type)};`;
    default:
      return assertNever(item);
  }
}

function printResourceMember(member: ResourceMember, indent: string): string {
  const head = printAttributes(member, indent) + indent;
  switch (member.kind) {
    case 'constructor': {
      const result = member.result ? ` -> ${printType(member.result)}` : '';
      return `${head}constructor(${printParams(member.params)})${result};`;
    }
    case 'method':
      return `${head}${printId(member.name)}: ${printFuncType(member.func)};`;
    case 'static':
      return `${head}${printId(member.name)}: static ${printFuncType(member.func)};`;
    default:
      return assertNever(member);
  }
}

function printParams(params: readonly Param[]): string {
  return params.map((p) => `${printId(p.name)}: ${printType(p.type)}`).join(', ');
}

function printFuncType(func: FuncType): string {
  const result = func.result ? ` -> ${printType(func.result)}` : '';
  return `${func.async ? 'async ' : ''}func(${printParams(func.params)})${result}`;
}

/** A type expression as WIT text. */
export function printType(ty: TypeExpr): string {
  switch (ty.kind) {
    case 'primitive':
      return ty.name;
    case 'named':
      return printId(ty.name);
    case 'list':
      return `list<${printType(ty.element)}>`;
    case 'fixed-length-list':
      return `list<${printType(ty.element)}, ${ty.length}>`;
    case 'map':
      return `map<${printType(ty.key)}, ${printType(ty.value)}>`;
    case 'tuple':
      return `tuple<${ty.types.map(printType).join(', ')}>`;
    case 'option':
      return `option<${printType(ty.type)}>`;
    case 'result':
      if (ty.ok === null && ty.err === null) return 'result';
      if (ty.err === null) return `result<${printType(ty.ok!)}>`;
      return `result<${ty.ok === null ? '_' : printType(ty.ok)}, ${printType(ty.err)}>`;
    case 'own':
      return `own<${printId(ty.resource)}>`;
    case 'borrow':
      return `borrow<${printId(ty.resource)}>`;
    case 'future':
      return ty.type ? `future<${printType(ty.type)}>` : 'future';
    case 'stream':
      return ty.type ? `stream<${printType(ty.type)}>` : 'stream';
    default:
      return assertNever(ty);
  }
}

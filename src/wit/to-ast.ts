/**
 * CST → AST. All the meaning of WIT syntax lives here: identifier rules, semver, attributes,
 * empty bodies, legacy syntax, docs. The grammar (`parser.ts`) is deliberately a little looser
 * than WIT.md so that these checks can give precise, located messages ("record `r` must have at
 * least one field") instead of a generic "expected …".
 *
 * The CST may be partial after error recovery (nodes flagged `recoveredNode`, tokens
 * `isInsertedInRecovery`): every accessor tolerates missing children, and an item whose name is
 * missing is dropped, so the AST is always best-effort.
 */
import type { CstNode, IToken } from 'chevrotain';
import type {
  Attributes,
  Docs,
  ExternalId,
  File,
  FuncType,
  GateItem,
  Id,
  ImportExport,
  Include,
  InterfaceItem,
  InterfaceMember,
  NestedPackage,
  PackageName,
  Param,
  PrimitiveName,
  ResourceMember,
  TopLevelItem,
  TopLevelUse,
  TypeDefItem,
  TypeExpr,
  UseItem,
  UsePath,
  WorldItemDecl,
  WorldMember,
} from './ast.js';
import { processDocs } from './docs.js';
import type { WitDiagnostic, WitErrorKind } from './errors.js';
import type { Span } from './source-map.js';
import { describeFound, describeToken, Integer, Period } from './tokens.js';
import { decodeStringLiteral, semverProblem, validateIdentifier } from './validate.js';

/** What `buildFile` needs from the earlier stages; token offsets are local to the file. */
export interface ToAstInput {
  readonly path: string;
  readonly text: string;
  /** Global offset of the file in the SourceMap. */
  readonly fileOffset: number;
  /** Significant tokens, in order (used to find the comments before each item). */
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
  /** `witFile` CST nodes, one per parsed segment, in file order. */
  readonly csts: readonly CstNode[];
}

type Child = CstNode | IToken;

function isNode(c: Child): c is CstNode {
  return (c as CstNode).children !== undefined;
}

function nodes(n: CstNode | undefined, key: string): CstNode[] {
  return (n?.children[key] ?? []).filter(isNode);
}

function node(n: CstNode | undefined, key: string, index = 0): CstNode | undefined {
  return nodes(n, key)[index];
}

/** Real (not recovery-inserted) tokens under `key`. */
function toks(n: CstNode | undefined, key: string): IToken[] {
  return (n?.children[key] ?? []).filter(
    (c): c is IToken => !isNode(c) && !c.isInsertedInRecovery && Number.isFinite(c.startOffset),
  );
}

function tok(n: CstNode | undefined, key: string, index = 0): IToken | undefined {
  return toks(n, key)[index];
}

/** All real tokens under a node, in source order. */
function allTokens(n: CstNode, out: IToken[] = []): IToken[] {
  for (const list of Object.values(n.children)) {
    for (const c of list) {
      if (isNode(c)) allTokens(c, out);
      else if (!c.isInsertedInRecovery && Number.isFinite(c.startOffset)) out.push(c);
    }
  }
  return out;
}

/** Children of several keys, merged back into source order (a CST groups them by key). */
function inOrder(n: CstNode | undefined, keys: readonly string[]): { key: string; node: CstNode }[] {
  const out: { key: string; node: CstNode; at: number }[] = [];
  for (const key of keys) {
    for (const c of nodes(n, key)) out.push({ key, node: c, at: startOf(c) });
  }
  out.sort((a, b) => a.at - b.at);
  return out;
}

function startOf(n: CstNode): number {
  const s = n.location?.startOffset;
  if (s !== undefined && Number.isFinite(s)) return s;
  const ts = allTokens(n);
  return ts.length > 0 ? Math.min(...ts.map((t) => t.startOffset)) : Number.MAX_SAFE_INTEGER;
}

/** Map key types allowed by WIT.md's `kt` production. */
const MAP_KEY_TYPES: ReadonlySet<string> = new Set([
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'char', 'bool', 'string',
]);

const NO_DOCS: Docs = { contents: null };

/** Where `@external-id` may appear (WIT.md 🏷️). */
type ExternalIdRule = 'allowed' | 'forbidden';

/** Builds the AST of one file from its CST segments, appending diagnostics. */
export function buildFile(input: ToAstInput, diagnostics: WitDiagnostic[]): File {
  return new AstBuilder(input, diagnostics).file();
}

class AstBuilder {
  readonly #in: ToAstInput;
  readonly #diags: WitDiagnostic[];
  /** Comments between a significant token and the one before it, keyed by local start offset. */
  readonly #commentsBefore = new Map<number, IToken[]>();

  constructor(input: ToAstInput, diagnostics: WitDiagnostic[]) {
    this.#in = input;
    this.#diags = diagnostics;
    let c = 0;
    const comments = input.comments;
    for (const t of input.tokens) {
      const before: IToken[] = [];
      while (c < comments.length && comments[c]!.startOffset < t.startOffset) before.push(comments[c++]!);
      if (before.length > 0) this.#commentsBefore.set(t.startOffset, before);
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  #error(kind: WitErrorKind, message: string, span: Span): void {
    this.#diags.push({ kind, message, span });
  }

  #tokenSpan(t: IToken): Span {
    const base = this.#in.fileOffset;
    return { start: base + t.startOffset, end: base + (t.endOffset ?? t.startOffset) + 1 };
  }

  #nodeSpan(n: CstNode): Span {
    const loc = n.location;
    const base = this.#in.fileOffset;
    if (loc && Number.isFinite(loc.startOffset) && loc.endOffset !== undefined && Number.isFinite(loc.endOffset)) {
      return { start: base + loc.startOffset, end: base + loc.endOffset + 1 };
    }
    const ts = allTokens(n);
    if (ts.length === 0) return { start: base, end: base };
    const first = Math.min(...ts.map((t) => t.startOffset));
    const last = Math.max(...ts.map((t) => t.endOffset ?? t.startOffset));
    return { start: base + first, end: base + last + 1 };
  }

  #joinSpans(a: Span, b: Span): Span {
    return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
  }

  /** Docs of an item: the comments directly before its first token (gates included). */
  #docs(item: CstNode): Docs {
    const first = startOf(item);
    const comments = this.#commentsBefore.get(first);
    if (!comments) return NO_DOCS;
    return { contents: processDocs(comments.map((c) => c.image)) };
  }

  /** An `id` node → Id (validated; `%` stripped), or null when recovery left it out. */
  #id(n: CstNode | undefined): Id | null {
    if (!n) return null;
    const plain = tok(n, 'Id') ?? tok(n, 'BadId');
    const explicit = tok(n, 'ExplicitId');
    const t = plain ?? explicit;
    if (!t) return null;
    const span = this.#tokenSpan(t);
    const name = explicit ? t.image.slice(1) : t.image;
    if (explicit && name.length === 0) {
      this.#error('syntax', "expected an identifier after '%'", span);
    } else {
      const problem = validateIdentifier(name);
      if (problem) this.#error('syntax', problem, span);
    }
    return { name, span };
  }

  #version(n: CstNode | undefined): { text: string; span: Span } | null {
    if (!n) return null;
    const ts = allTokens(n).sort((a, b) => a.startOffset - b.startOffset);
    if (ts.length === 0) return null;
    const first = ts[0]!;
    const last = ts[ts.length - 1]!;
    const span = this.#joinSpans(this.#tokenSpan(first), this.#tokenSpan(last));
    // wit-parser reads `major '.' minor '.' patch` as tokens, then hands the source text of the
    // whole version (whitespace and comments included) to the semver parser.
    const shape = [Integer, Period, Integer, Period, Integer];
    for (let i = 0; i < shape.length; i++) {
      const t = ts[i];
      if (t && t.tokenType === shape[i]) continue;
      const found = t ?? this.#tokenAfter(last);
      const at = found ? this.#tokenSpan(found) : { start: span.end, end: span.end };
      this.#error('syntax', `expected ${describeToken(shape[i]!)}, found ${found ? describeFound(found) : 'eof'}`, at);
      return { text: ts.map((x) => x.image).join(''), span };
    }
    const text = this.#in.text.slice(first.startOffset, (last.endOffset ?? last.startOffset) + 1);
    const problem = semverProblem(text);
    if (problem) this.#error('syntax', problem, span);
    return { text: ts.map((x) => x.image).join(''), span };
  }

  /** The first significant token after `t`. */
  #tokenAfter(t: IToken): IToken | undefined {
    return this.#in.tokens.find((x) => x.startOffset > t.startOffset);
  }

  #packageName(n: CstNode | undefined): PackageName | null {
    const ns = this.#id(node(n, 'id', 0));
    const name = this.#id(node(n, 'id', 1));
    if (!n || !ns || !name) return null;
    const version = this.#version(node(n, 'version'));
    return { namespace: ns, name, version, span: this.#joinSpans(ns.span, version?.span ?? name.span) };
  }

  /**
   * Gates and `@external-id` of an item, plus its docs (comments before `docsFrom`).
   * `external` says whether `@external-id` is allowed on this kind of item.
   */
  #attributes(gate: CstNode | undefined, docsFrom: CstNode, external: ExternalIdRule): Attributes {
    const gates: GateItem[] = [];
    let externalId: ExternalId | undefined;
    for (const item of nodes(gate, 'gateItem')) {
      const span = this.#nodeSpan(item);
      const nameTok = node(item, 'id', 0);
      const attr = nameTok ? (tok(nameTok, 'Id') ?? tok(nameTok, 'ExplicitId')) : undefined;
      if (!attr) continue;
      const attrName = attr.image;
      const str = tok(item, 'StringLiteral');
      const key = this.#rawId(node(item, 'id', 1));
      const valueId = node(item, 'id', 2);
      const versionNode = node(item, 'version');
      const expectKey = (want: string): boolean => {
        if (key === null) {
          this.#error('syntax', `expected \`${want} = …\` in \`@${attrName}\``, span);
          return false;
        }
        if (key.name !== want) {
          this.#error('syntax', `expected \`${want}\`, found \`${key.name}\``, key.span);
          return false;
        }
        return true;
      };
      const expectVersion = (): string | null => {
        if (!versionNode) {
          this.#error('syntax', `expected a version in \`@${attrName}\``, valueId ? this.#nodeSpan(valueId) : span);
          return null;
        }
        return this.#version(versionNode)?.text ?? null;
      };
      switch (attrName) {
        case 'since':
        case 'deprecated': {
          if (!expectKey('version')) break;
          const version = expectVersion();
          if (version !== null) gates.push({ kind: attrName, version, span });
          break;
        }
        case 'unstable': {
          if (!expectKey('feature')) break;
          const feature = valueId ? this.#id(valueId) : null;
          if (!feature) {
            this.#error('syntax', 'expected a feature name in `@unstable`', span);
            break;
          }
          gates.push({ kind: 'unstable', feature, span });
          break;
        }
        case 'external-id': {
          if (!str) {
            this.#error('syntax', 'expected a string literal in `@external-id`', span);
            break;
          }
          const decoded = decodeStringLiteral(str.image);
          if ('error' in decoded) {
            const end = str.startOffset + str.image.length;
            if (decoded.at === 0 && /^\r?\n/.test(this.#in.text.slice(end))) {
              // The literal runs into the end of the line: wit-parser reports the newline.
              const at = this.#in.fileOffset + end;
              this.#error('syntax', "invalid string character '\\n'", { start: at, end: at + 1 });
              return { docs: this.#docs(docsFrom), gates };
            }
            this.#error('syntax', decoded.error, this.#tokenSpan(str));
            break;
          }
          if (external === 'forbidden') {
            this.#error('syntax', '`@external-id` is not allowed on this item', span);
          } else if (externalId) {
            this.#error('syntax', 'duplicate `@external-id`', span);
          } else {
            externalId = { value: decoded.value, span };
          }
          break;
        }
        default:
          this.#error('syntax', `unknown attribute \`${attrName}\``, this.#tokenSpan(attr));
      }
      if (str && attrName !== 'external-id') {
        this.#error('syntax', `unexpected string literal in \`@${attrName}\``, this.#tokenSpan(str));
      }
    }
    const attrs: Attributes = { docs: this.#docs(docsFrom), gates };
    return externalId ? { ...attrs, externalId } : attrs;
  }

  /** An `id` node's text without validation (attribute keys such as `version`). */
  #rawId(n: CstNode | undefined): Id | null {
    const t = n ? (tok(n, 'Id') ?? tok(n, 'ExplicitId')) : undefined;
    if (!t) return null;
    return { name: t.image.replace(/^%/, ''), span: this.#tokenSpan(t) };
  }

  // --- file --------------------------------------------------------------------------------------

  file(): File {
    const { path, text, fileOffset } = this.#in;
    let pkg: File['package'] = null;
    const items: TopLevelItem[] = [];
    let sawItem = false;
    const entries = this.#in.csts.flatMap((cst) => inOrder(cst, ['packageStatement', 'packageItems']));
    for (const { key, node: n } of entries) {
      if (key === 'packageItems') {
        const item = this.#packageItem(n);
        if (item) items.push(item);
        sawItem = true;
        continue;
      }
      const name = this.#packageName(node(n, 'packageDecl'));
      const span = this.#nodeSpan(n);
      if (tok(n, 'LBrace')) {
        const nested = this.#nestedPackage(n, name, span);
        if (nested) items.push(nested);
        sawItem = true;
      } else if (tok(n, 'Semicolon') || !tok(n, 'LBrace')) {
        if (pkg) {
          this.#error('syntax', 'duplicate `package` declaration', span);
        } else if (sawItem) {
          // wit-parser only looks for `package a:b;` first in a file; later it expects a nested
          // package, so it reports the ';'.
          const semi = tok(n, 'Semicolon');
          this.#error(
            'syntax',
            "expected '{', found ';'\nthe `package` declaration must come before all items of the file",
            semi ? this.#tokenSpan(semi) : span,
          );
        } else if (name) {
          pkg = { name, docs: this.#docs(n), span };
        }
        sawItem = true;
      }
    }
    return { path, package: pkg, items, span: { start: fileOffset, end: fileOffset + text.length } };
  }

  #nestedPackage(n: CstNode, name: PackageName | null, span: Span): NestedPackage | null {
    const items: NestedPackage['items'][number][] = [];
    for (const child of nodes(n, 'packageItems')) {
      const item = this.#packageItem(child);
      if (item) items.push(item);
    }
    if (!name) return null;
    return { kind: 'nested-package', name, items, docs: this.#docs(n), gates: [], span };
  }

  #packageItem(n: CstNode): TopLevelUse | InterfaceItem | WorldItemDecl | null {
    const attrs = this.#attributes(node(n, 'gate'), n, 'forbidden');
    const span = this.#nodeSpan(n);
    const use = node(n, 'toplevelUseItem');
    if (use) {
      const path = this.#usePath(node(use, 'usePath'));
      if (!path) return null;
      const as = node(use, 'id') ? this.#id(node(use, 'id')) : null;
      return { kind: 'use', path, as, ...attrs, span };
    }
    const iface = node(n, 'interfaceItem');
    if (iface) {
      const name = this.#id(node(iface, 'id'));
      const items = this.#interfaceMembers(iface);
      return name ? { kind: 'interface', name, items, ...attrs, span } : null;
    }
    const world = node(n, 'worldItem');
    if (world) {
      const name = this.#id(node(world, 'id'));
      const items = this.#worldMembers(world);
      return name ? { kind: 'world', name, items, ...attrs, span } : null;
    }
    return null;
  }

  #usePath(n: CstNode | undefined): UsePath | null {
    if (!n) return null;
    const ids = nodes(n, 'id');
    const span = this.#nodeSpan(n);
    if (ids.length === 1) {
      const name = this.#id(ids[0]);
      return name ? { kind: 'name', name, span } : null;
    }
    return this.#packagePath(ids[0], ids[1], ids[2], node(n, 'version'), span);
  }

  #packagePath(
    nsNode: CstNode | undefined,
    pkgNode: CstNode | undefined,
    ifaceNode: CstNode | undefined,
    versionNode: CstNode | undefined,
    span: Span,
  ): UsePath | null {
    const ns = this.#id(nsNode);
    const pkg = this.#id(pkgNode);
    const iface = this.#id(ifaceNode);
    if (!ns || !pkg || !iface) return null;
    const version = this.#version(versionNode);
    const pkgSpan = this.#joinSpans(ns.span, pkg.span);
    return {
      kind: 'package',
      package: { namespace: ns, name: pkg, version, span: version ? this.#joinSpans(pkgSpan, version.span) : pkgSpan },
      interface: iface,
      span,
    };
  }

  // --- interfaces ----------------------------------------------------------------------------------

  /** Names declared in a body (types and `use`d names), to tell `float32` the type from a typo. */
  #scopeOf(definitions: readonly CstNode[]): Set<string> {
    const scope = new Set<string>();
    for (const def of definitions) {
      const typedef = node(def, 'typedefItem');
      if (typedef) {
        for (const kind of Object.values(typedef.children)) {
          for (const c of kind) {
            const name = isNode(c) ? this.#rawId(node(c, 'id')) : null;
            if (name) scope.add(name.name);
          }
        }
      }
      const use = node(def, 'useItem');
      for (const item of nodes(node(use, 'useNamesList'), 'useNamesItem')) {
        const name = this.#rawId(node(item, 'id', 1) ?? node(item, 'id', 0));
        if (name) scope.add(name.name);
      }
    }
    return scope;
  }

  #interfaceMembers(body: CstNode): InterfaceMember[] {
    const items = nodes(body, 'interfaceItems');
    const scope = this.#scopeOf(items.map((i) => node(i, 'interfaceDefinition')).filter((d) => d !== undefined));
    const out: InterfaceMember[] = [];
    for (const item of items) {
      const def = node(item, 'interfaceDefinition');
      const gate = node(item, 'gate');
      const use = node(def, 'useItem');
      if (use) {
        const u = this.#useItem(use, this.#attributes(gate, item, 'forbidden'));
        if (u) out.push(u);
        continue;
      }
      const attrs = this.#attributes(gate, item, 'allowed');
      const typedef = node(def, 'typedefItem');
      if (typedef) {
        const t = this.#typedef(typedef, attrs, scope, this.#nodeSpan(item));
        if (t) out.push(t);
        continue;
      }
      const func = node(def, 'funcItem');
      if (func) {
        const name = this.#id(node(func, 'id'));
        const ft = this.#funcType(node(func, 'funcType'), scope);
        if (name && ft) out.push({ kind: 'func', name, func: ft, ...attrs, span: this.#nodeSpan(item) });
      }
    }
    return out;
  }

  #useItem(n: CstNode, attrs: Attributes): UseItem | null {
    const from = this.#usePath(node(n, 'usePath'));
    const list = node(n, 'useNamesList');
    const names: { name: Id; as: Id | null }[] = [];
    for (const item of nodes(list, 'useNamesItem')) {
      const name = this.#id(node(item, 'id', 0));
      const as = node(item, 'id', 1) ? this.#id(node(item, 'id', 1)) : null;
      if (name) names.push({ name, as });
    }
    const span = this.#nodeSpan(n);
    if (names.length === 0 && tok(n, 'RBrace')) {
      this.#error('syntax', '`use` must name at least one item', span);
    }
    return from ? { kind: 'use', from, names, ...attrs, span } : null;
  }

  #typedef(n: CstNode, attrs: Attributes, scope: ReadonlySet<string>, span: Span): TypeDefItem | null {
    this.#inTypedef = true;
    try {
      return this.#typedefItem(n, attrs, scope, span);
    } finally {
      this.#inTypedef = false;
    }
  }

  /**
   * Whether the types being built belong to a type definition (wit-parser reports an unknown
   * name there as a `type`, in a function signature as a `name`).
   */
  #inTypedef = false;

  #typedefItem(n: CstNode, attrs: Attributes, scope: ReadonlySet<string>, span: Span): TypeDefItem | null {
    const record = node(n, 'recordItem');
    if (record) {
      const name = this.#id(node(record, 'id'));
      const fields = nodes(record, 'recordField').flatMap((f) => {
        this.#noGates(f, 'record fields');
        const fname = this.#id(node(f, 'id'));
        const type = this.#ty(node(f, 'ty'), scope);
        return fname && type ? [{ name: fname, type, docs: this.#docs(f), gates: [], span: this.#nodeSpan(f) }] : [];
      });
      if (!name) return null;
      this.#nonEmpty(record, fields.length, 'empty record', name.span);
      return { kind: 'record', name, fields, ...attrs, span };
    }
    const variant = node(n, 'variantItems');
    if (variant) {
      const name = this.#id(node(variant, 'id'));
      const cases = nodes(variant, 'variantCase').flatMap((c) => {
        this.#noGates(c, 'variant cases');
        const cname = this.#id(node(c, 'id'));
        const tyNode = node(c, 'ty');
        const type = tyNode ? this.#ty(tyNode, scope) : null;
        return cname ? [{ name: cname, type, docs: this.#docs(c), gates: [], span: this.#nodeSpan(c) }] : [];
      });
      if (!name) return null;
      this.#nonEmpty(variant, cases.length, 'empty variant', name.span);
      return { kind: 'variant', name, cases, ...attrs, span };
    }
    const enumNode = node(n, 'enumItems');
    if (enumNode) {
      const name = this.#id(node(enumNode, 'id'));
      const cases = nodes(enumNode, 'enumCase').flatMap((c) => {
        this.#noGates(c, 'enum cases');
        const cname = this.#id(node(c, 'id'));
        return cname ? [{ name: cname, docs: this.#docs(c), gates: [], span: this.#nodeSpan(c) }] : [];
      });
      if (!name) return null;
      this.#nonEmpty(enumNode, cases.length, 'empty enum', name.span);
      return { kind: 'enum', name, cases, ...attrs, span };
    }
    const flags = node(n, 'flagsItems');
    if (flags) {
      const name = this.#id(node(flags, 'id'));
      const list = nodes(flags, 'flagsField').flatMap((c) => {
        this.#noGates(c, 'flags');
        const fname = this.#id(node(c, 'id'));
        return fname ? [{ name: fname, docs: this.#docs(c), gates: [], span: this.#nodeSpan(c) }] : [];
      });
      if (!name) return null;
      this.#nonEmpty(flags, list.length, 'empty flags', name.span);
      return { kind: 'flags', name, flags: list, ...attrs, span };
    }
    const resource = node(n, 'resourceItem');
    if (resource) {
      const name = this.#id(node(resource, 'id'));
      const members = nodes(resource, 'resourceMethod').flatMap((m) => this.#resourceMember(m, scope));
      return name ? { kind: 'resource', name, members, ...attrs, span } : null;
    }
    const alias = node(n, 'typeItem');
    if (alias) {
      const name = this.#id(node(alias, 'id'));
      const type = this.#ty(node(alias, 'ty'), scope);
      return name && type ? { kind: 'type', name, type, ...attrs, span } : null;
    }
    return null;
  }

  /** Members of records, variants, enums and flags take docs but no gates (WIT.md grammar). */
  #noGates(member: CstNode, what: string): void {
    const first = node(node(member, 'gate'), 'gateItem');
    if (first) {
      this.#error('syntax', `expected an identifier or string, found \`@\`\nattributes are not allowed on ${what}`, this.#nodeSpan(first));
    }
  }

  /** Reports an empty `{ }` body (only when the body was actually parsed, not lost to recovery). */
  #nonEmpty(n: CstNode, count: number, message: string, span: Span): void {
    if (count === 0 && tok(n, 'RBrace') && !n.recoveredNode) this.#error('syntax', message, span);
  }

  #resourceMember(m: CstNode, scope: ReadonlySet<string>): ResourceMember[] {
    // A resource's members are function signatures, not parts of the type definition.
    const inTypedef = this.#inTypedef;
    this.#inTypedef = false;
    try {
      return this.#resourceMemberItems(m, scope);
    } finally {
      this.#inTypedef = inTypedef;
    }
  }

  #resourceMemberItems(m: CstNode, scope: ReadonlySet<string>): ResourceMember[] {
    const attrs = this.#attributes(node(m, 'gate'), m, 'allowed');
    const span = this.#nodeSpan(m);
    if (tok(m, 'Kw_constructor')) {
      const params = this.#params(node(m, 'paramList'), scope);
      const result = this.#resultType(node(m, 'resultList'), scope);
      return [{ kind: 'constructor', params, result, ...attrs, span }];
    }
    const name = this.#id(node(m, 'id'));
    const func = this.#funcType(node(m, 'funcType'), scope);
    if (!name || !func) return [];
    const kind = tok(m, 'Kw_static') ? 'static' : 'method';
    return [{ kind, name, func, ...attrs, span }];
  }

  #funcType(n: CstNode | undefined, scope: ReadonlySet<string>): FuncType | null {
    if (!n || !tok(n, 'Kw_func')) return null;
    return {
      async: tok(n, 'Kw_async') !== undefined,
      params: this.#params(node(n, 'paramList'), scope),
      result: this.#resultType(node(n, 'resultList'), scope),
      span: this.#nodeSpan(n),
    };
  }

  #params(n: CstNode | undefined, scope: ReadonlySet<string>): Param[] {
    return nodes(node(n, 'namedTypeList'), 'namedType').flatMap((p) => {
      const name = this.#id(node(p, 'id'));
      const type = this.#ty(node(p, 'ty'), scope);
      return name && type ? [{ name, type, span: this.#nodeSpan(p) }] : [];
    });
  }

  #resultType(n: CstNode | undefined, scope: ReadonlySet<string>): TypeExpr | null {
    if (!n) return null;
    const open = tok(n, 'LParen');
    if (open) {
      // Removed from WIT: `-> (a: u32, b: u32)`.
      const close = tok(n, 'RParen');
      const span = close ? this.#joinSpans(this.#tokenSpan(open), this.#tokenSpan(close)) : this.#tokenSpan(open);
      this.#error(
        'syntax',
        "expected a type, found '('\nnamed results are not supported: return a single type, such as a `tuple` or a `record`",
        span,
      );
      return null;
    }
    const ty = node(n, 'ty');
    return ty ? this.#ty(ty, scope) : null;
  }

  // --- worlds --------------------------------------------------------------------------------------------

  #worldMembers(world: CstNode): WorldMember[] {
    const items = nodes(world, 'worldItems');
    const scope = this.#scopeOf(items.map((i) => node(i, 'worldDefinition')).filter((d) => d !== undefined));
    const out: WorldMember[] = [];
    for (const item of items) {
      const def = node(item, 'worldDefinition');
      const gate = node(item, 'gate');
      const span = this.#nodeSpan(item);
      const use = node(def, 'useItem');
      if (use) {
        const u = this.#useItem(use, this.#attributes(gate, item, 'forbidden'));
        if (u) out.push(u);
        continue;
      }
      const typedef = node(def, 'typedefItem');
      if (typedef) {
        const t = this.#typedef(typedef, this.#attributes(gate, item, 'forbidden'), scope, span);
        if (t) out.push(t);
        continue;
      }
      const include = node(def, 'includeItem');
      if (include) {
        const inc = this.#include(include, this.#attributes(gate, item, 'forbidden'), span);
        if (inc) out.push(inc);
        continue;
      }
      const imp = node(def, 'importItem');
      const exp = node(def, 'exportItem');
      const ext = imp ?? exp;
      if (ext) {
        const e = this.#importExport(imp ? 'import' : 'export', ext, gate, item, scope, span);
        if (e) out.push(e);
      }
    }
    return out;
  }

  #include(n: CstNode, attrs: Attributes, span: Span): Include | null {
    const path = this.#usePath(node(n, 'usePath'));
    const renames = nodes(n, 'includeNamesItem').flatMap((r) => {
      const name = this.#id(node(r, 'id', 0));
      const as = this.#id(node(r, 'id', 1));
      return name && as ? [{ name, as }] : [];
    });
    if (tok(n, 'Kw_with') && renames.length === 0 && tok(n, 'RBrace')) {
      this.#error('syntax', '`include … with { }` must rename at least one name', span);
    }
    return path ? { kind: 'include', path, with: renames, ...attrs, span } : null;
  }

  #importExport(
    kind: 'import' | 'export',
    n: CstNode,
    gate: CstNode | undefined,
    item: CstNode,
    scope: ReadonlySet<string>,
    span: Span,
  ): ImportExport | null {
    const ext = node(n, 'externType');
    if (!ext) return null;
    const ids = nodes(ext, 'id');
    const colons = toks(ext, 'Colon');
    const funcType = node(ext, 'funcType');
    const inline = tok(ext, 'Kw_interface');
    const slash = tok(ext, 'Slash');
    const plainName = funcType !== undefined || inline !== undefined || colons.length === 2 || (colons.length === 1 && !slash);
    const attrs = this.#attributes(gate, item, plainName ? 'allowed' : 'forbidden');
    const first = this.#id(ids[0]);
    if (!first) return null;
    let target: ImportExport['target'] | null = null;
    if (funcType) {
      const func = this.#funcType(funcType, scope);
      if (func) target = { kind: 'func', name: first, func };
    } else if (inline) {
      target = { kind: 'interface', name: first, items: this.#interfaceMembers(ext) };
    } else if (slash && colons.length === 1) {
      const path = this.#packagePath(ids[0], ids[1], ids[2], node(ext, 'version'), this.#nodeSpan(ext));
      if (path) target = { kind: 'path', path: { ...path, span: this.#pathSpan(ext, path) } };
    } else if (slash && colons.length === 2) {
      const path = this.#packagePath(ids[1], ids[2], ids[3], node(ext, 'version'), this.#nodeSpan(ext));
      if (path) target = { kind: 'named-path', name: first, path: { ...path, span: this.#pathSpan(ext, path) } };
    } else if (colons.length === 1) {
      const iface = this.#id(ids[1]);
      const colon = colons[0]!;
      if (iface) {
        // WIT.md (🏷️ plain names): `a:b` is lexed as one token, so `import a:b;` names a package,
        // which can't be imported ("error: can't import a package"). wit-parser 0.259 still reads
        // it as `import a: b;`; the spec's rule is kept here.
        if (first.span.end === this.#tokenSpan(colon).start && this.#tokenSpan(colon).end === iface.span.start) {
          this.#error(
            'syntax',
            `cannot ${kind} a package: write \`${first.name}:${iface.name}/<interface>\`, or \`${first.name}: ${iface.name}\` for an interface under a plain name`,
            this.#joinSpans(first.span, iface.span),
          );
        }
        target = { kind: 'named-path', name: first, path: { kind: 'name', name: iface, span: iface.span } };
      }
    } else {
      target = { kind: 'path', path: { kind: 'name', name: first, span: first.span } };
    }
    return target ? { kind, target, ...attrs, span } : null;
  }

  /** Span of an interface path inside `externType` (from the namespace to the version). */
  #pathSpan(ext: CstNode, path: UsePath): Span {
    if (path.kind === 'name') return path.name.span;
    const version = path.package.version;
    return this.#joinSpans(path.package.namespace.span, version ? version.span : path.interface.span);
  }

  // --- types ------------------------------------------------------------------------------------------------

  #ty(n: CstNode | undefined, scope: ReadonlySet<string>): TypeExpr | null {
    if (!n) return null;
    const span = this.#nodeSpan(n);
    const prim = tok(n, 'PrimitiveType');
    if (prim) return { kind: 'primitive', name: prim.image as PrimitiveName, span };
    const idNode = node(n, 'id');
    if (idNode) {
      const name = this.#id(idNode);
      if (!name) return null;
      if ((name.name === 'float32' || name.name === 'float64') && !scope.has(name.name)) {
        const replacement = name.name === 'float32' ? 'f32' : 'f64';
        this.#error(
          'syntax',
          `${this.#inTypedef ? 'type' : 'name'} \`${name.name}\` does not exist\nthe \`${name.name}\` type has been renamed to \`${replacement}\` and is no longer accepted`,
          name.span,
        );
        return { kind: 'primitive', name: replacement, span };
      }
      return { kind: 'named', name, span };
    }
    const tuple = node(n, 'tuple');
    if (tuple) {
      const types = nodes(tuple, 'ty').flatMap((t) => this.#ty(t, scope) ?? []);
      if (types.length === 0 && tok(tuple, 'RAngle') && !tuple.recoveredNode) {
        this.#error('syntax', 'empty tuple', span);
      }
      return { kind: 'tuple', types, span };
    }
    const list = node(n, 'list');
    if (list) {
      const element = this.#ty(node(list, 'ty'), scope);
      if (!element) return null;
      const size = tok(list, 'Integer');
      if (!size) return { kind: 'list', element, span };
      const length = Number(size.image);
      if (!/^[1-9][0-9]*$/.test(size.image)) {
        this.#error('syntax', 'the length of a fixed-length list must be a positive integer without leading zeros', this.#tokenSpan(size));
      } else if (length > 0xffffffff) {
        this.#error('syntax', 'the length of a fixed-length list must fit in a u32', this.#tokenSpan(size));
      }
      return { kind: 'fixed-length-list', element, length, span };
    }
    const option = node(n, 'optionType');
    if (option) {
      const type = this.#ty(node(option, 'ty'), scope);
      return type ? { kind: 'option', type, span } : null;
    }
    const result = node(n, 'result');
    if (result) {
      const tys = nodes(result, 'ty');
      if (tok(result, 'Kw_underscore')) {
        return { kind: 'result', ok: null, err: this.#ty(tys[0], scope), span };
      }
      return { kind: 'result', ok: this.#ty(tys[0], scope), err: this.#ty(tys[1], scope), span };
    }
    const map = node(n, 'map');
    if (map) {
      const key = this.#ty(node(map, 'ty', 0), scope);
      const value = this.#ty(node(map, 'ty', 1), scope);
      if (!key || !value) return null;
      if (key.kind !== 'primitive' || !MAP_KEY_TYPES.has(key.name)) {
        this.#error('syntax', 'invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string', key.span);
      }
      return { kind: 'map', key, value, span };
    }
    const handle = node(n, 'handle');
    if (handle) {
      const resource = this.#id(node(handle, 'id'));
      if (!resource) return null;
      return { kind: tok(handle, 'Kw_own') ? 'own' : 'borrow', resource, span };
    }
    const future = node(n, 'future');
    if (future) return { kind: 'future', type: this.#ty(node(future, 'ty'), scope), span };
    const stream = node(n, 'stream');
    if (stream) return { kind: 'stream', type: this.#ty(node(stream, 'ty'), scope), span };
    return null;
  }
}

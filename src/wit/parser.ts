/**
 * The WIT grammar as a chevrotain {@link CstParser}: rules only, named after the productions of
 * WIT.md (camelCased), one singleton instance ({@link witParser}). All meaning (identifier rules,
 * versions, empty bodies, legacy syntax, docs) is decided in `to-ast.ts`; the grammar is kept a
 * little more permissive than WIT.md where that yields a better located message there (named
 * results, empty `record {}`, any attribute name after `@`).
 *
 * Two productions are left-factored because chevrotain is LL(k): `package-decl` followed by `;`
 * (the file's package) or by `{ … }` (a nested package) is {@link WitParser.packageStatement},
 * and `import`/`export`'s `id ':' extern-type | use-path` is {@link WitParser.externType}.
 */
import {
  CstParser,
  EOF,
  type CstNode,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from 'chevrotain';
import {
  allTokens,
  At,
  BadId,
  Colon,
  Comma,
  describeFound,
  describeToken,
  Equals,
  ExplicitId,
  Id,
  Integer,
  kw,
  LAngle,
  LBrace,
  LParen,
  Minus,
  Period,
  Plus,
  PrimitiveType,
  RAngle,
  RArrow,
  RBrace,
  RParen,
  Semicolon,
  Slash,
  StringLiteral,
} from './tokens.js';

/** `a`, `a or b`, `a, b or c` */
function listAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]!}`;
}

function found(actual: IToken): string {
  const text = describeFound(actual);
  return actual.tokenType === Integer ? `${text} (identifiers must start with a letter)` : text;
}

function firstTokens(paths: readonly (readonly TokenType[])[]): string[] {
  const seen = new Set<string>();
  for (const path of paths) {
    const first = path[0];
    if (first) seen.add(describeToken(first));
  }
  return [...seen];
}

/** What wit-parser expects at the start of an interface item and of a world item. */
const INTERFACE_ITEM = '`type`, `resource` or `func`';
const WORLD_ITEM = '`import`, `export`, `include`, `use`, or type definition';

/**
 * Rules whose body is `'{' item* '}'`: a token that can't start an item is reported as wit-parser
 * does ("expected `type`, `resource` or `func`, found …"), not as a missing '}'.
 */
const ITEM_LISTS: Readonly<Record<string, string>> = {
  interfaceItem: INTERFACE_ITEM,
  externType: INTERFACE_ITEM,
  worldItem: WORLD_ITEM,
};

/**
 * Syntax errors left before {@link parseTokens} gives up on its tokens. Each error costs a
 * resync scan over the tokens that follow, so a long run of errors in one item is quadratic
 * (seconds for 100 kB); past a few errors per token nothing new is learned anyway.
 */
let errorBudget = Infinity;

/** Thrown (through chevrotain, which lets non-parse errors pass) when the budget is spent. */
class TooManyErrors extends Error {}

/** Every message built is an error about to be recorded: count it. */
function spendError(): void {
  if (--errorBudget < 0) throw new TooManyErrors();
}

/** wasm-tools' voice: "expected ';', found keyword `type`". */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    spendError();
    if (expected === EOF) {
      return `expected \`package\`, \`world\`, \`interface\` or \`use\`, found ${describeFound(actual)}`;
    }
    const items = ITEM_LISTS[ruleName];
    if (expected === RBrace && items) return `expected ${items}, found ${found(actual)}`;
    return `expected ${describeToken(expected)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    spendError();
    return `expected \`package\`, \`world\`, \`interface\` or \`use\`, found ${describeFound(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription, ruleName }) {
    spendError();
    const first = actual[0];
    if (ruleName === 'packageStatement') {
      // wit-parser tries `package a:b;` first and otherwise expects a nested package.
      return (
        `expected '{', found ${first ? found(first) : 'eof'}\n` +
        "a `package` declaration ends with ';', or opens a nested package with '{'"
      );
    }
    const what = customUserDescription ?? listAlternatives(firstTokens(expectedPathsPerAlt.flat()));
    return `expected ${what}, found ${first ? found(first) : 'eof'}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
    spendError();
    const what = customUserDescription ?? listAlternatives(firstTokens(expectedIterationPaths));
    const first = actual[0];
    return `expected ${what}, found ${first ? found(first) : 'eof'}`;
  },
};

/** The WIT grammar. Use the {@link witParser} singleton. */
export class WitParser extends CstParser {
  constructor() {
    super(allTokens, {
      // Report every syntax error of a file in one run (re-sync at item boundaries).
      recoveryEnabled: true,
      // Item spans come from node offsets; lines/columns are the SourceMap's job.
      nodeLocationTracking: 'onlyOffset',
      // `Comma` followed by an item vs. a trailing `Comma` before a closer needs two tokens;
      // three covers `import a: b` vs `import a:b/c`.
      maxLookahead: 3,
      errorMessageProvider,
    });
    this.performSelfAnalysis();
  }

  /** `wit-file ::= (package-decl ';')? (package-items | nested-package-definition)*` */
  witFile = this.RULE('witFile', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.packageStatement) },
        { ALT: () => this.SUBRULE(this.packageItems) },
      ]);
    });
  });

  /** `package-decl ';'` or `nested-package-definition ::= package-decl '{' package-items* '}'` */
  packageStatement = this.RULE('packageStatement', () => {
    this.SUBRULE(this.packageDecl);
    this.OR([
      { ALT: () => this.CONSUME(Semicolon) },
      {
        ALT: () => {
          this.CONSUME(LBrace);
          this.MANY(() => this.SUBRULE(this.packageItems));
          this.CONSUME(RBrace);
        },
      },
    ]);
  });

  /** `package-decl ::= 'package' id ':' id ('@' valid-semver)?` (nested namespaces 🪺 are not supported) */
  packageDecl = this.RULE('packageDecl', () => {
    this.CONSUME(kw.package);
    this.SUBRULE(this.id);
    this.CONSUME(Colon);
    this.SUBRULE2(this.id);
    this.OPTION(() => {
      this.CONSUME(At);
      this.SUBRULE(this.version);
    });
  });

  /** `package-items ::= toplevel-use-item | interface-item | world-item` (each with its gate) */
  packageItems = this.RULE('packageItems', () => {
    this.SUBRULE(this.gate);
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.toplevelUseItem) },
        { ALT: () => this.SUBRULE(this.interfaceItem) },
        { ALT: () => this.SUBRULE(this.worldItem) },
      ],
      ERR_MSG: '`world`, `interface` or `use`',
    });
  });

  /** `toplevel-use-item ::= 'use' use-path ('as' id)? ';'` */
  toplevelUseItem = this.RULE('toplevelUseItem', () => {
    this.CONSUME(kw.use);
    this.SUBRULE(this.usePath);
    this.OPTION(() => {
      this.CONSUME(kw.as);
      this.SUBRULE(this.id);
    });
    this.CONSUME(Semicolon);
  });

  /** `use-path ::= id | id ':' id '/' id ('@' valid-semver)?` */
  usePath = this.RULE('usePath', () => {
    this.SUBRULE(this.id);
    this.OPTION(() => {
      this.CONSUME(Colon);
      this.SUBRULE2(this.id);
      this.CONSUME(Slash);
      this.SUBRULE3(this.id);
      this.OPTION2(() => {
        this.CONSUME(At);
        this.SUBRULE(this.version);
      });
    });
  });

  /**
   * `valid-semver`, as a run of adjacent tokens (`1`, `.`, `0`, `-`, `rc`, `+`, …); `to-ast.ts`
   * checks that they touch and form a valid semver. A `.` is only taken when an identifier or
   * integer follows, so `use a:b/c@1.0.0.{x}` stops before `.{`.
   */
  version = this.RULE('version', () => {
    this.CONSUME(Integer);
    this.MANY({
      GATE: () => {
        if (this.LA(1).tokenType !== Period) return true;
        const next = this.LA(2).tokenType;
        return next === Integer || next === Id || next === BadId;
      },
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(Period) },
          { ALT: () => this.CONSUME2(Integer) },
          { ALT: () => this.CONSUME(Id) },
          { ALT: () => this.CONSUME(BadId) },
          { ALT: () => this.CONSUME(Minus) },
          { ALT: () => this.CONSUME(Plus) },
        ]);
      },
    });
  });

  /**
   * `gate ::= gate-item*`; each item is `'@' id '(' … ')'`. `@external-id("…")` is parsed here too
   * (it sits between the gate and the item) and `to-ast.ts` sorts the attributes out.
   */
  gate = this.RULE('gate', () => {
    this.MANY(() => this.SUBRULE(this.gateItem));
  });

  /** `gate-item ::= '@' id '(' (id '=' (valid-semver | id) | string-literal) ')'` */
  gateItem = this.RULE('gateItem', () => {
    this.CONSUME(At);
    this.SUBRULE(this.id);
    this.CONSUME(LParen);
    this.OR([
      {
        ALT: () => {
          this.SUBRULE2(this.id);
          this.CONSUME(Equals);
          this.OR2({
            DEF: [{ ALT: () => this.SUBRULE(this.version) }, { ALT: () => this.SUBRULE3(this.id) }],
            ERR_MSG: 'a version or an identifier',
          });
        },
      },
      { ALT: () => this.CONSUME(StringLiteral) },
    ]);
    this.CONSUME(RParen);
  });

  /** `interface-item ::= gate 'interface' id '{' interface-items* '}'` (gate parsed by the caller) */
  interfaceItem = this.RULE('interfaceItem', () => {
    this.CONSUME(kw.interface);
    this.SUBRULE(this.id);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.interfaceItems));
    this.CONSUME(RBrace);
  });

  /** `interface-items ::= gate interface-definition` */
  interfaceItems = this.RULE('interfaceItems', () => {
    this.SUBRULE(this.gate);
    this.SUBRULE(this.interfaceDefinition);
  });

  /** `interface-definition ::= use-item | typedef-item | func-item` */
  interfaceDefinition = this.RULE('interfaceDefinition', () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.useItem) },
        { ALT: () => this.SUBRULE(this.typedefItem) },
        { ALT: () => this.SUBRULE(this.funcItem) },
      ],
      ERR_MSG: INTERFACE_ITEM,
    });
  });

  /** `typedef-item ::= resource-item | variant-items | record-item | flags-items | enum-items | type-item` */
  typedefItem = this.RULE('typedefItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.resourceItem) },
      { ALT: () => this.SUBRULE(this.variantItems) },
      { ALT: () => this.SUBRULE(this.recordItem) },
      { ALT: () => this.SUBRULE(this.flagsItems) },
      { ALT: () => this.SUBRULE(this.enumItems) },
      { ALT: () => this.SUBRULE(this.typeItem) },
    ]);
  });

  /** `func-item ::= id ':' func-type ';'` */
  funcItem = this.RULE('funcItem', () => {
    this.SUBRULE(this.id);
    this.CONSUME(Colon);
    this.SUBRULE(this.funcType);
    this.CONSUME(Semicolon);
  });

  /** `func-type ::= 'async'? 'func' param-list result-list` */
  funcType = this.RULE('funcType', () => {
    this.OPTION(() => this.CONSUME(kw.async));
    this.CONSUME(kw.func);
    this.SUBRULE(this.paramList);
    this.SUBRULE(this.resultList);
  });

  /** `param-list ::= '(' named-type-list ')'` */
  paramList = this.RULE('paramList', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.namedTypeList);
    this.CONSUME(RParen);
  });

  /** `result-list ::= ε | '->' ty` (the legacy `'->' '(' named-type-list ')'` is parsed to be rejected) */
  resultList = this.RULE('resultList', () => {
    this.OPTION(() => {
      this.CONSUME(RArrow);
      this.OR({
        DEF: [
          { ALT: () => this.SUBRULE(this.ty) },
          {
            ALT: () => {
              this.CONSUME(LParen);
              this.SUBRULE(this.namedTypeList);
              this.CONSUME(RParen);
            },
          },
        ],
        ERR_MSG: 'a type',
      });
    });
  });

  /** `named-type-list ::= ε | named-type (',' named-type)* ','?` */
  namedTypeList = this.RULE('namedTypeList', () => {
    this.OPTION(() => {
      this.SUBRULE(this.namedType);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.namedType);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
  });

  /** `named-type ::= id ':' ty` */
  namedType = this.RULE('namedType', () => {
    this.SUBRULE(this.id);
    this.CONSUME(Colon);
    this.SUBRULE(this.ty);
  });

  /** `use-item ::= 'use' use-path '.' '{' use-names-list '}' ';'` */
  useItem = this.RULE('useItem', () => {
    this.CONSUME(kw.use);
    this.SUBRULE(this.usePath);
    this.CONSUME(Period);
    this.CONSUME(LBrace);
    this.SUBRULE(this.useNamesList);
    this.CONSUME(RBrace);
    this.CONSUME(Semicolon);
  });

  /** `use-names-list ::= use-names-item (',' use-names-item)* ','?` (empty is rejected in to-ast) */
  useNamesList = this.RULE('useNamesList', () => {
    this.OPTION(() => {
      this.SUBRULE(this.useNamesItem);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.useNamesItem);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
  });

  /** `use-names-item ::= id | id 'as' id` */
  useNamesItem = this.RULE('useNamesItem', () => {
    this.SUBRULE(this.id);
    this.OPTION(() => {
      this.CONSUME(kw.as);
      this.SUBRULE2(this.id);
    });
  });

  /** `type-item ::= 'type' id '=' ty ';'` */
  typeItem = this.RULE('typeItem', () => {
    this.CONSUME(kw.type);
    this.SUBRULE(this.id);
    this.CONSUME(Equals);
    this.SUBRULE(this.ty);
    this.CONSUME(Semicolon);
  });

  /** `record-item ::= 'record' id '{' record-fields '}'` */
  recordItem = this.RULE('recordItem', () => {
    this.CONSUME(kw.record);
    this.SUBRULE(this.id);
    this.CONSUME(LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.recordField);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.recordField);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBrace);
  });

  /** `record-field ::= id ':' ty` (a gate here is parsed only to be rejected in to-ast) */
  recordField = this.RULE('recordField', () => {
    this.SUBRULE(this.gate);
    this.SUBRULE(this.id);
    this.CONSUME(Colon);
    this.SUBRULE(this.ty);
  });

  /** `flags-items ::= 'flags' id '{' flags-fields '}'` */
  flagsItems = this.RULE('flagsItems', () => {
    this.CONSUME(kw.flags);
    this.SUBRULE(this.id);
    this.CONSUME(LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.flagsField);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.flagsField);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBrace);
  });

  /** One name of `flags-fields`. (a gate here is parsed only to be rejected in to-ast) */
  flagsField = this.RULE('flagsField', () => {
    this.SUBRULE(this.gate);
    this.SUBRULE(this.id);
  });

  /** `variant-items ::= 'variant' id '{' variant-cases '}'` */
  variantItems = this.RULE('variantItems', () => {
    this.CONSUME(kw.variant);
    this.SUBRULE(this.id);
    this.CONSUME(LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.variantCase);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.variantCase);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBrace);
  });

  /** `variant-case ::= id | id '(' ty ')'` (a gate here is parsed only to be rejected in to-ast) */
  variantCase = this.RULE('variantCase', () => {
    this.SUBRULE(this.gate);
    this.SUBRULE(this.id);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.SUBRULE(this.ty);
      this.CONSUME(RParen);
    });
  });

  /** `enum-items ::= 'enum' id '{' enum-cases '}'` */
  enumItems = this.RULE('enumItems', () => {
    this.CONSUME(kw.enum);
    this.SUBRULE(this.id);
    this.CONSUME(LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.enumCase);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.enumCase);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBrace);
  });

  /** One name of `enum-cases`. (a gate here is parsed only to be rejected in to-ast) */
  enumCase = this.RULE('enumCase', () => {
    this.SUBRULE(this.gate);
    this.SUBRULE(this.id);
  });

  /** `resource-item ::= 'resource' id ';' | 'resource' id '{' resource-method* '}'` */
  resourceItem = this.RULE('resourceItem', () => {
    this.CONSUME(kw.resource);
    this.SUBRULE(this.id);
    this.OR([
      { ALT: () => this.CONSUME(Semicolon) },
      {
        ALT: () => {
          this.CONSUME(LBrace);
          this.MANY(() => this.SUBRULE(this.resourceMethod));
          this.CONSUME(RBrace);
        },
      },
    ]);
  });

  /**
   * `resource-method ::= func-item | id ':' 'static' func-type ';' | 'constructor' param-list ';'`,
   * each preceded by its gate (as wasm-tools and WASI do), and constructors may declare
   * `-> result<…>`.
   */
  resourceMethod = this.RULE('resourceMethod', () => {
    this.SUBRULE(this.gate);
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(kw.constructor);
            this.SUBRULE(this.paramList);
            this.SUBRULE(this.resultList);
            this.CONSUME(Semicolon);
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.id);
            this.CONSUME(Colon);
            this.OPTION(() => this.CONSUME(kw.static));
            this.SUBRULE(this.funcType);
            this.CONSUME2(Semicolon);
          },
        },
      ],
      ERR_MSG: '`constructor` or identifier',
    });
  });

  /** `world-item ::= gate 'world' id '{' world-items* '}'` (gate parsed by the caller) */
  worldItem = this.RULE('worldItem', () => {
    this.CONSUME(kw.world);
    this.SUBRULE(this.id);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.worldItems));
    this.CONSUME(RBrace);
  });

  /** `world-items ::= gate world-definition` */
  worldItems = this.RULE('worldItems', () => {
    this.SUBRULE(this.gate);
    this.SUBRULE(this.worldDefinition);
  });

  /** `world-definition ::= export-item | import-item | use-item | typedef-item | include-item` */
  worldDefinition = this.RULE('worldDefinition', () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.exportItem) },
        { ALT: () => this.SUBRULE(this.importItem) },
        { ALT: () => this.SUBRULE(this.useItem) },
        { ALT: () => this.SUBRULE(this.typedefItem) },
        { ALT: () => this.SUBRULE(this.includeItem) },
      ],
      ERR_MSG: WORLD_ITEM,
    });
  });

  /** `export-item ::= 'export' id ':' extern-type | 'export' use-path ';'` */
  exportItem = this.RULE('exportItem', () => {
    this.CONSUME(kw.export);
    this.SUBRULE(this.externType);
  });

  /** `import-item ::= 'import' id ':' extern-type | 'import' use-path ';'` */
  importItem = this.RULE('importItem', () => {
    this.CONSUME(kw.import);
    this.SUBRULE(this.externType);
  });

  /**
   * What follows `import`/`export`, left-factored on the leading identifier:
   * - `id ';'` — a local interface (`use-path`)
   * - `id ':' func-type ';'` / `id ':' 'interface' '{' … '}'` — a plain-named function / inline interface
   * - `id ':' id '/' id ('@' v)? ';'` — an interface of another package (`use-path`)
   * - `id ':' id ';'` / `id ':' id ':' id '/' id ('@' v)? ';'` — a plain name for an interface (🏷️ `extern-type ::= use-path ';'`)
   */
  externType = this.RULE('externType', () => {
    this.SUBRULE(this.id);
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(Semicolon) },
        {
          ALT: () => {
            this.CONSUME(Colon);
            this.OR2({
              DEF: [
                {
                  ALT: () => {
                    this.SUBRULE(this.funcType);
                    this.CONSUME2(Semicolon);
                  },
                },
                {
                  ALT: () => {
                    this.CONSUME(kw.interface);
                    this.CONSUME(LBrace);
                    this.MANY(() => this.SUBRULE(this.interfaceItems));
                    this.CONSUME(RBrace);
                  },
                },
                {
                  ALT: () => {
                    this.SUBRULE2(this.id);
                    this.OR3([
                      {
                        ALT: () => {
                          this.CONSUME(Slash);
                          this.SUBRULE3(this.id);
                          this.OPTION(() => {
                            this.CONSUME(At);
                            this.SUBRULE(this.version);
                          });
                          this.CONSUME3(Semicolon);
                        },
                      },
                      {
                        ALT: () => {
                          this.CONSUME2(Colon);
                          this.SUBRULE4(this.id);
                          this.CONSUME2(Slash);
                          this.SUBRULE5(this.id);
                          this.OPTION2(() => {
                            this.CONSUME2(At);
                            this.SUBRULE2(this.version);
                          });
                          this.CONSUME4(Semicolon);
                        },
                      },
                      { ALT: () => this.CONSUME5(Semicolon) },
                    ]);
                  },
                },
              ],
              ERR_MSG: '`func`, `interface` or an interface path',
            });
          },
        },
      ],
      ERR_MSG: "':' or ';'",
    });
  });

  /** `include-item ::= 'include' use-path ';' | 'include' use-path 'with' '{' include-names-list '}'` */
  includeItem = this.RULE('includeItem', () => {
    this.CONSUME(kw.include);
    this.SUBRULE(this.usePath);
    this.OR([
      { ALT: () => this.CONSUME(Semicolon) },
      {
        ALT: () => {
          this.CONSUME(kw.with);
          this.CONSUME(LBrace);
          this.OPTION(() => {
            this.SUBRULE(this.includeNamesItem);
            this.MANY(() => {
              this.CONSUME(Comma);
              this.SUBRULE2(this.includeNamesItem);
            });
            this.OPTION2(() => this.CONSUME2(Comma));
          });
          this.CONSUME(RBrace);
          // WIT.md's grammar has no `;` here but its example does; accept both.
          this.OPTION3(() => this.CONSUME2(Semicolon));
        },
      },
    ]);
  });

  /** `include-names-item ::= id 'as' id` */
  includeNamesItem = this.RULE('includeNamesItem', () => {
    this.SUBRULE(this.id);
    this.CONSUME(kw.as);
    this.SUBRULE2(this.id);
  });

  /** `ty` (WIT.md "Types"): a primitive, a constructed type, a handle or a named type. */
  ty = this.RULE('ty', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(PrimitiveType) },
        { ALT: () => this.SUBRULE(this.tuple) },
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.SUBRULE(this.optionType) },
        { ALT: () => this.SUBRULE(this.result) },
        { ALT: () => this.SUBRULE(this.map) },
        { ALT: () => this.SUBRULE(this.handle) },
        { ALT: () => this.SUBRULE(this.future) },
        { ALT: () => this.SUBRULE(this.stream) },
        { ALT: () => this.SUBRULE(this.id) },
      ],
      ERR_MSG: 'a type',
    });
  });

  /** `tuple ::= 'tuple' '<' tuple-list '>'` */
  tuple = this.RULE('tuple', () => {
    this.CONSUME(kw.tuple);
    this.CONSUME(LAngle);
    this.OPTION(() => {
      this.SUBRULE(this.ty);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.ty);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RAngle);
  });

  /** `list ::= 'list' '<' ty '>' | 'list' '<' ty ',' uint '>'` */
  list = this.RULE('list', () => {
    this.CONSUME(kw.list);
    this.CONSUME(LAngle);
    this.SUBRULE(this.ty);
    this.OPTION(() => {
      this.CONSUME(Comma);
      this.CONSUME(Integer);
    });
    this.CONSUME(RAngle);
  });

  /** `option ::= 'option' '<' ty '>'` (`option` is taken by CstParser's own API) */
  optionType = this.RULE('optionType', () => {
    this.CONSUME(kw.option);
    this.CONSUME(LAngle);
    this.SUBRULE(this.ty);
    this.CONSUME(RAngle);
  });

  /** `result ::= 'result' ('<' (ty | '_') (',' ty)? '>')?` (the four forms of WIT.md) */
  result = this.RULE('result', () => {
    this.CONSUME(kw.result);
    this.OPTION(() => {
      this.CONSUME(LAngle);
      this.OR([
        {
          ALT: () => {
            this.CONSUME(kw._);
            this.CONSUME(Comma);
            this.SUBRULE(this.ty);
          },
        },
        {
          ALT: () => {
            this.SUBRULE2(this.ty);
            this.OPTION2(() => {
              this.CONSUME2(Comma);
              this.SUBRULE3(this.ty);
            });
          },
        },
      ]);
      this.CONSUME(RAngle);
    });
  });

  /** `map ::= 'map' '<' kt ',' ty '>'` (the key kind is checked in to-ast) */
  map = this.RULE('map', () => {
    this.CONSUME(kw.map);
    this.CONSUME(LAngle);
    this.SUBRULE(this.ty);
    this.CONSUME(Comma);
    this.SUBRULE2(this.ty);
    this.CONSUME(RAngle);
  });

  /** `handle ::= 'own' '<' id '>' | 'borrow' '<' id '>'` (a bare `id` is parsed by `ty`) */
  handle = this.RULE('handle', () => {
    this.OR([
      { ALT: () => this.CONSUME(kw.own) },
      { ALT: () => this.CONSUME(kw.borrow) },
    ]);
    this.CONSUME(LAngle);
    this.SUBRULE(this.id);
    this.CONSUME(RAngle);
  });

  /** `future ::= 'future' '<' ty '>' | 'future'` */
  future = this.RULE('future', () => {
    this.CONSUME(kw.future);
    this.OPTION(() => {
      this.CONSUME(LAngle);
      this.SUBRULE(this.ty);
      this.CONSUME(RAngle);
    });
  });

  /** `stream ::= 'stream' '<' ty '>' | 'stream'` */
  stream = this.RULE('stream', () => {
    this.CONSUME(kw.stream);
    this.OPTION(() => {
      this.CONSUME(LAngle);
      this.SUBRULE(this.ty);
      this.CONSUME(RAngle);
    });
  });

  /** `id`: a plain or a `%`-escaped identifier. */
  id = this.RULE('id', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(Id) },
        { ALT: () => this.CONSUME(ExplicitId) },
        // Rejected in to-ast with a precise message; accepting it here keeps recovery local.
        { ALT: () => this.CONSUME(BadId) },
      ],
      ERR_MSG: 'an identifier or string',
    });
  });
}

/** The parser singleton: set `input`, call `witFile()`, read `errors`. */
export const witParser = new WitParser();

/**
 * Parses a token vector into a CST; the caller reads `witParser.errors`. After `maxErrors` syntax
 * errors parsing stops: the errors so far are kept and the result is null.
 */
export function parseTokens(tokens: IToken[], maxErrors = Infinity): CstNode | null {
  witParser.input = tokens;
  errorBudget = maxErrors;
  try {
    return witParser.witFile();
  } catch (e) {
    if (e instanceof TooManyErrors) return null;
    throw e;
  } finally {
    errorBudget = Infinity;
  }
}

export { EOF };

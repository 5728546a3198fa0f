/**
 * `--js` and the bundler plugins: turn a generated `.ts` module into `.js` (and `.d.ts`) with the
 * TypeScript compiler's single-file transforms (`transpileModule`, `transpileDeclaration`), which
 * the generated code is written to support (every export is explicitly typed). TypeScript is an
 * optional peer dependency, loaded only here.
 */

export interface JsOutput {
  readonly js: string;
  readonly dts: string;
}

type TypeScript = typeof import('typescript');
let typescript: Promise<TypeScript> | undefined;

/** The `typescript` package, or an error with code `WITBIND_NEEDS_TYPESCRIPT` saying how to get it. */
async function loadTypeScript(): Promise<TypeScript> {
  typescript ??= import('typescript').then(
    (m) => m.default,
    () => {
      typescript = undefined;
      throw Object.assign(
        new Error('turning the generated TypeScript into JavaScript needs the `typescript` package (npm install -D typescript)'),
        { code: 'WITBIND_NEEDS_TYPESCRIPT' },
      );
    },
  );
  return typescript;
}

function compilerOptions(ts: TypeScript) {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    declaration: true,
    isolatedDeclarations: true,
    removeComments: false,
  };
}

/** The JavaScript of a generated module (types erased). */
export async function tsToJsOnly(source: string, fileName: string): Promise<string> {
  const ts = await loadTypeScript();
  return ts.transpileModule(source, { fileName, compilerOptions: compilerOptions(ts) }).outputText;
}

/** The declarations of a generated module. */
export async function tsToDts(source: string, fileName: string): Promise<string> {
  const ts = await loadTypeScript();
  return ts.transpileDeclaration(source, { fileName, compilerOptions: compilerOptions(ts) }).outputText;
}

/** Both the JavaScript and the declarations of a generated module. */
export async function tsToJs(source: string, fileName: string): Promise<JsOutput> {
  return { js: await tsToJsOnly(source, fileName), dts: await tsToDts(source, fileName) };
}

/**
 * `--js`: turns a generated `.ts` module into `.js` + `.d.ts` with the TypeScript compiler's
 * single-file transforms (`transpileModule`, `transpileDeclaration`), which the generated code
 * is written to support (every export is explicitly typed). TypeScript is an optional peer
 * dependency, loaded only here.
 */

export interface JsOutput {
  readonly js: string;
  readonly dts: string;
}

export async function tsToJs(source: string, fileName: string): Promise<JsOutput> {
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    throw Object.assign(new Error('`--js` needs the `typescript` package (npm install -D typescript)'), {
      code: 'WITBIND_NEEDS_TYPESCRIPT',
    });
  }
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    declaration: true,
    isolatedDeclarations: true,
    removeComments: false,
  };
  const js = ts.transpileModule(source, { fileName, compilerOptions }).outputText;
  const dts = ts.transpileDeclaration(source, { fileName, compilerOptions }).outputText;
  return { js, dts };
}

// Types of index.mjs, for the vitest tests (scripts/**/*.mjs is not type-checked).

/** The library under test: src/ (tests) or dist/ (the CLI). */
export interface FuzzApi {
  loadWitPath(path: string, options?: object): Promise<{ resolve: unknown; packages: number[] }>;
  loadWitSource(files: { path: string; text: string }[], options?: object): { resolve: unknown; main: number };
  resolveToJson(resolve: never): unknown;
  WitError: abstract new (...args: never[]) => Error;
  renderDiagnostic(d: never, sourceMap: never): string;
  parseWitFile(sourceMap: never, path: string, text: string): { file: unknown; diagnostics: unknown[] };
  printWit(file: never): string;
  SourceMap: new () => unknown;
  generateWorld(resolve: never, world: never, options?: object): Promise<Map<string, string>>;
  PlanError: abstract new (...args: never[]) => Error;
  emitWorldModule(resolve: never, world: never, options?: object): { source: string; plans: readonly unknown[] };
  printPlan(plan: never, resolve: never): string;
}

export interface InputFile {
  rel: string;
  data: string | Uint8Array;
}

export interface FuzzInput {
  seed: number;
  index: number;
  entry: string;
  /** The path loaded, relative to the input's directory: a file or `.` (a package directory). */
  root: string;
  files: InputFile[];
  /** The mutated file. */
  target: string | null;
  options: object;
  mode: 'path' | 'source';
  mutations: string[];
}

export interface CheckResult {
  outcome: 'ok' | 'diagnostics' | 'crash' | 'timeout';
  phase?: string;
  signature?: string;
  problems?: string[];
  error?: { name: string; message: string; stack: string };
  diagnostics?: number;
  first?: string;
  loadMs?: number;
  emit?: 'ok' | 'clean' | 'crash' | 'timeout' | 'skipped';
  emitSignature?: string;
  /** First line of a clean emitter error. */
  emitMessage?: string;
  emitMs?: number;
}

export interface CheckOptions {
  emit?: boolean;
  roundTrip?: boolean;
}

export interface CorpusEntry {
  name: string;
  root: string;
  files: InputFile[];
  options: object;
}

export interface Finding {
  kind: string;
  signature: string;
  count: number;
  input: FuzzInput;
  minimized?: FuzzInput;
}

export interface CampaignSummary {
  seed: number;
  count: number;
  skipped: number;
  outcomes: Record<'ok' | 'diagnostics' | 'crash' | 'timeout', number>;
  emitOutcomes: Record<'ok' | 'clean' | 'crash' | 'timeout' | 'skipped', number>;
  /** Clean emitter errors by message shape (see cleanShape in runner.mjs). */
  emitClean: Record<string, number>;
  crashes: Finding[];
  emitCrashes: Finding[];
}

export interface Executor {
  run(input: FuzzInput, options: CheckOptions, timeLimitMs?: number): Promise<CheckResult>;
  close(): Promise<void>;
}

export function checkInput(api: FuzzApi, input: FuzzInput, scratch: string, options?: CheckOptions): Promise<CheckResult>;
export function diagnosticProblems(api: FuzzApi, error: Error, isInputPath: (path: string) => boolean): string[];
export function collectCorpus(repoRoot: string): CorpusEntry[];
export class InProcessExecutor implements Executor {
  constructor(api: FuzzApi);
  run(input: FuzzInput, options: CheckOptions): Promise<CheckResult>;
  close(): Promise<void>;
}
export const GENERATORS: Record<string, (n: number) => string>;
export const DIR_GENERATORS: Record<string, (n: number) => InputFile[]>;
export function makeInput(corpus: CorpusEntry[], seed: number, index: number): FuzzInput;
export function validateCorpus(
  executor: Executor,
  entries: CorpusEntry[],
  timeLimitMs: number,
): Promise<{ kept: CorpusEntry[]; dropped: { name: string; outcome: string }[] }>;
export function runCampaign(
  executor: Executor,
  corpus: CorpusEntry[],
  options: {
    seed: number;
    count: number;
    start?: number;
    timeLimitMs?: number;
    emit?: boolean;
    minimizeBudget?: number;
    /** Inputs larger than this are skipped (counted in `skipped`). */
    maxInputBytes?: number;
    log?: (m: string) => void;
  },
): Promise<CampaignSummary>;

/**
 * Diagnostics as data: every problem the generator reports — WIT syntax and resolution errors,
 * unreadable paths, ABI limits, malformed component binaries — as a plain object with its location
 * and its rendered text, so an API caller, a bundler plugin or the CLI can show it its own way.
 */
import pc from 'picocolors';
import { PlanError } from './abi/plan.js';
import { WitError, renderDiagnostic, type WitErrorKind } from './wit/errors.js';

/** What kind of problem a {@link Diagnostic} reports. */
export type DiagnosticKind =
  /** WIT front end: see {@link WitErrorKind}. */
  | WitErrorKind
  /** The canonical ABI cannot express the world (e.g. a `flags` with more than 32 labels). */
  | 'plan'
  /** A component binary that is malformed or whose type cannot be expressed as WIT. */
  | 'component'
  /** The environment: e.g. `js: true` without the `typescript` package. */
  | 'environment';

/** One problem, located when it has a place in a source file. */
export interface Diagnostic {
  readonly severity: 'error';
  readonly kind: DiagnosticKind;
  /** The message alone, lowercase, items in backticks ("type `bar` does not exist"). */
  readonly message: string;
  /** The file as it was given (displayed path); null when the problem has no location. */
  readonly file: string | null;
  /** 1-based line of the start of the problem; null without a location. */
  readonly line: number | null;
  /** 1-based column (UTF-16 code units + 1); null without a location. */
  readonly column: number | null;
  /** 1-based line and column just past the end of the problem; null without a location. */
  readonly endLine: number | null;
  readonly endColumn: number | null;
  /** The source line the problem starts on; null without a location. */
  readonly lineText: string | null;
  /**
   * The full text, without color, in wasm-tools' format: context, message,
   * `--> file:line:col`, the source line and a caret under the problem.
   */
  readonly rendered: string;
}

/** A result carrying its diagnostics instead of throwing them. */
export type Result<T extends object> =
  | ({ readonly ok: true; readonly diagnostics: readonly Diagnostic[] } & T)
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * The diagnostics an error carries: every located diagnostic of a {@link WitError}, one
 * unlocated diagnostic for the generator's other user-facing errors (ABI limits, component
 * binaries, unreadable files, a missing optional package). Returns null for anything else — a
 * bug, which callers should let propagate.
 */
export function toDiagnostics(error: unknown): Diagnostic[] | null {
  if (error instanceof WitError) {
    return error.diagnostics.map((d) => {
      const rendered = renderDiagnostic(d, error.sourceMap);
      const start = d.span ? error.sourceMap.locate(d.span.start) : undefined;
      if (!d.span || !start) return unlocated(d.kind, d.message, rendered);
      const end = error.sourceMap.locate(Math.max(d.span.start, d.span.end)) ?? start;
      return {
        severity: 'error',
        kind: d.kind,
        message: d.message,
        file: start.file.path,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        lineText: error.sourceMap.lineText(start.file, start.line),
        rendered,
      };
    });
  }
  if (error instanceof PlanError) return [unlocated('plan', error.message)];
  if (error instanceof Error) {
    if (error.name === 'ComponentWitError' || error.name === 'ComponentDecodeError') {
      return [unlocated('component', error.message)];
    }
    const code = (error as { code?: unknown }).code;
    if (code === 'WITBIND_NEEDS_TYPESCRIPT') return [unlocated('environment', error.message)];
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return [unlocated('io', error.message)];
  }
  return null;
}

function unlocated(kind: DiagnosticKind, message: string, rendered = message): Diagnostic {
  return {
    severity: 'error',
    kind,
    message,
    file: null,
    line: null,
    column: null,
    endLine: null,
    endColumn: null,
    lineText: null,
    rendered,
  };
}

/**
 * Runs `fn` and returns its value with `ok: true`, or the diagnostics of the error it threw with
 * `ok: false`. Errors that are not diagnostics (bugs) are rethrown.
 */
export async function collectDiagnostics<T extends object>(fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    const value = await fn();
    return { ...value, ok: true, diagnostics: [] };
  } catch (e) {
    const diagnostics = toDiagnostics(e);
    if (diagnostics === null) throw e;
    return { ok: false, diagnostics };
  }
}

/** Options of {@link formatDiagnostics}. */
export interface FormatDiagnosticsOptions {
  /**
   * Color with ANSI escapes. Default: {@link shouldColor} for `process.stderr` where there is a
   * `process`, no color elsewhere.
   */
  readonly color?: boolean;
  /** Append the count line ("2 errors"). Default true. */
  readonly summary?: boolean;
}

/**
 * Renders diagnostics for a terminal: `error: <rendered>` for each, separated by blank lines, then
 * the number of errors.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatDiagnosticsOptions = {}): string {
  const color = options.color ?? shouldColor(typeof process === 'undefined' ? undefined : process.stderr);
  const c = pc.createColors(color);
  const parts = diagnostics.map((d) => `${c.bold(c.red('error'))}: ${colorRendered(d, c)}`);
  if (options.summary !== false) {
    const n = diagnostics.length;
    parts.push(c.bold(`${n} error${n === 1 ? '' : 's'}`));
  }
  return parts.join('\n\n');
}

/** Bold message, blue gutter and arrow, red caret — the layout rustc and wasm-tools use. */
function colorRendered(d: Diagnostic, c: ReturnType<typeof pc.createColors>): string {
  return d.rendered
    .split('\n')
    .map((line, i) => {
      if (i === 0) return c.bold(line);
      const arrow = /^(\s*)(-->)(.*)$/.exec(line);
      if (arrow) return `${arrow[1]}${c.blue(arrow[2]!)}${arrow[3]}`;
      const gutter = /^(\s*\d*\s*\|)(.*)$/.exec(line);
      if (gutter) {
        const rest = gutter[2]!;
        const caret = /^(\s*)(\^-*)$/.exec(rest);
        return `${c.blue(gutter[1]!)}${caret ? `${caret[1]}${c.red(c.bold(caret[2]!))}` : rest}`;
      }
      return line;
    })
    .join('\n');
}

/**
 * Whether to color output written to `stream`: never when `NO_COLOR` is set to a non-empty value
 * (no-color.org), always when `FORCE_COLOR` is set to anything but `0`, otherwise only for a TTY.
 */
export function shouldColor(stream?: { readonly isTTY?: boolean }): boolean {
  const env = typeof process === 'undefined' ? {} : process.env;
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream?.isTTY === true;
}

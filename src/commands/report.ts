/**
 * Terminal output of the CLI: WIT diagnostics with their snippets (colored only for a TTY and
 * without `NO_COLOR`), usage mistakes as one line, never a stack trace for the user's own mistake;
 * progress of the steps of a generation.
 */
import pc from 'picocolors';
import { formatDiagnostics, shouldColor, toDiagnostics } from '../diagnostics.js';
import type { ProgressEvent } from '../generate.js';

/** Colors for stdout or stderr, each decided on its own (one may be a TTY, the other a pipe). */
export function colors(stream: NodeJS.WriteStream): ReturnType<typeof pc.createColors> {
  return pc.createColors(shouldColor(stream));
}

/** Writes the error to stderr and returns the exit code: 1 for the user's mistakes, 2 for bugs. */
export function reportError(e: unknown): number {
  const c = colors(process.stderr);
  const diagnostics = toDiagnostics(e);
  if (diagnostics !== null) {
    process.stderr.write(`${formatDiagnostics(diagnostics, { color: shouldColor(process.stderr) })}\n`);
    return 1;
  }
  if (e instanceof Error && e.name === 'UsageError') {
    process.stderr.write(`${c.bold(c.red('error'))}: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`${c.bold(c.red('internal error'))}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 2;
}

const STEP_WORDS: Record<ProgressEvent['step'], string> = {
  load: 'reading and resolving',
  decode: 'decoding component',
  emit: 'generating bindings for',
  format: 'formatting',
  transpile: 'compiling to JavaScript',
};

/**
 * Progress of a generation on stderr: on a TTY one status line, rewritten at each step and
 * cleared at the end; with `verbose`, one line per step (also when piped); otherwise nothing.
 */
export function createProgress(options: { quiet?: boolean; verbose?: boolean }): {
  onProgress: (e: ProgressEvent) => void;
  done: () => void;
} {
  const live = !options.quiet && !options.verbose && process.stderr.isTTY === true;
  const c = colors(process.stderr);
  let shown = false;
  return {
    onProgress(e) {
      const text = `${STEP_WORDS[e.step]} ${e.detail}`;
      if (options.verbose && !options.quiet) process.stderr.write(`${c.dim('…')} ${text}\n`);
      else if (live) {
        process.stderr.write(`\r\x1b[K${c.dim(`… ${text}`)}`);
        shown = true;
      }
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

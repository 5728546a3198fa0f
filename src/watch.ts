/**
 * `witbind watch`'s engine: generate, then regenerate whenever a WIT file under the watched path
 * changes (debounced), reporting each outcome — files written, or diagnostics — and never stopping
 * on an error. chokidar does the watching.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import { toDiagnostics, type Diagnostic } from './diagnostics.js';
import { generate, type GenerateOptions } from './generate.js';

/** What happened in one generation. */
export type WatchEvent =
  | { readonly kind: 'written'; readonly files: readonly string[]; readonly unchanged: number }
  | { readonly kind: 'failed'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'changed'; readonly paths: readonly string[] };

export interface WatchOptions extends GenerateOptions {
  /** Output directory. */
  readonly out: string;
  /** Quiet period after the last change before regenerating (ms). Default 100. */
  readonly debounce?: number;
  readonly onEvent: (event: WatchEvent) => void;
}

export interface Watcher {
  /** Resolves when the watcher is ready and the first generation is done. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Generates into `out` and writes only the files whose contents changed. */
async function generateInto(path: string, options: WatchOptions): Promise<WatchEvent> {
  try {
    const files = await generate(path, options);
    const written: string[] = [];
    for (const [name, text] of files) {
      const target = join(options.out, name);
      if ((await readFile(target, 'utf8').catch(() => null)) === text) continue;
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text);
      written.push(target);
    }
    return { kind: 'written', files: written, unchanged: files.size - written.length };
  } catch (e) {
    const diagnostics = toDiagnostics(e);
    if (diagnostics === null) throw e;
    return { kind: 'failed', diagnostics };
  }
}

/**
 * Watches a `.wit` file, a package directory (with `deps/`) or a component, regenerating into
 * `options.out` on every change. Generations never overlap: a change during one schedules another.
 */
export function watchWit(path: string, options: WatchOptions): Watcher {
  const debounce = options.debounce ?? 100;
  const watcher = chokidarWatch(path, {
    ignoreInitial: true,
    ignored: (p, stats) => stats?.isFile() === true && !/\.(wit|wasm)$/.test(p),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let pending: string[] = [];
  let closed = false;

  const run = async (): Promise<void> => {
    do {
      again = false;
      options.onEvent(await generateInto(path, options));
    } while (again && !closed);
  };
  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => (running = null));
  };
  const onChange = (p: string) => {
    pending.push(p);
    clearTimeout(timer);
    timer = setTimeout(() => {
      options.onEvent({ kind: 'changed', paths: [...new Set(pending)] });
      pending = [];
      trigger();
    }, debounce);
  };
  watcher.on('add', onChange).on('change', onChange).on('unlink', onChange);

  const ready = new Promise<void>((resolve, reject) => {
    watcher.once('ready', () => {
      trigger();
      running!.then(resolve, reject);
    });
    watcher.once('error', reject);
  });
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}

// Where inputs run. WorkerExecutor: in a worker thread with a wall-clock budget per input (a hang
// or runaway input is terminated and reported as `timeout`; the worker is replaced). InProcess:
// directly, no budget (for the vitest test, which passes the src/ API).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkInput } from './check.mjs';

export class InProcessExecutor {
  #api;
  #scratch = mkdtempSync(join(tmpdir(), 'witbind-fuzz-'));
  restarts = 0;

  constructor(api) {
    this.#api = api;
  }

  run(input, options) {
    return checkInput(this.#api, input, this.#scratch, options);
  }

  async close() {
    rmSync(this.#scratch, { recursive: true, force: true });
  }
}

export class WorkerExecutor {
  #dist;
  #scratchRoot = mkdtempSync(join(tmpdir(), 'witbind-fuzz-'));
  #generation = 0;
  #worker = null;
  #ready = null;
  #pending = null;
  #nextId = 0;
  /** Worker heap limit (MB): an input needing more is reported as a crash (`oom`). */
  #heapMb;
  restarts = 0;

  /** `dist`: the compiled library to load (`<repo>/dist`). */
  constructor({ dist, heapMb = 2048 }) {
    this.#dist = dist;
    this.#heapMb = heapMb;
  }

  #start() {
    // A fresh scratch directory per worker: a terminated worker may leave files half written.
    const scratch = join(this.#scratchRoot, String(this.#generation++));
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { dist: this.#dist, scratch },
      // About the main thread's stack (984 kB on 64-bit), so recursion depth matches the CLI's.
      resourceLimits: { stackSizeMb: 1, maxOldGenerationSizeMb: this.#heapMb },
    });
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m.ready) {
          worker.off('message', onMessage);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    worker.on('message', (m) => {
      if (m.ready || !this.#pending || m.id !== this.#pending.id) return;
      if (m.phase) {
        this.#pending.phase = m.phase;
        this.#pending.partial = m.partial;
        return;
      }
      const p = this.#pending;
      this.#pending = null;
      p.resolve(m.result);
    });
    worker.on('error', (e) => {
      // Out of memory, or an exception escaping the harness (an async throw in the library).
      if (this.#worker === worker) this.#worker = null;
      const p = this.#pending;
      this.#pending = null;
      if (p) {
        const oom = e?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        const phase = p.phase === 'emit' ? 'emit' : 'load';
        p.resolve({
          ...(p.phase === 'emit' ? p.partial : {}),
          ...(p.phase === 'emit'
            ? { emit: 'crash', emitSignature: `emit: ${oom ? 'out of memory' : `uncaught ${e?.name}`}`, emitError: { name: e?.name, message: String(e?.message), stack: String(e?.stack) } }
            : { outcome: 'crash', phase: oom ? 'oom' : 'uncaught', signature: oom ? `${phase}: worker ran out of memory` : `uncaught: ${e?.name}: ${String(e?.message).split('\n')[0]}`, error: { name: e?.name, message: String(e?.message), stack: String(e?.stack) } }),
          workerDied: true,
        });
      }
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
    });
  }

  /**
   * Runs one input; resolves to its result. When it exceeds `timeLimitMs` (wall clock, so a busy
   * machine can cause it) it runs again with four times the budget: only a second overrun is a
   * `timeout` (with `slow: true` otherwise). A timeout once the front end is done is the
   * emitter's: the front-end result with `emit: 'timeout'`.
   */
  async run(input, options, timeLimitMs, retry = true) {
    const first = await this.#runOnce(input, options, timeLimitMs);
    if (!first.timedOut || !retry) return first.result;
    const second = await this.#runOnce(input, options, timeLimitMs * 4);
    if (!second.timedOut) return { ...second.result, slow: true };
    return second.result;
  }

  async #runOnce(input, options, timeLimitMs) {
    if (!this.#worker) this.#start();
    await this.#ready;
    const worker = this.#worker;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const p = this.#pending;
        if (p?.id !== id) return;
        this.#pending = null;
        this.#worker = null;
        this.restarts++;
        void worker.terminate();
        const result =
          p.phase === 'emit'
            ? { ...p.partial, emit: 'timeout', emitMs: timeLimitMs, emitSignature: `emit: timeout after ${timeLimitMs} ms` }
            : { outcome: 'timeout', loadMs: timeLimitMs };
        resolve({ timedOut: true, result });
      }, timeLimitMs);
      this.#pending = {
        id,
        phase: 'load',
        resolve: (r) => {
          clearTimeout(timer);
          if (r.workerDied) this.restarts++;
          resolve({ timedOut: false, result: r });
        },
      };
      worker.postMessage({ id, input, options });
    });
  }

  async close() {
    if (this.#worker) await this.#worker.terminate();
    this.#worker = null;
    rmSync(this.#scratchRoot, { recursive: true, force: true });
  }
}

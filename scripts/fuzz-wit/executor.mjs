// Where inputs run. WorkerExecutor: in a child process with a wall-clock budget per input (a hang
// or runaway input is killed and reported as `timeout`; the process is replaced). InProcess:
// directly, no budget (for the vitest test, which passes the src/ API).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  #child = null;
  #ready = null;
  #pending = null;
  #nextId = 0;
  #stderr = '';
  /** Heap limit of the child (MB): an input needing more is reported as a crash (`oom`). */
  #heapMb;
  restarts = 0;
  /** Wall-clock budget of the emitter on one input. */
  emitLimitMs;

  /** `dist`: the compiled library to load (`<repo>/dist`). */
  constructor({ dist, heapMb = 2048, emitLimitMs = 5000 }) {
    this.#dist = dist;
    this.#heapMb = heapMb;
    this.emitLimitMs = emitLimitMs;
  }

  #start() {
    // A fresh scratch directory per child: a killed child may leave files half written.
    const scratch = join(this.#scratchRoot, String(this.#generation++));
    // A child process rather than a worker thread: a fatal V8 error (some out-of-memory cases
    // abort the whole process) must not take the campaign down. Its main thread has the default
    // stack, as the CLI does, so recursion depth limits are the same.
    const child = fork(fileURLToPath(new URL('./worker.mjs', import.meta.url)), [this.#dist, scratch], {
      execArgv: [`--max-old-space-size=${this.#heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.#child = child;
    this.#stderr = '';
    child.stderr.on('data', (d) => {
      this.#stderr = (this.#stderr + d).slice(-4000);
    });
    this.#ready = new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m.ready) {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`fuzz worker exited (${code}) before it was ready: ${this.#stderr}`)));
    });
    child.on('message', (m) => {
      if (m.ready || !this.#pending || m.id !== this.#pending.id) return;
      if (m.phase) {
        this.#pending.phase = m.phase;
        this.#pending.partial = m.partial;
        this.#pending.onPhase(m.phase);
        return;
      }
      const p = this.#pending;
      this.#pending = null;
      p.resolve(m.result);
    });
    child.on('exit', (code, signal) => {
      if (this.#child === child) this.#child = null;
      const p = this.#pending;
      if (!p || p.killed) return;
      // Died on its own: a fatal error (out of memory, an abort) while running the input.
      this.#pending = null;
      const oom = /out of memory|allocation failed/i.test(this.#stderr);
      const what = oom ? 'out of memory' : `process died (${signal ?? `exit ${code}`})`;
      const error = { name: 'ProcessDied', message: `${what}\n${this.#stderr.slice(-1500)}`, stack: this.#stderr };
      p.resolve({
        ...(p.phase === 'emit'
          ? { ...p.partial, emit: 'crash', emitSignature: `emit: ${what}`, emitError: error }
          : { outcome: 'crash', phase: oom ? 'oom' : 'died', signature: `load: ${what}`, error }),
        workerDied: true,
      });
    });
  }

  /**
   * Runs one input; resolves to its result. When the front end exceeds `timeLimitMs` (wall clock,
   * so a busy machine can cause it) the input runs again with four times the budget: only a
   * second overrun is a `timeout` (with `slow: true` otherwise). The emitter has its own budget
   * (`emitLimitMs`, same retry); overrunning it gives the front-end result with `emit: 'timeout'`.
   */
  async run(input, options, timeLimitMs, retry = true) {
    const first = await this.#runOnce(input, options, timeLimitMs, this.emitLimitMs);
    if (!first.timedOut || !retry) return first.result;
    const second = await this.#runOnce(input, options, timeLimitMs * 4, this.emitLimitMs * 4);
    if (!second.timedOut) return { ...second.result, slow: true };
    return second.result;
  }

  async #runOnce(input, options, timeLimitMs, emitLimitMs) {
    if (!this.#child) this.#start();
    await this.#ready;
    const child = this.#child;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      let timer;
      const arm = (ms) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const p = this.#pending;
          if (p?.id !== id) return;
          p.killed = true;
          this.#pending = null;
          this.#child = null;
          this.restarts++;
          child.kill('SIGKILL');
          const result =
            p.phase === 'emit'
              ? { ...p.partial, emit: 'timeout', emitMs: ms, emitSignature: `emit: timeout after ${ms} ms` }
              : { outcome: 'timeout', loadMs: ms };
          resolve({ timedOut: true, result });
        }, ms);
      };
      arm(timeLimitMs);
      this.#pending = {
        id,
        phase: 'load',
        onPhase: (phase) => {
          if (phase === 'emit') arm(emitLimitMs);
        },
        resolve: (r) => {
          clearTimeout(timer);
          if (r.workerDied) this.restarts++;
          resolve({ timedOut: false, result: r });
        },
      };
      child.send({ id, input, options });
    });
  }

  /** Kills the child at once (synchronous: usable in an `exit` handler). */
  kill() {
    this.#child?.kill('SIGKILL');
  }

  async close() {
    if (this.#child) {
      const child = this.#child;
      this.#child = null;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.#scratchRoot, { recursive: true, force: true });
  }
}

// The worker thread of WorkerExecutor: loads the dist/ API once, then checks inputs one at a time.
// The main thread terminates it when an input exceeds its time budget, and starts a new one.
import { parentPort, workerData } from 'node:worker_threads';
import { loadDistApi } from './api.mjs';
import { checkInput } from './check.mjs';

const api = await loadDistApi(workerData.dist);
parentPort.on('message', async ({ id, input, options }) => {
  let result;
  try {
    result = await checkInput(api, input, workerData.scratch, options, (phase, partial) => parentPort.postMessage({ id, phase, partial }));
  } catch (e) {
    // checkInput classifies library errors itself; this is the harness failing.
    result = { outcome: 'crash', phase: 'harness', signature: `harness: ${e?.message}`, error: { name: e?.name, message: String(e?.message), stack: String(e?.stack) } };
  }
  parentPort.postMessage({ id, result });
});
parentPort.postMessage({ ready: true });

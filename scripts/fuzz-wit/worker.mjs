// The child process of WorkerExecutor: loads the compiled API once, then checks inputs one at a
// time. The parent kills it when an input exceeds its time budget (or it dies on its own, e.g. a
// fatal out-of-memory error) and starts a new one.
import { loadDistApi } from './api.mjs';
import { checkInput } from './check.mjs';

const [dist, scratch] = process.argv.slice(2);
const api = await loadDistApi(dist);
process.on('message', async ({ id, input, options }) => {
  let result;
  try {
    result = await checkInput(api, input, scratch, options, (phase, partial) => process.send({ id, phase, partial }));
  } catch (e) {
    // checkInput classifies library errors itself; this is the harness failing.
    result = { outcome: 'crash', phase: 'harness', signature: `harness: ${e?.message}`, error: { name: e?.name, message: String(e?.message), stack: String(e?.stack) } };
  }
  process.send({ id, result });
});
// The parent is gone (killed, or ended without closing us): nothing left to do.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });

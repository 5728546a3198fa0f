// The machine guest hosted twice through witbind's generated bindings: as a core module (from
// its WIT; the binary is an asset URL) and as a component (`load()` fetches the binary the plugin
// emitted). Results go to the page and to `window.results` (read by test/browser).
import { instantiateCore } from '../../wit/machine.wit';
import coreUrl from '../../guests/machine/machine.wasm?url';
import { load } from './generated/machine.component.wasm';

function exercise(m) {
  let rejected;
  try {
    m.run(7n, { x: -1, y: 0 }, { x: 0, y: 0 });
  } catch (e) {
    rejected = `${e.name}: ${e.message}`;
  }
  return {
    'get-u32()': m.getU32(),
    'get-str()': m.getStr(),
    'get-vec()': Array.from(m.getVec()),
    'run(7, (1,2), (10,20))': m.run(7n, { x: 1, y: 2 }, { x: 10, y: 20 }).message,
    "count-symbols('naïve café 🚀')": m.countSymbols('naïve café 🚀'),
    'run with x = -1': rejected,
  };
}

async function show(id, host) {
  const el = document.getElementById(id);
  try {
    const result = exercise((await host()).machineInterface);
    el.textContent = Object.entries(result)
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join('\n');
    el.className = 'ok';
    return result;
  } catch (e) {
    el.textContent = String(e?.stack ?? e);
    el.className = 'error';
    return { error: String(e) };
  }
}

window.results = {
  core: await show('core', () => instantiateCore(fetch(coreUrl))),
  component: await show('component', () => load()),
};
document.body.dataset.status = 'done';

// `node examples/plugin-host/build.js && node examples/plugin-host/main.js [input]`
import { fileURLToPath } from 'node:url';
import { loadPlugins, runAll } from './host.js';

const plugins = await loadPlugins(fileURLToPath(new URL('generated/plugins/', import.meta.url)), {
  // Each plugin gets its own entries; `upper` is not handed `secret`.
  data: { upper: { prefix: '>> ' }, reverse: { separator: '·', secret: 'only for reverse' } },
  log: (name, level, msg) => console.log(`[${name}] ${level}: ${msg}`),
});
for (const input of [process.argv[2] ?? 'hello, plugins', '']) {
  for (const [name, r] of runAll(plugins, input)) {
    console.log(`${name}(${JSON.stringify(input)}) =`, 'ok' in r ? `ok ${JSON.stringify(r.ok)}` : `err ${JSON.stringify(r.err)}`);
  }
}

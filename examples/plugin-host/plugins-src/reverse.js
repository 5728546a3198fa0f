// A plugin in JavaScript (built into a component with componentize-js): reverses its input.
import { getData, log } from 'witbind:plugins/host@0.1.0';

export function run(input) {
  log('info', `reverse: ${[...input].length} characters in`);
  for (const key of ['separator', 'secret']) {
    log('debug', `reverse: ${key} ${getData(key) === undefined ? 'is not visible' : 'was handed over'}`);
  }
  if (input.length === 0) throw 'empty input';
  const sep = getData('separator');
  return [...input].reverse().join(sep === undefined ? '' : new TextDecoder().decode(sep));
}

// The kitchen-sink C guest as a component (echoes): witbind's bindings and jco side by side, with
// the core-module test's cases (test/support/cases/kitchen-sink-echoes.ts).
import { kitchenSinkEchoesSuite } from '../support/cases/kitchen-sink-echoes.js';

kitchenSinkEchoesSuite('component');
kitchenSinkEchoesSuite('jco');

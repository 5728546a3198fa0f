// The kitchen-sink C guest as a component (traps): witbind's bindings and jco side by side, with
// the core-module test's cases (test/support/cases/kitchen-sink-traps.ts).
import { kitchenSinkTrapsSuite } from '../support/cases/kitchen-sink-traps.js';

kitchenSinkTrapsSuite('component');
kitchenSinkTrapsSuite('jco');

// The kitchen-sink C guest as a component (calls): witbind's bindings and jco side by side, with
// the core-module test's cases (test/support/cases/kitchen-sink-calls.ts).
import { kitchenSinkCallsSuite } from '../support/cases/kitchen-sink-calls.js';

kitchenSinkCallsSuite('component');
kitchenSinkCallsSuite('jco');

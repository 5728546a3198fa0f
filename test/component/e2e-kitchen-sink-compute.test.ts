// The kitchen-sink C guest as a component (compute): witbind's bindings and jco side by side, with
// the core-module test's cases (test/support/cases/kitchen-sink-compute.ts).
import { kitchenSinkComputeSuite } from '../support/cases/kitchen-sink-compute.js';

kitchenSinkComputeSuite('component');
kitchenSinkComputeSuite('jco');

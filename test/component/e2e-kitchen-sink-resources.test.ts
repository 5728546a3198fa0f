// The kitchen-sink C guest as a component (resources both ways): witbind's bindings and jco side
// by side, with the core-module test's cases (test/support/cases/kitchen-sink-resources.ts).
import { kitchenSinkResourcesSuite } from '../support/cases/kitchen-sink-resources.js';

kitchenSinkResourcesSuite('component');
kitchenSinkResourcesSuite('jco');

// The many-params C guest as a component: witbind's bindings and jco, the core-module test's cases.
import { manyParamsSuite } from '../support/cases/many-params.js';

manyParamsSuite('component');
manyParamsSuite('jco');

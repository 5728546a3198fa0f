// The `xyz:machine` C guest as a component: through witbind's generated bindings and, side by
// side, through jco (the same table of cases as the core-module test).
import { machineSuite } from '../support/cases/machine.js';

machineSuite('component');
machineSuite('jco');

// The expectations are shared with the component tests (test/component/e2e-kitchen-sink-traps.test.ts).
import { kitchenSinkTrapsSuite } from '../support/cases/kitchen-sink-traps.js';

kitchenSinkTrapsSuite('core');

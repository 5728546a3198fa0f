// The expectations are shared with the component tests (test/component/e2e-kitchen-sink-calls.test.ts).
import { kitchenSinkCallsSuite } from '../support/cases/kitchen-sink-calls.js';

kitchenSinkCallsSuite('core');

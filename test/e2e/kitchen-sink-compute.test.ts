// The expectations are shared with the component tests (test/component/e2e-kitchen-sink-compute.test.ts).
import { kitchenSinkComputeSuite } from '../support/cases/kitchen-sink-compute.js';

kitchenSinkComputeSuite('core');

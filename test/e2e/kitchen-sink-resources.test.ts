// The expectations are shared with the component tests (test/component/e2e-kitchen-sink-resources.test.ts).
import { kitchenSinkResourcesSuite } from '../support/cases/kitchen-sink-resources.js';

kitchenSinkResourcesSuite('core');

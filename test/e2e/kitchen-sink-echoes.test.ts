// The expectations are shared with the component tests (test/component/e2e-kitchen-sink-echoes.test.ts).
import { kitchenSinkEchoesSuite } from '../support/cases/kitchen-sink-echoes.js';

kitchenSinkEchoesSuite('core');

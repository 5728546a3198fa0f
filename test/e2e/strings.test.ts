// The expectations are shared with the component tests (test/component/e2e-strings.test.ts).
import { STRING_GUESTS, stringsSuite } from '../support/cases/strings.js';

for (const g of STRING_GUESTS) stringsSuite('core', g);

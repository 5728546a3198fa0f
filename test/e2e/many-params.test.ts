// The expectations are shared with the component tests (test/component/e2e-many-params.test.ts).
import { manyParamsSuite } from '../support/cases/many-params.js';

manyParamsSuite('core');

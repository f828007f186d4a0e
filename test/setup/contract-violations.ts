import { afterAll, afterEach } from 'vitest';
import { assertNoContractViolations } from '../helpers/contract/recorder.js';

/**
 * Every emulator started by the test helpers checks each response it sends
 * against the service's published description (test/helpers/contract). A
 * test during which a response broke it fails here, with what was wrong;
 * responses sent outside any test (beforeAll) fail the file's last hook.
 */
afterEach(assertNoContractViolations);
afterAll(assertNoContractViolations);

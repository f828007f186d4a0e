import { afterAll, afterEach } from 'vitest';
import { describeViolations, takeContractViolations } from '../helpers/contract/recorder.js';

/**
 * Every emulator started by the test helpers checks each response it sends
 * against the service's published description (test/helpers/contract). A
 * test during which a response broke it fails here, with what was wrong;
 * responses sent outside a test (beforeAll) fail the file.
 */
function failOnViolations(): void {
  const violations = takeContractViolations();
  if (violations.length > 0) throw new Error(describeViolations(violations));
}

afterEach(failOnViolations);
afterAll(failOnViolations);

import { describe, expect, it } from 'vitest';
import { summaryLine } from '../../scripts/test-summary.js';

describe('CI summary line', () => {
  it("counts passed and failed tests from vitest's JSON report, with the checks run outside vitest", () => {
    expect(summaryLine({ numPassedTests: 289, numFailedTests: 0 })).toBe('289 passed, 0 failed');
    expect(summaryLine({ numPassedTests: 287, numFailedTests: 2 }, { passed: 1, failed: 0 })).toBe('288 passed, 2 failed');
    expect(summaryLine({ numPassedTests: 10, numFailedTests: 0 }, { passed: 0, failed: 1 })).toBe('10 passed, 1 failed');
  });

  it('reports a test file that failed to load as a failure even when no test ran in it', () => {
    expect(summaryLine({ numPassedTests: 12, numFailedTests: 0, numFailedTestSuites: 1 })).toBe('12 passed, 1 failed');
  });

  it('says how many were skipped when any were', () => {
    expect(summaryLine({ numPassedTests: 5, numFailedTests: 0, numPendingTests: 1, numTodoTests: 1 })).toBe('5 passed, 0 failed, 2 skipped');
  });
});

import { readFileSync } from 'node:fs';

/**
 * Prints the one plain line CI ends with ("289 passed, 0 failed") from
 * vitest's JSON report. A missing or unreadable report is a failure of its
 * own: it means the tests never reported, so it must not read as a pass.
 */
interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests?: number;
  numTodoTests?: number;
  numFailedTestSuites?: number;
}

/** Checks run outside vitest (the schemathesis run) count as one test each. */
export interface OtherChecks {
  passed: number;
  failed: number;
}

export function summaryLine(report: VitestJsonReport, other: OtherChecks = { passed: 0, failed: 0 }): string {
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A test file that fails to load counts no test but is a failure all the same.
  const failedFiles = report.numFailedTests === 0 ? (report.numFailedTestSuites ?? 0) : 0;
  const passed = report.numPassedTests + other.passed;
  const failed = report.numFailedTests + failedFiles + other.failed;
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

function otherChecks(args: string[]): OtherChecks {
  const other = { passed: 0, failed: 0 };
  for (const arg of args) {
    const [name, result] = arg.split('=');
    if (!name || (result !== 'passed' && result !== 'failed')) throw new Error(`"${arg}" is not NAME=passed or NAME=failed`);
    other[result] += 1;
  }
  return other;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: tsx scripts/test-summary.ts REPORT.json [CHECK=passed|CHECK=failed ...]');
    process.exit(2);
  }
  try {
    console.log(summaryLine(JSON.parse(readFileSync(file, 'utf8')) as VitestJsonReport, otherChecks(process.argv.slice(3))));
  } catch (err) {
    console.log('0 passed, 1 failed');
    console.error(`No readable test report at ${file}: ${(err as Error).message}`);
    process.exit(1);
  }
}

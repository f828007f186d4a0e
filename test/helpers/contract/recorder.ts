import { inject } from 'vitest';
import type { ObservedResponse, ResponseObserver } from '../../../emulators/response-observer.js';
import { GoogleContract } from './google-contract.js';
import { GraphContract } from './graph-contract.js';

export type ContractedEmulator = 'Microsoft 365' | 'Google';

export interface ContractViolation {
  emulator: ContractedEmulator;
  request: string;
  status: number;
  problems: string[];
}

/** Violations seen since the last take, in arrival order; test/setup/contract-violations.ts fails the test that caused them. */
const recorded: ContractViolation[] = [];
/** Responses checked so far in this worker, per emulator; lets a test see that the check ran. */
const checked: Record<ContractedEmulator, number> = { 'Microsoft 365': 0, Google: 0 };

export function checkedResponseCount(emulator: ContractedEmulator): number {
  return checked[emulator];
}

export function takeContractViolations(): ContractViolation[] {
  return recorded.splice(0);
}

export function describeViolations(violations: readonly ContractViolation[], limit = 20): string {
  const lines = violations.slice(0, limit).map((v) => `${v.emulator} emulator: ${v.request} → ${v.status}: ${v.problems.join('; ')}`);
  if (violations.length > limit) lines.push(`... and ${violations.length - limit} more`);
  return `The emulators sent responses their published descriptions do not allow:\n${lines.join('\n')}`;
}

/** Throws, listing them, when responses broke their description since the last take (test/setup/contract-violations.ts). */
export function assertNoContractViolations(): void {
  const violations = takeContractViolations();
  if (violations.length > 0) throw new Error(describeViolations(violations));
}

let graph: GraphContract | undefined;
let google: GoogleContract | undefined;

// Built on first use in each test worker from the sources test/global-setup.ts resolved.
const graphContract = (): GraphContract => (graph ??= GraphContract.fromFile(inject('contractSources').graphSchemaFile));
const googleContract = (): GoogleContract => (google ??= GoogleContract.fromDirectory(inject('contractSources').googleDiscoveryDir));

function observer(emulator: ContractedEmulator, check: (response: ObservedResponse) => string[]): ResponseObserver {
  return (response) => {
    // A test armed this answer to be off contract (a poison item's odd refusal): that is the point, not a divergence.
    if (response.deliberatelyOffContract) return;
    checked[emulator] += 1;
    let problems: string[];
    try {
      problems = check(response);
    } catch (error) {
      problems = [`the contract check failed: ${(error as Error).stack ?? String(error)}`];
    }
    if (problems.length === 0) return;
    const request = `${response.method} ${response.path}${response.search ? `?${response.search}` : ''}`;
    recorded.push({ emulator, request, status: response.status, problems });
  };
}

/** Pass as `observeResponse` to createMicrosoft365Emulator: every response is checked against Graph's description. */
export const graphContractObserver = (): ResponseObserver => observer('Microsoft 365', (response) => graphContract().check(response));

/** Pass as `observeResponse` to createGoogleEmulator: every response is checked against Google's discovery documents. */
export const googleContractObserver = (): ResponseObserver => observer('Google', (response) => googleContract().check(response));

/** Both observers, for emulators/main.ts's startEmulators (the demo tests). */
export const contractObservers = (): { m365: ResponseObserver; google: ResponseObserver } => ({ m365: graphContractObserver(), google: googleContractObserver() });

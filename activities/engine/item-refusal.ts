import { classifyGoogleError, type GoogleFailure } from '../../connectors/google/google-errors.js';

/**
 * Refusals that concern the mailbox, the connection or the service rather
 * than one item: they stop the page (and are retried or reported at the
 * user level) exactly as before. 403 without a quota reason is a refusal of
 * the account or its delegation; failedPrecondition is Gmail's "Mail service
 * not enabled" for the whole mailbox.
 */
function concernsMoreThanTheItem(failure: GoogleFailure): boolean {
  if (failure.status === undefined) return true; // no answer at all: network, timeout
  // accountRefused: the token endpoint refused the user (a new account Google is still setting up): target-account.ts waits for it.
  if (failure.kind === 'auth' || failure.kind === 'accountRefused' || failure.kind === 'throttled' || failure.kind === 'unavailable' || failure.kind === 'precondition') return true;
  return failure.status === 403;
}

export interface ItemRefusal {
  failure: GoogleFailure;
  serviceError: Record<string, unknown>;
}

/**
 * Google's answer when it refused this one item (400, 409, an answer in a
 * shape nobody documented...), or null when the refusal must stop the page.
 * One message Gmail will not take must never hold back the rest of the
 * mailbox: it is listed in the items view and the page moves on.
 */
export function itemRefusalOf(err: unknown): ItemRefusal | null {
  const failure = classifyGoogleError(err);
  if (concernsMoreThanTheItem(failure)) return null;
  return { failure, serviceError: { service: 'google-workspace', ...failure } };
}

import { Readable } from 'node:stream';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { configuredRootUrl, DelegatedJwt } from '../../connectors/google/google-clients.js';
import { importResumable } from './resumable-import.js';

export interface ImportMessageRequest {
  /** The mailbox owner's address, or 'me' for the impersonated user. */
  userId: string;
  /** The message exactly as exported (RFC 822 / MIME bytes). */
  raw: Buffer;
  labelIds: string[];
  /** Gmail's default for import is 'dateHeader': the message keeps its original date. */
  internalDateSource?: 'dateHeader' | 'receivedTime';
  neverMarkSpam?: boolean;
}

export interface ImportedMessage {
  id: string;
  threadId: string;
}

function isUnauthorized(error: unknown): boolean {
  const response = (error as { response?: { status?: number; data?: unknown } } | null)?.response;
  return response?.status === 401 && typeof (response.data as { error?: unknown } | undefined)?.error !== 'string';
}

/**
 * Messages above this size go as a resumable upload. Google's upload guide
 * recommends resumable uploads for large media; got-your-back (GYB) sends
 * messages over about 1 MB singly as resumable imports (api-facts D1).
 */
export const resumableThresholdBytes = 1024 * 1024;

/**
 * Imports one message: a multipart media upload (metadata JSON, then the
 * message/rfc822 bytes) up to resumableThresholdBytes, a resumable upload
 * above. googleapis builds upload URLs from the per-call rootUrl only, so it
 * is passed on every call when the connection has one.
 */
export async function importMessage(gmail: gmail_v1.Gmail, request: ImportMessageRequest): Promise<ImportedMessage> {
  const rootUrl = configuredRootUrl(gmail);
  if (request.raw.length > resumableThresholdBytes) return checkedResult(request, await importResumable(gmail, rootUrl, request));
  const send = () =>
    gmail.users.messages.import(
      {
        userId: request.userId,
        internalDateSource: request.internalDateSource ?? 'dateHeader',
        neverMarkSpam: request.neverMarkSpam ?? false,
        requestBody: { labelIds: request.labelIds },
        // A fresh stream per attempt: googleapis streams multipart bodies.
        media: { mimeType: 'message/rfc822', body: Readable.from(request.raw) },
      },
      rootUrl ? { rootUrl } : {},
    );

  let response;
  try {
    response = await send();
  } catch (error) {
    // The auth client has already dropped the rejected token but cannot replay
    // a consumed stream; one more attempt with a fresh token and a fresh stream.
    if (!isUnauthorized(error) || !(gmail.context._options.auth instanceof DelegatedJwt)) throw error;
    response = await send();
  }
  return checkedResult(request, response.data);
}

function checkedResult(request: ImportMessageRequest, data: gmail_v1.Schema$Message): ImportedMessage {
  const { id, threadId } = data;
  if (!id || !threadId) {
    throw new Error(`Gmail accepted the import for ${request.userId} but returned no message id; the result cannot be recorded.`);
  }
  return { id, threadId };
}

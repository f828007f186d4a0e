import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { DelegatedJwt } from '../../connectors/google/google-clients.js';
import type { ImportMessageRequest } from './gmail-import.js';

/**
 * messages.import as a resumable upload (Google's upload guide for the Gmail
 * API, "Resumable upload"): a POST with the metadata opens a session whose
 * URI comes back in Location, then one PUT sends the bytes. googleapis has no
 * resumable uploads (api-facts C1), so both requests go through the user's
 * authorised client, the same transport as every other Google call.
 * Gmail answers 404 when a session has expired: the upload starts over once.
 */
function authorisedClient(gmail: gmail_v1.Gmail): DelegatedJwt {
  const auth = gmail.context._options.auth;
  if (!(auth instanceof DelegatedJwt)) throw new Error('Resumable imports need the delegated service-account client built by createGoogleClients.');
  return auth;
}

function statusOf(error: unknown): number | undefined {
  return (error as { response?: { status?: number } } | null)?.response?.status;
}

export async function importResumable(gmail: gmail_v1.Gmail, rootUrl: string | undefined, request: ImportMessageRequest): Promise<gmail_v1.Schema$Message> {
  const auth = authorisedClient(gmail);
  const base = rootUrl ?? 'https://gmail.googleapis.com/';
  const url = `${base}upload/gmail/v1/users/${encodeURIComponent(request.userId)}/messages/import`;

  const openSession = async (): Promise<string> => {
    const response = await auth.request<unknown>({
      url,
      method: 'POST',
      params: {
        uploadType: 'resumable',
        internalDateSource: request.internalDateSource ?? 'dateHeader',
        neverMarkSpam: String(request.neverMarkSpam ?? false),
      },
      headers: {
        'Content-Type': 'application/json; charset=UTF-8',
        'X-Upload-Content-Type': 'message/rfc822',
        'X-Upload-Content-Length': String(request.raw.length),
      },
      data: JSON.stringify({ labelIds: request.labelIds }),
    });
    const location = response.headers.get('location');
    if (!location) throw new Error('Gmail opened no resumable upload session (the answer had no Location header).');
    return location;
  };

  const send = async (sessionUri: string) =>
    auth.request<gmail_v1.Schema$Message>({
      url: sessionUri,
      method: 'PUT',
      headers: { 'Content-Type': 'message/rfc822' },
      data: request.raw,
      responseType: 'json',
    });

  const sessionUri = await openSession();
  try {
    return (await send(sessionUri)).data;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    return (await send(await openSession())).data;
  }
}

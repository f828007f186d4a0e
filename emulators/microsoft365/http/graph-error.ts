import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { GraphContext } from './env.js';

/** Graph's error envelope: clients branch on `code`, never on `message`. */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function graphErrorBody(c: GraphContext, code: string, message: string): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': c.get('requestId'),
        'client-request-id': c.get('clientRequestId'),
      },
    },
  };
}

export function graphError(c: GraphContext, status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}): Response {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(graphErrorBody(c, code, message), status);
}

export const notFoundUser = (c: GraphContext, idOrUpn: string): Response =>
  graphError(c, 404, 'Request_ResourceNotFound', `Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`);

/** Mail endpoints name a missing mailbox owner this way rather than with the directory's code. */
export const invalidMailboxUser = (c: GraphContext, idOrUpn: string): Response => graphError(c, 404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`);

export const itemNotFound = (c: GraphContext): Response => graphError(c, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

export const malformedId = (c: GraphContext): Response => graphError(c, 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');

/**
 * No Exchange Online mailbox behind the user (a guest, no licence, on-premises):
 * 404 MailboxNotEnabledForRESTAPI, as reported with the Graph JS SDK
 * (microsoftgraph/msgraph-sdk-javascript#1756; body as in iyear/E5SubBot#39;
 * status 404 as in jasonjoh/php-tutorial#2 and O365/python-o365#438).
 */
export const mailboxNotEnabled = (c: GraphContext): Response => graphError(c, 404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');

/**
 * A mailbox an application access policy leaves out (Graph docs,
 * concepts/auth-limit-mailbox-access.md, "Handling API errors"; the SDK
 * reports it with statusCode 403, msgraph-sdk-javascript#252).
 */
export const applicationAccessDenied = (c: GraphContext): Response => graphError(c, 403, 'ErrorAccessDenied', 'Access to OData is disabled.');

/**
 * No photo on an Outlook item: 404 ErrorItemNotFound "The photo wasn't
 * found." (reported for GET .../photo in microsoftgraph/microsoft-graph-docs#2248;
 * profilephoto-get: "If no photo exists, the operation returns 404 Not Found").
 * ImageNotFound is the code of the directory's profile store for user photos
 * (msgraph-sdk-dotnet-core#851), not of Exchange items.
 */
export const photoNotFound = (c: GraphContext): Response => graphError(c, 404, 'ErrorItemNotFound', "The photo wasn't found.");

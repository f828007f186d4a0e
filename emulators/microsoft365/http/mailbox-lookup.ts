import type { MailFolder } from '../state/mail-folder.js';
import type { Mailbox } from '../state/mailbox.js';
import { decodeFolderId } from '../state/ids.js';
import { allWellKnownFolderNames } from '../state/mail-folder.js';
import type { DirectoryUser } from '../state/directory.js';
import type { TenantState } from '../state/tenant.js';
import type { GraphContext } from './env.js';
import { applicationAccessDenied, invalidMailboxUser, itemNotFound, mailboxNotEnabled, malformedId } from './graph-error.js';

/** The mailbox a /users/{id}/... mail route names, or the error response Graph gives. */
export function lookupMailbox(c: GraphContext, tenant: TenantState): { user: DirectoryUser; mailbox: Mailbox } | Response {
  const reference = c.req.param('userId') ?? '';
  const user = tenant.findUser(reference);
  if (!user) return invalidMailboxUser(c, reference);
  if (!user.hasMailbox) return mailboxNotEnabled(c);
  if (user.applicationAccess === 'denied') return applicationAccessDenied(c);
  return { user, mailbox: tenant.mailboxOf(user) };
}

/** A folder by id or well-known name; a string that is neither is malformed (400), a missing folder is 404. */
export function lookupFolder(c: GraphContext, mailbox: Mailbox, reference: string): MailFolder | Response {
  const folder = mailbox.resolveFolder(reference);
  if (folder) return folder;
  if (!allWellKnownFolderNames.has(reference.toLowerCase()) && !decodeFolderId(reference)) return malformedId(c);
  return itemNotFound(c);
}

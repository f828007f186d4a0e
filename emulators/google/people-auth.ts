import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { authenticate, requireScope } from './api-auth.js';
import type { ContactBook } from './contact-book.js';
import type { EmulatorContext } from './context.js';
import type { AccessGrant } from './credentials.js';
import { peopleError } from './errors.js';
import type { DirectoryUser } from './users.js';

const contacts = 'https://www.googleapis.com/auth/contacts';
const contactsReadonly = 'https://www.googleapis.com/auth/contacts.readonly';

/**
 * Scopes per People API method (the "Authorization scopes" section of each
 * method's reference page): writes need contacts; reads of the user's
 * contacts take contacts or contacts.readonly.
 */
export const peopleReadScopes: readonly string[] = [contacts, contactsReadonly];
export const peopleWriteScopes: readonly string[] = [contacts];

export type PeopleMethodKind = 'read' | 'write';

export interface PeopleCall {
  grant: AccessGrant;
  user: DirectoryUser;
  book: ContactBook;
}

export type PeopleHandler = (c: Context, call: PeopleCall) => Response | Promise<Response>;

/** A stable project number for a project id: the People API's quota errors name `project_number:N`. */
export function projectNumber(projectId: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(projectId).digest('hex').slice(0, 12)}`).toString();
  return digits.padStart(12, '1').slice(0, 12);
}

/**
 * The account a People call acts for: the token's subject. A service account
 * without delegation has no contacts; a suspended account (whose token was
 * issued before the suspension) is refused. Emulator's choice of wording: the
 * People API's answer for either was not found in a source, so the canonical
 * PERMISSION_DENIED text is used.
 */
function contactsOwner(ctx: EmulatorContext, grant: AccessGrant): DirectoryUser {
  const owner = grant.subject === null ? undefined : ctx.state.users.find(grant.subject);
  if (!owner || owner.suspended) throw peopleError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
  return owner;
}

/**
 * Runs a People API method as Google does before any work: token, scopes,
 * account, injected throttling, the per-user read or write quota. Mutates
 * that overlap another for the same user are counted (stats.people.concurrentMutates).
 */
export function peopleMethod(ctx: EmulatorContext, kind: PeopleMethodKind, handler: PeopleHandler): (c: Context) => Promise<Response> {
  const accepted = kind === 'read' ? peopleReadScopes : peopleWriteScopes;
  return async (c) => {
    const grant = authenticate(ctx, c);
    requireScope(grant, accepted);
    const user = contactsOwner(ctx, grant);
    ctx.quota.refuseInjected();
    ctx.quota.admitPeople(user.primaryEmail, projectNumber(grant.projectId), kind);
    const call = { grant, user, book: ctx.state.contactBookOf(user) };
    if (kind === 'read') return handler(c, call);
    const end = ctx.stats.beginPeopleMutate(user.primaryEmail);
    try {
      return await handler(c, call);
    } finally {
      end();
    }
  };
}

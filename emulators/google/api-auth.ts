import type { Context } from 'hono';
import type { EmulatorContext } from './context.js';
import type { AccessGrant } from './credentials.js';
import { delegationDenied, insufficientScopes, mailServiceNotEnabled, unauthenticated } from './errors.js';
import type { Mailbox } from './mailbox.js';
import type { GmailMethod } from './options.js';
import type { DirectoryUser } from './users.js';

const scope = (name: string) => `https://www.googleapis.com/auth/${name}`;
const fullMail = 'https://mail.google.com/';
const readMail = [fullMail, scope('gmail.modify'), scope('gmail.readonly'), scope('gmail.metadata')];

/** Scopes any one of which lets a token call the method (Gmail API reference, "Authorization scopes"). */
const gmailMethodScopes: Record<GmailMethod, readonly string[]> = {
  getProfile: readMail,
  'messages.list': readMail,
  'messages.get': readMail,
  'labels.list': [...readMail, scope('gmail.labels')],
  'labels.get': [...readMail, scope('gmail.labels')],
  'labels.create': [fullMail, scope('gmail.modify'), scope('gmail.labels')],
  'labels.update': [fullMail, scope('gmail.modify'), scope('gmail.labels')],
  'labels.delete': [fullMail, scope('gmail.modify'), scope('gmail.labels')],
  'messages.import': [fullMail, scope('gmail.modify'), scope('gmail.insert')],
  'messages.insert': [fullMail, scope('gmail.modify'), scope('gmail.insert')],
  'messages.modify': [fullMail, scope('gmail.modify')],
  'messages.batchModify': [fullMail, scope('gmail.modify')],
  'messages.trash': [fullMail, scope('gmail.modify')],
  'messages.untrash': [fullMail, scope('gmail.modify')],
  'messages.delete': [fullMail],
};

export const directoryReadScopes: readonly string[] = [scope('admin.directory.user'), scope('admin.directory.user.readonly')];
export const directoryWriteScopes: readonly string[] = [scope('admin.directory.user')];

/** The grant behind the request's bearer token, or the 401 Google answers. */
export function authenticate(ctx: EmulatorContext, c: Context): AccessGrant {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const grant = match?.[1] ? ctx.state.credentials.grantFor(match[1], ctx.options.now()) : undefined;
  if (!grant) throw unauthenticated();
  return grant;
}

export function requireScope(grant: AccessGrant, accepted: readonly string[]): void {
  if (!accepted.some((name) => grant.scopes.has(name))) throw insufficientScopes();
}

export interface GmailCall {
  grant: AccessGrant;
  user: DirectoryUser;
  mailbox: Mailbox;
}

/**
 * The mailbox a Gmail call may touch: `me` or an address of the impersonated
 * user. A token is bound to its `sub`; a service account without delegation
 * has no mailbox at all.
 */
function mailboxOwner(ctx: EmulatorContext, grant: AccessGrant, userId: string): DirectoryUser {
  if (grant.subject === null) throw mailServiceNotEnabled();
  const owner = ctx.state.users.find(grant.subject);
  if (userId !== 'me') {
    const named = ctx.state.users.find(userId);
    if (!named || !owner || named.id !== owner.id) throw delegationDenied(grant.subject);
  }
  if (!owner || owner.suspended || !owner.gmailEnabled) throw mailServiceNotEnabled();
  return owner;
}

export type GmailHandler = (c: Context, call: GmailCall) => Response | Promise<Response>;

/**
 * Runs a Gmail method as Google does before doing any work: token, scopes,
 * mailbox ownership, injected throttling, per-user concurrency, quota units.
 */
export function gmailMethod(ctx: EmulatorContext, method: GmailMethod, handler: GmailHandler): (c: Context) => Promise<Response> {
  const accepted = gmailMethodScopes[method];
  const cost = ctx.options.quota.methodCosts[method];
  return async (c) => {
    const grant = authenticate(ctx, c);
    requireScope(grant, accepted);
    const user = mailboxOwner(ctx, grant, c.req.param('userId') ?? 'me');
    ctx.quota.refuseInjected();
    const release = ctx.quota.admitGmail(user.primaryEmail, grant.projectId, cost);
    try {
      return await handler(c, { grant, user, mailbox: ctx.state.mailboxOf(user) });
    } finally {
      release();
    }
  };
}

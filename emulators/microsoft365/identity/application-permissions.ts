import type { MiddlewareHandler } from 'hono';
import type { GraphEnv } from '../http/env.js';
import { graphError } from '../http/graph-error.js';

/**
 * The Microsoft Graph application permissions (app roles) the tenant's
 * admin has consented to for the app registration. Entra ID puts the
 * granted ones in the `roles` claim of every client-credentials token, as
 * they stand when the token is issued, so a grant or a revocation shows in
 * the next token and not in one already issued. Graph then authorises each
 * request on the token's roles.
 *
 * Which roles open which resources comes from the permission tables of the
 * Graph v1.0 reference pages (learn.microsoft.com/graph/api/...):
 * - mail: message-delta and user-list-mailfolders take Mail.ReadBasic.All,
 *   Mail.Read or Mail.ReadWrite. Mail.ReadBasic.All leaves out the body and
 *   extended properties (permissions reference), so it cannot serve the MIME
 *   and the size the sync reads, and the emulator does not model it: only
 *   Mail.Read and Mail.ReadWrite open the mail routes.
 * - contacts: user-list-contactfolders, contact-delta, contactfolder-delta
 *   and profilephoto-get ("To retrieve the profile photo of a contact") take
 *   Contacts.Read or Contacts.ReadWrite.
 * - calendar: event-delta, event-get and event-list-instances take
 *   Calendars.Read (Calendars.ReadWrite higher); user-list-calendars also
 *   takes Calendars.ReadBasic, which leaves out bodies and attachments and
 *   is not modelled here.
 * - directory: user-list / user-get take User.Read.All (User.ReadWrite.All,
 *   Directory.Read.All, Directory.ReadWrite.All higher: the list quoted in
 *   microsoftgraph/microsoft-graph-docs-contrib#4901); group-list-members
 *   takes GroupMember.Read.All (Directory.Read.All, Group.Read.All,
 *   Group.ReadWrite.All, GroupMember.ReadWrite.All higher).
 */

/** What the sync needs, and so what a new emulated tenant grants unless told otherwise. */
export const defaultGrantedPermissions: readonly string[] = ['User.Read.All', 'GroupMember.Read.All', 'Mail.Read', 'Contacts.Read', 'Calendars.Read'];

interface PermissionFamily {
  name: string;
  /** Route patterns of the family (Hono: a trailing /* also matches the bare path). */
  patterns: readonly string[];
  /** Any one of these roles opens the family. */
  grantedBy: readonly string[];
  /** Graph's answer when none of them is in the token. */
  refusal: { code: string; message: string };
}

/**
 * Outlook resources (mail, contacts, calendar) refuse an app without the
 * permission with 403 ErrorAccessDenied "Access is denied. Check credentials
 * and try again.": calendarView with no calendar permission
 * (microsoftgraph/microsoftgraph-postman-collections#48,
 * microsoftgraph/msgraph-sdk-javascript#378), contacts with no contacts
 * permission (EvotecIT/O365Synchronizer#12), /me/calendars without
 * Calendars.Read (microsoftgraph/python-sample-send-mail#4).
 */
const outlookRefusal = { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' };

/**
 * The directory refuses with 403 Authorization_RequestDenied "Insufficient
 * privileges to complete the operation." (GET /users without User.Read.All:
 * BakkerJan/M365Portal#1, Azure-Samples/ms-identity-python-daemon#8).
 */
const directoryRefusal = { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' };

export const permissionFamilies: readonly PermissionFamily[] = [
  { name: 'mail', patterns: ['/v1.0/users/:userId/mailFolders/*', '/v1.0/users/:userId/messages/*'], grantedBy: ['Mail.Read', 'Mail.ReadWrite'], refusal: outlookRefusal },
  {
    name: 'contacts',
    patterns: ['/v1.0/users/:userId/contactFolders/*', '/v1.0/users/:userId/contacts/*'],
    grantedBy: ['Contacts.Read', 'Contacts.ReadWrite'],
    refusal: outlookRefusal,
  },
  {
    name: 'calendar',
    patterns: ['/v1.0/users/:userId/calendars/*', '/v1.0/users/:userId/calendarView/*', '/v1.0/users/:userId/events/*'],
    grantedBy: ['Calendars.Read', 'Calendars.ReadWrite'],
    refusal: outlookRefusal,
  },
  { name: 'users', patterns: ['/v1.0/users', '/v1.0/users/:userId'], grantedBy: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'], refusal: directoryRefusal },
  {
    name: 'groups',
    patterns: ['/v1.0/groups/*'],
    grantedBy: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    refusal: directoryRefusal,
  },
];

/** Every permission the control API accepts: the ones some family checks (a typo answers 400, not a silent no-op). */
export const knownPermissions: ReadonlySet<string> = new Set(permissionFamilies.flatMap((family) => family.grantedBy));

/** 403 with Graph's refusal when the request's token carries none of the roles the family needs. */
export function requireApplicationPermission(family: PermissionFamily): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const roles = c.get('roles') ?? [];
    if (!family.grantedBy.some((role) => roles.includes(role))) return graphError(c, 403, family.refusal.code, family.refusal.message);
    await next();
  };
}

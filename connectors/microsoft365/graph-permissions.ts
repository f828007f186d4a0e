import { decodeJwt } from 'jose';
import type { SyncableDataType } from '../../shared/data-types.js';

/**
 * The Microsoft Graph application permissions each data type reads with,
 * from the permission tables of the endpoints it calls (Graph v1.0
 * reference, learn.microsoft.com/graph/api/...):
 * - mail: mailFolders and childFolders (user-list-mailfolders), message
 *   delta (message-delta), a message and its MIME: Mail.Read. The tables
 *   also list Mail.ReadBasic.All, which leaves out the body and the
 *   extended properties the copy needs (its MIME, its size).
 * - contacts: contact folders (user-list-contactfolders, contactfolder-delta),
 *   contacts delta (contact-delta), a contact's photo (profilephoto-get):
 *   Contacts.Read.
 * - calendar: calendars (user-list-calendars), calendarView delta
 *   (event-delta), an event (event-get) and a series' instances
 *   (event-list-instances): Calendars.Read. Calendars.ReadBasic leaves out
 *   bodies and attachments.
 * The ReadWrite permission of each family grants the read as well ("Higher
 * privileged permissions" in the same tables).
 */
export const dataTypePermissions: Record<SyncableDataType, { needs: string; grantedBy: readonly string[] }> = {
  mail: { needs: 'Mail.Read', grantedBy: ['Mail.Read', 'Mail.ReadWrite'] },
  contacts: { needs: 'Contacts.Read', grantedBy: ['Contacts.Read', 'Contacts.ReadWrite'] },
  calendar: { needs: 'Calendars.Read', grantedBy: ['Calendars.Read', 'Calendars.ReadWrite'] },
};

/** The directory permissions the connection itself needs: users (user-list) and group members (group-list-members). */
export const directoryPermissions: readonly { needs: string; grantedBy: readonly string[] }[] = [
  { needs: 'User.Read.All', grantedBy: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  {
    needs: 'GroupMember.Read.All',
    grantedBy: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  },
];

/** What an app-only access token says about itself: its application permissions (`roles`) and when it was issued. */
export interface TokenGrants {
  roles: readonly string[];
  /** Milliseconds since the epoch; null when the token does not say. */
  issuedAtMs: number | null;
}

/**
 * Reads the claims of a Graph access token without verifying it: the
 * token is our own, just received from the token endpoint, and only Graph
 * can verify it. Entra ID lists the granted application permissions of an
 * app-only token in `roles` (Microsoft identity platform, "Access token
 * claims reference"). A token that cannot be read has no roles.
 */
export function tokenGrants(accessToken: string): TokenGrants {
  try {
    const claims = decodeJwt(accessToken);
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [];
    return { roles, issuedAtMs: typeof claims.iat === 'number' ? claims.iat * 1000 : null };
  } catch {
    return { roles: [], issuedAtMs: null };
  }
}

/** True when the roles hold any permission of the list. */
export const grantsAny = (roles: readonly string[], grantedBy: readonly string[]): boolean => grantedBy.some((permission) => roles.includes(permission));

/** The permissions the sync needs (directory first, then the given types) that the roles lack, by their least privileged name. */
export function missingPermissions(roles: readonly string[], dataTypes: readonly SyncableDataType[]): string[] {
  const needed = [...directoryPermissions, ...dataTypes.map((type) => dataTypePermissions[type])];
  return needed.filter((permission) => !grantsAny(roles, permission.grantedBy)).map((permission) => permission.needs);
}

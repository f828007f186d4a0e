import type { SourceUser } from '../microsoft365/mail-export.js';

import type { UsernameMapping } from '../../store/index.js';

export type { UsernameMapping };

function slug(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '')
    .replace(/^[._-]+|[._-]+$/g, '');
}

/**
 * The Google Workspace address for a Microsoft 365 user under a policy's
 * mapping: same-local-part keeps the mail address's local part,
 * upn-prefix the userPrincipalName's, first.last builds it from the names.
 */
export function targetEmailFor(user: SourceUser, mapping: UsernameMapping, targetDomain: string): string {
  const localOf = (address: string) => address.split('@')[0] ?? address;
  let local: string;
  // A guest's mail is their own, external address (john@gmail.com): john@<our domain> may be a colleague.
  // Guests are never provisioned (NO_MAILBOX); the address shown for them is built from the UPN's
  // local part (john_gmail.com#EXT#), which cannot be taken for someone else's.
  if (user.userType?.toLowerCase() === 'guest' || /#EXT#@/i.test(user.userPrincipalName)) {
    return `${slug(localOf(user.userPrincipalName).replace(/#EXT#$/i, ''))}@${targetDomain.toLowerCase()}`;
  }
  switch (mapping) {
    case 'same-local-part':
      local = localOf(user.mail || user.userPrincipalName);
      break;
    case 'upn-prefix':
      local = localOf(user.userPrincipalName);
      break;
    case 'first.last':
      local = user.givenName && user.surname ? `${slug(user.givenName)}.${slug(user.surname)}` : localOf(user.userPrincipalName);
      break;
  }
  return `${local.toLowerCase()}@${targetDomain.toLowerCase()}`;
}

import type { DirectoryGroup, DirectoryUser } from '../state/directory.js';

/** Properties a user has in v1.0 that the emulator can answer; accountEnabled only comes back when selected. */
export const userProperties: ReadonlySet<string> = new Set([
  'id',
  'userPrincipalName',
  'mail',
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'accountEnabled',
  'userType',
  'businessPhones',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
]);

const defaultUserProperties = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

export function userJson(user: DirectoryUser, select: readonly string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    mail: user.mail,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    jobTitle: user.jobTitle,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    businessPhones: [],
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
  };
  const result: Record<string, unknown> = {};
  for (const property of select ?? defaultUserProperties) result[property] = all[property];
  return result;
}

export const groupProperties: ReadonlySet<string> = new Set(['id', 'displayName', 'mailNickname', 'description', 'mail', 'mailEnabled', 'securityEnabled', 'groupTypes']);

export function groupJson(group: DirectoryGroup, select: readonly string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: group.id,
    displayName: group.displayName,
    mailNickname: group.mailNickname,
    description: group.description,
    mail: null,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
  };
  if (!select) return all;
  return Object.fromEntries(select.map((property) => [property, all[property]]));
}

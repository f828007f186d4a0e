import { classifyGraphError } from './graph-errors.js';
import type { GraphConnection } from './graph-client.js';
import type { PolicyRules } from '../../store/index.js';

/**
 * Which Microsoft 365 users a policy's rules select right now, read from
 * Microsoft Graph through the real client. The policy preview and the
 * membership reconciler both call this, so it knows nothing of either.
 */
export interface SelectedSourceUser {
  /** Graph's immutable user object id. */
  id: string;
  userPrincipalName: string;
  mail: string | null;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  accountEnabled: boolean;
}

/** A rule names a group that does not exist (deleted, or a typo): selecting nobody from it could exclude its members by mistake. */
export class GroupNotFoundError extends Error {
  readonly code = 'GROUP_NOT_FOUND';

  constructor(readonly groupId: string) {
    super(`The group ${groupId} named in the policy's rules does not exist in Microsoft 365; fix the rule or recreate the group.`);
    this.name = 'GroupNotFoundError';
  }
}

const userFields = ['id', 'userPrincipalName', 'mail', 'displayName', 'givenName', 'surname', 'accountEnabled'] as const;
const select = userFields.join(',');
/** Graph's largest directory page. */
const pageSize = 999;

interface GraphUser {
  '@odata.type'?: string;
  id?: string;
  userPrincipalName?: string | null;
  mail?: string | null;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  accountEnabled?: boolean | null;
}

interface GraphPage {
  value?: GraphUser[];
  '@odata.nextLink'?: string;
}

/**
 * Evaluates the rules: allUsers, group members, domains (of the UPN or the
 * mail address), then include adds and exclude removes (UPNs or object ids,
 * case-insensitive). Disabled accounts are never selected. Sorted by
 * userPrincipalName, then id. Graph errors are thrown as the SDK raised them
 * (classify them with classifyGraphError); a missing group is a GroupNotFoundError.
 */
export async function selectUsers(graph: GraphConnection, rules: PolicyRules, options: { onPage?: () => void } = {}): Promise<SelectedSourceUser[]> {
  const { users, missingGroupIds } = await readSelection(graph, rules, options);
  if (missingGroupIds[0] !== undefined) throw new GroupNotFoundError(missingGroupIds[0]);
  return users;
}

export interface SelectionReport {
  users: SelectedSourceUser[];
  /** Groups the rules name that do not exist; their members are not in `users`. */
  missingGroupIds: string[];
}

/**
 * The same evaluation, for the membership reconciler: a group that no longer
 * exists is reported beside the users the other rules select instead of
 * ending the evaluation. `onPage` runs after every page read (the reconciler
 * heartbeats there: a 10,000-member group is eleven pages of 999).
 */
export async function readSelection(graph: GraphConnection, rules: PolicyRules, options: { onPage?: () => void } = {}): Promise<SelectionReport> {
  const onPage = options.onPage ?? (() => undefined);
  const missingGroupIds: string[] = [];
  const selected = new Map<string, SelectedSourceUser>();
  const add = (user: SelectedSourceUser) => selected.set(user.id.toLowerCase(), user);
  const domains = new Set((rules.domains ?? []).map((domain) => domain.toLowerCase()));

  let directory: SelectedSourceUser[] | undefined;
  if (rules.allUsers === true || domains.size > 0) {
    directory = await readPages(graph, `/users?$select=${select}&$top=${pageSize}`, onPage);
    for (const user of directory) {
      if (rules.allUsers === true || domains.has(domainOf(user.userPrincipalName)) || (user.mail !== null && domains.has(domainOf(user.mail)))) add(user);
    }
  }

  for (const groupId of rules.groupIds ?? []) {
    const members = await groupMembers(graph, groupId, onPage);
    if (members === 'missing') missingGroupIds.push(groupId);
    else for (const user of members) add(user);
  }

  for (const reference of rules.include ?? []) {
    const user = findIn(directory, reference) ?? (await lookUpUser(graph, reference));
    if (user) add(user);
    onPage();
  }

  const excluded = new Set((rules.exclude ?? []).map((reference) => reference.toLowerCase()));
  const users = [...selected.values()].filter((user) => user.accountEnabled && !excluded.has(user.id.toLowerCase()) && !excluded.has(user.userPrincipalName.toLowerCase())).sort(byPrincipalName);
  return { users, missingGroupIds };
}

function byPrincipalName(a: SelectedSourceUser, b: SelectedSourceUser): number {
  const left = a.userPrincipalName.toLowerCase();
  const right = b.userPrincipalName.toLowerCase();
  if (left !== right) return left < right ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function findIn(directory: SelectedSourceUser[] | undefined, reference: string): SelectedSourceUser | undefined {
  const wanted = reference.toLowerCase();
  return directory?.find((user) => user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted);
}

/** Follows @odata.nextLink to the end; only user objects are kept (group members can be groups, devices, apps). */
async function readPages(graph: GraphConnection, firstPath: string, onPage: () => void): Promise<SelectedSourceUser[]> {
  const users: SelectedSourceUser[] = [];
  let next: string | undefined = firstPath;
  while (next !== undefined) {
    const page = (await graph.client.api(next).get()) as GraphPage;
    for (const item of page.value ?? []) {
      const user = toSelectedUser(item);
      if (user) users.push(user);
    }
    next = page['@odata.nextLink'];
    onPage();
  }
  return users;
}

async function groupMembers(graph: GraphConnection, groupId: string, onPage: () => void): Promise<SelectedSourceUser[] | 'missing'> {
  try {
    return await readPages(graph, `/groups/${encodeURIComponent(groupId)}/members?$select=${select}&$top=${pageSize}`, onPage);
  } catch (err) {
    if (classifyGraphError(err).kind === 'notFound') return 'missing';
    throw err;
  }
}

/** An include entry that the directory listing did not cover; a user that does not exist is simply not selected. */
async function lookUpUser(graph: GraphConnection, reference: string): Promise<SelectedSourceUser | undefined> {
  try {
    const user = (await graph.client.api(`/users/${encodeURIComponent(reference)}?$select=${select}`).get()) as GraphUser;
    return toSelectedUser({ '@odata.type': '#microsoft.graph.user', ...user });
  } catch (err) {
    if (classifyGraphError(err).kind === 'notFound') return undefined;
    throw err;
  }
}

function toSelectedUser(item: GraphUser): SelectedSourceUser | undefined {
  const type = item['@odata.type'];
  if (type !== undefined && type !== '#microsoft.graph.user') return undefined;
  if (!item.id || !item.userPrincipalName) return undefined;
  return {
    id: item.id,
    userPrincipalName: item.userPrincipalName,
    mail: item.mail ?? null,
    displayName: item.displayName ?? item.userPrincipalName,
    givenName: item.givenName ?? null,
    surname: item.surname ?? null,
    // Only a confirmed enabled account is selected: an unknown state is no proof of one.
    accountEnabled: item.accountEnabled === true,
  };
}

import { randomUUID } from 'node:crypto';

/** A user as Entra ID describes it, plus the number of the mailbox the emulator keeps for it. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  /** 'Guest' for a B2B guest (UPN with #EXT#, mail their own external address). */
  userType: UserType;
  /**
   * Whether Exchange Online has a mailbox for the user. Guests have none in the
   * inviting tenant (microsoftgraph/microsoft-graph-docs-contrib#405), nor do
   * users without an Exchange licence; mail routes then answer
   * MailboxNotEnabledForRESTAPI.
   */
  hasMailbox: boolean;
  /** 'denied': an application access policy leaves this mailbox out; mail routes answer 403 ErrorAccessDenied. */
  applicationAccess: ApplicationAccess;
  mailboxNumber: number;
}

export type UserType = 'Member' | 'Guest';
export type ApplicationAccess = 'allowed' | 'denied';

export interface NewUser {
  id?: string;
  userPrincipalName: string;
  mail?: string | null;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  jobTitle?: string | null;
  accountEnabled?: boolean;
  userType?: UserType;
  /** Default: true for members, false for guests. */
  hasMailbox?: boolean;
  applicationAccess?: ApplicationAccess;
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  mailNickname: string;
  description: string | null;
  memberIds: string[];
}

export interface NewGroup {
  id?: string;
  displayName: string;
  mailNickname?: string;
  description?: string | null;
  memberIds?: string[];
}

export class DirectoryError extends Error {
  constructor(
    readonly code: 'DuplicateUserPrincipalName' | 'DuplicateObjectId' | 'UnknownMember',
    message: string,
  ) {
    super(message);
  }
}

/** Users and groups of the tenant; users are looked up by object id or userPrincipalName. */
export class Directory {
  private readonly users = new Map<string, DirectoryUser>();
  private readonly idsByUpn = new Map<string, string>();
  private readonly groups = new Map<string, DirectoryGroup>();

  clear(): void {
    this.users.clear();
    this.idsByUpn.clear();
    this.groups.clear();
  }

  addUser(input: NewUser, mailboxNumber: number): DirectoryUser {
    const id = input.id ?? randomUUID();
    if (this.users.has(id)) throw new DirectoryError('DuplicateObjectId', `A user with id ${id} already exists.`);
    const upnKey = input.userPrincipalName.toLowerCase();
    if (this.idsByUpn.has(upnKey)) throw new DirectoryError('DuplicateUserPrincipalName', `The userPrincipalName ${input.userPrincipalName} is already in use.`);
    const user: DirectoryUser = {
      id,
      userPrincipalName: input.userPrincipalName,
      mail: input.mail === undefined ? input.userPrincipalName : input.mail,
      displayName: input.displayName,
      givenName: input.givenName ?? null,
      surname: input.surname ?? null,
      jobTitle: input.jobTitle ?? null,
      accountEnabled: input.accountEnabled ?? true,
      userType: input.userType ?? 'Member',
      hasMailbox: input.hasMailbox ?? (input.userType ?? 'Member') === 'Member',
      applicationAccess: input.applicationAccess ?? 'allowed',
      mailboxNumber,
    };
    this.users.set(id, user);
    this.idsByUpn.set(upnKey, id);
    return user;
  }

  /** By object id, or by userPrincipalName (case-insensitive), as Graph's /users/{id | userPrincipalName}. */
  findUser(idOrUpn: string): DirectoryUser | undefined {
    const byId = this.users.get(idOrUpn) ?? this.users.get(idOrUpn.toLowerCase());
    if (byId) return byId;
    const id = this.idsByUpn.get(idOrUpn.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  listUsers(): DirectoryUser[] {
    return [...this.users.values()];
  }

  get userCount(): number {
    return this.users.size;
  }

  deleteUser(user: DirectoryUser): void {
    this.users.delete(user.id);
    this.idsByUpn.delete(user.userPrincipalName.toLowerCase());
    for (const group of this.groups.values()) group.memberIds = group.memberIds.filter((id) => id !== user.id);
  }

  /** A rename changes the sign-in name and the primary address together, as an admin's UPN change usually does. */
  renameUser(user: DirectoryUser, userPrincipalName: string): void {
    const newKey = userPrincipalName.toLowerCase();
    const existing = this.idsByUpn.get(newKey);
    if (existing !== undefined && existing !== user.id) {
      throw new DirectoryError('DuplicateUserPrincipalName', `The userPrincipalName ${userPrincipalName} is already in use.`);
    }
    this.idsByUpn.delete(user.userPrincipalName.toLowerCase());
    if (user.mail === null || user.mail.toLowerCase() === user.userPrincipalName.toLowerCase()) user.mail = userPrincipalName;
    user.userPrincipalName = userPrincipalName;
    this.idsByUpn.set(newKey, user.id);
  }

  addGroup(input: NewGroup): DirectoryGroup {
    const id = input.id ?? randomUUID();
    if (this.groups.has(id)) throw new DirectoryError('DuplicateObjectId', `A group with id ${id} already exists.`);
    const memberIds = input.memberIds ?? [];
    for (const memberId of memberIds) {
      if (!this.users.has(memberId)) throw new DirectoryError('UnknownMember', `Group member ${memberId} is not a user of this tenant.`);
    }
    const group: DirectoryGroup = {
      id,
      displayName: input.displayName,
      mailNickname: input.mailNickname ?? input.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      description: input.description ?? null,
      memberIds: [...new Set(memberIds)],
    };
    this.groups.set(id, group);
    return group;
  }

  addGroupMember(group: DirectoryGroup, user: DirectoryUser): void {
    if (!group.memberIds.includes(user.id)) group.memberIds.push(user.id);
  }

  removeGroupMember(group: DirectoryGroup, user: DirectoryUser): void {
    group.memberIds = group.memberIds.filter((id) => id !== user.id);
  }

  /** A deleted group answers 404 Request_ResourceNotFound, as any unknown object id does. */
  deleteGroup(group: DirectoryGroup): void {
    this.groups.delete(group.id);
  }

  findGroup(id: string): DirectoryGroup | undefined {
    return this.groups.get(id);
  }

  listGroups(): DirectoryGroup[] {
    return [...this.groups.values()];
  }

  groupMembers(group: DirectoryGroup): DirectoryUser[] {
    return group.memberIds.map((id) => this.users.get(id)).filter((user): user is DirectoryUser => user !== undefined);
  }
}

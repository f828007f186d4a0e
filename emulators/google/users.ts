import { newNumericClientId } from './service-account-key.js';
import type { UserSeed } from './options.js';

/** A Workspace account as the Directory keeps it (no password: nothing reads it back). */
export interface DirectoryUser {
  id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  isAdmin: boolean;
  suspended: boolean;
  gmailEnabled: boolean;
  aliases: string[];
  orgUnitPath: string;
  changePasswordAtNextLogin: boolean;
  creationTime: string;
  /** Epoch ms until which the token endpoint refuses to impersonate the account (a new account still propagating). */
  tokensRefusedUntil?: number;
}

/** The Directory API's user resource. */
export function userResource(user: DirectoryUser, customerId: string): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    kind: 'admin#directory#user',
    id: user.id,
    etag: `"${user.id}/${user.suspended ? 's' : 'a'}"`,
    primaryEmail: user.primaryEmail,
    name: { givenName: user.givenName, familyName: user.familyName, fullName: `${user.givenName} ${user.familyName}` },
    isAdmin: user.isAdmin,
    isDelegatedAdmin: false,
    lastLoginTime: '1970-01-01T00:00:00.000Z',
    creationTime: user.creationTime,
    agreedToTerms: true,
    suspended: user.suspended,
    archived: false,
    changePasswordAtNextLogin: user.changePasswordAtNextLogin,
    ipWhitelisted: false,
    emails: [{ address: user.primaryEmail, primary: true }, ...user.aliases.map((address) => ({ address }))],
    customerId,
    orgUnitPath: user.orgUnitPath,
    isMailboxSetup: user.gmailEnabled,
    isEnrolledIn2Sv: false,
    isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
  };
  if (user.aliases.length > 0) resource.aliases = [...user.aliases];
  return resource;
}

export class UserStore {
  private readonly byId = new Map<string, DirectoryUser>();
  private readonly byAddress = new Map<string, DirectoryUser>();

  constructor(private readonly onChange: () => void) {}

  all(): DirectoryUser[] {
    return [...this.byId.values()];
  }

  /** By primary email, alias (case-insensitive) or numeric id, as Directory userKey accepts. */
  find(userKey: string): DirectoryUser | undefined {
    return this.byAddress.get(userKey.toLowerCase()) ?? this.byId.get(userKey);
  }

  addressTaken(address: string): boolean {
    return this.byAddress.has(address.toLowerCase());
  }

  add(seed: UserSeed & { id?: string; orgUnitPath?: string; changePasswordAtNextLogin?: boolean; creationTime?: string }, now: number): DirectoryUser {
    const user: DirectoryUser = {
      id: seed.id ?? newNumericClientId(),
      primaryEmail: seed.primaryEmail.toLowerCase(),
      givenName: seed.givenName,
      familyName: seed.familyName,
      isAdmin: seed.isAdmin ?? false,
      suspended: seed.suspended ?? false,
      gmailEnabled: seed.gmailEnabled ?? true,
      aliases: (seed.aliases ?? []).map((alias) => alias.toLowerCase()),
      orgUnitPath: seed.orgUnitPath ?? '/',
      changePasswordAtNextLogin: seed.changePasswordAtNextLogin ?? false,
      creationTime: seed.creationTime ?? new Date(now).toISOString(),
    };
    this.index(user);
    this.onChange();
    return user;
  }

  update(userKey: string, patch: Partial<Pick<DirectoryUser, 'isAdmin' | 'suspended' | 'gmailEnabled'>>): DirectoryUser | undefined {
    const user = this.find(userKey);
    if (!user) return undefined;
    Object.assign(user, patch);
    this.onChange();
    return user;
  }

  restore(users: DirectoryUser[]): void {
    this.byId.clear();
    this.byAddress.clear();
    for (const user of users) this.index({ ...user, aliases: [...user.aliases] });
  }

  private index(user: DirectoryUser): void {
    this.byId.set(user.id, user);
    this.byAddress.set(user.primaryEmail, user);
    for (const alias of user.aliases) this.byAddress.set(alias, user);
  }
}

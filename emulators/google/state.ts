import { CalendarAccount, type CalendarAccountSnapshot } from './calendar-store.js';
import { ContactBook, type ContactBookSnapshot } from './contact-book.js';
import { CredentialStore, type ServiceAccountRecord } from './credentials.js';
import { Mailbox, type MailboxSnapshot } from './mailbox.js';
import { MessageFailures, type MessageFailure } from './message-failures.js';
import type { ResolvedOptions } from './options.js';
import { UserStore, type DirectoryUser } from './users.js';

/** Set through POST /_control/provisioning-failures: users.insert for `email` fails so. */
export interface ProvisioningFailure {
  email: string;
  status: number;
  reason: string;
  message: string;
  /** How many more inserts fail; null = until reset. */
  remaining: number | null;
}

export interface StateSnapshot {
  version: 1;
  users: DirectoryUser[];
  serviceAccounts: ServiceAccountRecord[];
  mailboxes: Array<MailboxSnapshot & { userId: string }>;
  provisioningFailures: ProvisioningFailure[];
  /** Absent in snapshots saved before message failures existed. */
  messageFailures?: MessageFailure[];
  /** People API contacts and contact groups per user (absent in snapshots saved before contacts existed). */
  contactBooks?: Array<ContactBookSnapshot & { userId: string }>;
  /** Calendar API calendars and events per user (absent in snapshots saved before calendars existed). */
  calendarAccounts?: Array<CalendarAccountSnapshot & { userId: string }>;
  /** How far the mailbox clock runs ahead of the emulator's clock (absent in older files: 0). */
  mailClockOffsetMs?: number;
}

/**
 * Everything the emulator knows, in memory: Directory users, service
 * accounts and their tokens, one mailbox per user, armed failures.
 */
export class EmulatorState {
  readonly users: UserStore;
  readonly credentials: CredentialStore;
  readonly provisioningFailures = new Map<string, ProvisioningFailure>();
  readonly messageFailures: MessageFailures;
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly contactBooks = new Map<string, ContactBook>();
  private readonly calendarAccounts = new Map<string, CalendarAccount>();
  /** Bumped on every change; the persistence writer saves when it moves. */
  revision = 0;
  /** How long an account made by users.insert is refused at the token endpoint (options; POST /_control/new-accounts). */
  newAccountTokenDelayMs: number;
  /**
   * The mailbox clock runs this far ahead of the emulator's clock: a test
   * moves mail time on (Trash and Spam retention, arrival times) while tokens
   * and quotas keep the time the clients' own clocks keep.
   */
  private mailClockOffsetMs = 0;
  /** Epoch milliseconds of the mailbox clock. */
  readonly mailNow = (): number => this.options.now() + this.mailClockOffsetMs;

  constructor(private readonly options: ResolvedOptions) {
    const changed = () => {
      this.revision++;
    };
    this.users = new UserStore(changed);
    this.messageFailures = new MessageFailures(changed);
    this.credentials = new CredentialStore(changed);
    this.newAccountTokenDelayMs = options.newAccountTokenDelaySeconds * 1000;
  }

  get domains(): readonly string[] {
    return this.options.domains;
  }

  isTenantDomain(domain: string): boolean {
    return this.options.domains.includes(domain.toLowerCase());
  }

  mailboxOf(user: DirectoryUser): Mailbox {
    let mailbox = this.mailboxes.get(user.id);
    if (!mailbox) {
      mailbox = new Mailbox(
        user.primaryEmail,
        () => {
          this.revision++;
        },
        this.mailNow,
      );
      this.mailboxes.set(user.id, mailbox);
    }
    // Gmail purges in the background; doing it before each use is indistinguishable to a client.
    mailbox.purgeExpired();
    return mailbox;
  }

  /** The user's People API contacts and groups (created with the system groups on first use). */
  contactBookOf(user: DirectoryUser): ContactBook {
    let book = this.contactBooks.get(user.id);
    if (!book) {
      book = new ContactBook(() => {
        this.revision++;
      }, this.options.now);
      this.contactBooks.set(user.id, book);
    }
    return book;
  }

  /** The user's calendars (created with the primary calendar on first use). */
  calendarAccountOf(user: DirectoryUser): CalendarAccount {
    let account = this.calendarAccounts.get(user.id);
    if (!account) {
      account = new CalendarAccount(
        user.primaryEmail,
        () => {
          this.revision++;
        },
        this.options.now,
      );
      this.calendarAccounts.set(user.id, account);
    }
    return account;
  }

  /** Moves the mailbox clock on; what has now spent 30 days in Trash or Spam is purged at once. */
  advanceMailClock(ms: number): number {
    this.mailClockOffsetMs += ms;
    for (const mailbox of this.mailboxes.values()) mailbox.purgeExpired();
    this.revision++;
    return this.mailNow();
  }

  get mailClockOffset(): number {
    return this.mailClockOffsetMs;
  }

  /**
   * The options' users and service accounts. A service account already known
   * from a previous run keeps its keys, so a saved key still works after a restart.
   */
  seed(known: ServiceAccountRecord[] = []): void {
    const now = this.options.now();
    for (const seed of this.options.users) {
      if (!this.users.find(seed.primaryEmail)) this.users.add(seed, now);
    }
    for (const seed of this.options.serviceAccounts) {
      if (this.credentials.find(seed.clientEmail)) continue;
      const previous = known.find((record) => record.clientEmail === seed.clientEmail.toLowerCase());
      if (previous) this.credentials.adopt(previous);
      else this.credentials.add(seed);
    }
  }

  snapshot(): StateSnapshot {
    return {
      version: 1,
      users: this.users.all().map((user) => ({ ...user, aliases: [...user.aliases] })),
      serviceAccounts: this.credentials.list().map((record) => ({ ...record, dwdScopes: [...record.dwdScopes], keys: record.keys.map((key) => ({ ...key })) })),
      mailboxes: [...this.mailboxes].map(([userId, mailbox]) => ({ userId, ...mailbox.snapshot() })),
      contactBooks: [...this.contactBooks].map(([userId, book]) => ({ userId, ...book.snapshot() })),
      calendarAccounts: [...this.calendarAccounts].map(([userId, account]) => ({ userId, ...account.snapshot() })),
      provisioningFailures: [...this.provisioningFailures.values()].map((failure) => ({ ...failure })),
      messageFailures: this.messageFailures.list(),
      mailClockOffsetMs: this.mailClockOffsetMs,
    };
  }

  restore(snapshot: StateSnapshot): void {
    this.users.restore(snapshot.users);
    this.credentials.restore(snapshot.serviceAccounts);
    this.mailboxes.clear();
    for (const { userId, ...mailbox } of snapshot.mailboxes) {
      this.mailboxes.set(
        userId,
        Mailbox.fromSnapshot(
          mailbox,
          () => {
            this.revision++;
          },
          this.mailNow,
        ),
      );
    }
    this.contactBooks.clear();
    for (const { userId, ...book } of snapshot.contactBooks ?? []) {
      this.contactBooks.set(
        userId,
        ContactBook.fromSnapshot(
          book,
          () => {
            this.revision++;
          },
          this.options.now,
        ),
      );
    }
    this.calendarAccounts.clear();
    for (const { userId, ...account } of snapshot.calendarAccounts ?? []) {
      const owner = snapshot.users.find((user) => user.id === userId);
      if (!owner) continue;
      this.calendarAccounts.set(
        userId,
        CalendarAccount.fromSnapshot(
          owner.primaryEmail,
          account,
          () => {
            this.revision++;
          },
          this.options.now,
        ),
      );
    }
    this.provisioningFailures.clear();
    for (const failure of snapshot.provisioningFailures) this.provisioningFailures.set(failure.email, { ...failure });
    this.messageFailures.replaceAll(snapshot.messageFailures ?? []);
    this.mailClockOffsetMs = snapshot.mailClockOffsetMs ?? 0;
    this.revision++;
  }
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MailAddress, SeededMessageKind } from '../../mime/message-plan.js';
import type { CredentialsSnapshot } from '../identity/credentials.js';
import type { ChangeLogSnapshot } from './change-log.js';
import type { CalendarBookSnapshot } from '../calendar/calendar-book.js';
import type { ContactBookSnapshot } from './contact-book.js';
import type { DirectoryGroup, DirectoryUser } from './directory.js';
import type { RawMimeSummary } from './raw-mime.js';
import { Mailbox, type FlagStatus, type MailboxCounters, type MessageRecord } from './mailbox.js';
import type { TenantState } from './tenant.js';

/**
 * Saves the whole tenant to one JSON file in the persist directory and reads
 * it back, so a demo survives a restart. Messages are stored as compact
 * tuples; their content is regenerated from the seeds, as at runtime.
 */
const stateFileName = 'microsoft365-state.json';
const snapshotVersion = 1;

const kinds: readonly SeededMessageKind[] = ['normal', 'oversized', 'smime', 'irm', 'tnef'];
const flags: readonly FlagStatus[] = ['notFlagged', 'flagged', 'complete'];

/** [number, folder, moveCount, receivedAt, lastModifiedAt, size, kind, outgoing, isRead, flag, categories, changeCount] */
/** The last two (content of another message's number, or -1; 1 = without Message-ID) are absent in older files. */
type MessageTuple = [number, number, number, number, number, number, number, 0 | 1, 0 | 1, number, string[] | 0, number, number?, (0 | 1)?];

interface FolderSnapshot {
  number: number;
  displayName: string;
  parent: number | null;
  hidden: boolean;
  log: ChangeLogSnapshot;
}

interface MailboxSnapshot {
  number: number;
  seed: number;
  owner: MailAddress;
  counters: MailboxCounters;
  folders: FolderSnapshot[];
  messages: MessageTuple[];
  /** Messages given as raw MIME: [number, base64 of the bytes, summary]. */
  rawMessages?: Array<[number, string, RawMimeSummary]>;
  /** Contact folders and contacts; absent in files saved before contacts existed. */
  contacts?: ContactBookSnapshot;
  /** Calendars and events; absent in files saved before calendars existed. */
  calendars?: CalendarBookSnapshot;
}

interface TenantSnapshot {
  version: number;
  domain: string;
  credentials: CredentialsSnapshot;
  stateKey: string;
  users: DirectoryUser[];
  groups: DirectoryGroup[];
  mailboxes: MailboxSnapshot[];
}

function mailboxSnapshot(mailbox: Mailbox): MailboxSnapshot {
  const messages: MessageTuple[] = [];
  for (const record of mailbox.allMessages()) {
    messages.push([
      record.number,
      record.folder,
      record.moveCount,
      record.receivedAt,
      record.lastModifiedAt,
      record.size,
      kinds.indexOf(record.kind),
      record.outgoing ? 1 : 0,
      record.isRead ? 1 : 0,
      flags.indexOf(record.flagStatus),
      record.categories.length > 0 ? [...record.categories] : 0,
      record.changeCount,
      record.contentOf ?? -1,
      record.withoutMessageId ? 1 : 0,
    ]);
  }
  return {
    number: mailbox.number,
    seed: mailbox.seed,
    owner: mailbox.owner,
    counters: mailbox.counters(),
    folders: mailbox.allFolders().map((folder) => ({ number: folder.number, displayName: folder.displayName, parent: folder.parent, hidden: folder.hidden, log: folder.log.toSnapshot() })),
    messages,
    rawMessages: [...mailbox.allRawMessages()].map(([number, raw]) => [number, raw.bytes.toString('base64'), raw.summary]),
    contacts: mailbox.contacts.toSnapshot(),
    calendars: mailbox.calendars.toSnapshot(),
  };
}

function restoreMailbox(snapshot: MailboxSnapshot, changeLogRetention: number): Mailbox {
  const mailbox = new Mailbox({ number: snapshot.number, seed: snapshot.seed, owner: snapshot.owner, changeLogRetention });
  for (const saved of [...snapshot.folders].sort((a, b) => a.number - b.number)) {
    const folder = mailbox.folder(saved.number) ?? mailbox.addFolder(saved.displayName, saved.parent ?? 0, { hidden: saved.hidden, number: saved.number });
    folder.displayName = saved.displayName;
    folder.log.restore(saved.log);
  }
  const rawMessages = new Map((snapshot.rawMessages ?? []).map(([number, bytes, summary]) => [number, { bytes: Buffer.from(bytes, 'base64'), summary }]));
  for (const [number, folder, moveCount, receivedAt, lastModifiedAt, size, kind, outgoing, isRead, flag, categories, changeCount, contentOf, withoutMessageId] of snapshot.messages) {
    mailbox.restoreMessage(
      {
        number,
        folder,
        moveCount,
        receivedAt,
        lastModifiedAt,
        size,
        kind: kinds[kind] ?? 'normal',
        outgoing: outgoing === 1,
        isRead: isRead === 1,
        flagStatus: flags[flag] ?? 'notFlagged',
        categories: categories === 0 ? [] : categories,
        changeCount,
        ...(contentOf !== undefined && contentOf >= 0 ? { contentOf } : {}),
        ...(withoutMessageId === 1 ? { withoutMessageId: true } : {}),
      } satisfies MessageRecord,
      rawMessages.get(number),
    );
  }
  mailbox.restoreCounters(snapshot.counters);
  if (snapshot.contacts) mailbox.contacts.restore(snapshot.contacts);
  if (snapshot.calendars) mailbox.calendars.restore(snapshot.calendars);
  return mailbox;
}

export function stateFilePath(persistDir: string): string {
  return path.join(persistDir, stateFileName);
}

export function saveTenant(tenant: TenantState, persistDir: string): void {
  const snapshot: TenantSnapshot = {
    version: snapshotVersion,
    domain: tenant.domain,
    credentials: tenant.credentials.toSnapshot(),
    stateKey: tenant.stateKey.toString('base64'),
    users: tenant.directory.listUsers(),
    groups: tenant.directory.listGroups(),
    mailboxes: tenant.allMailboxes().map(mailboxSnapshot),
  };
  mkdirSync(persistDir, { recursive: true });
  const file = stateFilePath(persistDir);
  const temporary = `${file}.tmp`;
  // Written aside then renamed, so a crash mid-write never leaves a half file behind.
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, file);
}

/** Replaces the tenant's content with the saved one; false when nothing was saved yet. */
export function loadTenantInto(tenant: TenantState, persistDir: string): boolean {
  const file = stateFilePath(persistDir);
  if (!existsSync(file)) return false;
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as TenantSnapshot;
  if (snapshot.version !== snapshotVersion) {
    throw new Error(`${file} was written by another version of the emulator (format ${snapshot.version}, expected ${snapshotVersion}); delete it to start fresh.`);
  }
  tenant.clear();
  tenant.restoreIdentity(snapshot);
  for (const mailbox of snapshot.mailboxes) tenant.restoreMailbox(restoreMailbox(mailbox, tenant.settings.changeLogRetention));
  for (const user of snapshot.users) tenant.directory.addUser(user, user.mailboxNumber);
  for (const group of snapshot.groups) tenant.directory.addGroup(group);
  return true;
}

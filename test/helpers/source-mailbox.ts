import type { Microsoft365Emulator } from '../../emulators/microsoft365/index.js';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';

export interface SourceMessage {
  immutableId: string;
  internetMessageId: string;
  /** Folder path from the mailbox root, e.g. ["Inbox", "Projects", "Apollo"]. */
  folderPath: string[];
  wellKnownFolder: string | null;
  isRead: boolean;
  flagged: boolean;
  categories: readonly string[];
  kind: string;
  receivedAt: Date;
  size: number;
}

/** What the Microsoft 365 emulator holds for a user: the truth a sync is checked against. */
export function sourceMessages(emulator: Microsoft365Emulator, user: DirectoryUser): SourceMessage[] {
  const mailbox = emulator.tenant.mailboxOf(user);
  const pathOf = (folderNumber: number): string[] => {
    const folder = mailbox.folder(folderNumber);
    if (!folder || folder.parent === null) return [];
    return [...pathOf(folder.parent), folder.displayName];
  };
  return [...mailbox.allMessages()].map((record) => ({
    immutableId: mailbox.idOf(record, true),
    internetMessageId: mailbox.plan(record).messageId,
    folderPath: pathOf(record.folder),
    wellKnownFolder: mailbox.folder(record.folder)?.wellKnownName ?? null,
    isRead: record.isRead,
    flagged: record.flagStatus === 'flagged',
    categories: record.categories,
    kind: record.kind,
    receivedAt: new Date(record.receivedAt * 1000),
    size: record.size,
  }));
}

// Deleted Items and Junk Email are user labels named after the folder: Gmail purges Trash and Spam after 30 days.
const systemLabel: Record<string, string> = { inbox: 'INBOX', sentitems: 'SENT', drafts: 'DRAFT' };

/** The label names a message must carry in Gmail, per the mapping the README documents. */
export function expectedLabelNames(message: SourceMessage): string[] {
  const names = new Set<string>();
  const system = message.wellKnownFolder ? systemLabel[message.wellKnownFolder] : undefined;
  if (system) names.add(system);
  else {
    const reserved = ['inbox', 'sent items', 'drafts'];
    const path = [...message.folderPath];
    // Gmail refuses "Archive", "[Gmail]" and the other reserved names the README lists: " (Outlook)" is added.
    const refusedByGmail = ['archive', 'muted', 'todo', 'posteingang', '[gmail]'];
    if (reserved.includes(path[0]!.toLowerCase())) path[0] = `${path[0]} folders`;
    else if (refusedByGmail.includes(path[0]!.toLowerCase())) path[0] = `${path[0]} (Outlook)`;
    names.add(path.join('/'));
  }
  if (!message.isRead) names.add('UNREAD');
  if (message.flagged) names.add('STARRED');
  for (const category of message.categories) names.add(`Categories/${category}`);
  return [...names].sort();
}

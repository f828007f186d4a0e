import { FolderChangeLog } from './change-log.js';
import { SortedNumbers } from './sorted-numbers.js';

/**
 * The folders every mailbox starts with. `name` is the well-known name Graph
 * accepts in place of a folder id (v1.0 has no wellKnownName property, so the
 * name only works in URLs). Folder number 0 is the hidden root.
 */
export const rootFolderNumber = 0;

export const defaultFolders = [
  { number: rootFolderNumber, name: 'msgfolderroot', displayName: 'Top of Information Store', parent: null },
  { number: 1, name: 'inbox', displayName: 'Inbox', parent: rootFolderNumber },
  { number: 2, name: 'drafts', displayName: 'Drafts', parent: rootFolderNumber },
  { number: 3, name: 'sentitems', displayName: 'Sent Items', parent: rootFolderNumber },
  { number: 4, name: 'deleteditems', displayName: 'Deleted Items', parent: rootFolderNumber },
  { number: 5, name: 'junkemail', displayName: 'Junk Email', parent: rootFolderNumber },
  { number: 6, name: 'archive', displayName: 'Archive', parent: rootFolderNumber },
  { number: 7, name: 'outbox', displayName: 'Outbox', parent: rootFolderNumber },
  { number: 8, name: 'conversationhistory', displayName: 'Conversation History', parent: rootFolderNumber },
] as const;

export type WellKnownFolderName = (typeof defaultFolders)[number]['name'];

export const firstCustomFolderNumber = 100;

export const wellKnownFolderNumbers: ReadonlyMap<string, number> = new Map(defaultFolders.map((folder) => [folder.name, folder.number]));

export const folderNumberOf = (name: WellKnownFolderName): number => wellKnownFolderNumbers.get(name) as number;

export class MailFolder {
  readonly members = new SortedNumbers();
  unreadCount = 0;
  readonly log: FolderChangeLog;

  constructor(
    readonly number: number,
    public displayName: string,
    readonly parent: number | null,
    readonly wellKnownName: string | null,
    readonly hidden: boolean,
    changeLogRetention: number,
  ) {
    this.log = new FolderChangeLog(changeLogRetention);
  }
}

/** Every well-known name Graph accepts; the ones not in defaultFolders answer 404 rather than 400. */
export const allWellKnownFolderNames: ReadonlySet<string> = new Set([
  ...defaultFolders.map((folder) => folder.name),
  'clutter',
  'conflicts',
  'localfailures',
  'recoverableitemsdeletions',
  'scheduled',
  'searchfolders',
  'serverfailures',
  'syncissues',
]);

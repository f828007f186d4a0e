import { FolderChangeLog } from './change-log.js';
import { SortedNumbers } from './sorted-numbers.js';

/**
 * One Outlook contact folder. Number 1 is the default "Contacts" folder every
 * mailbox has; the others nest below it (contactFolder resource:
 * learn.microsoft.com/graph/api/resources/contactfolder, "childFolders").
 * Like a mail folder it keeps its members in order and a change log for
 * per-folder contact delta.
 */
export const defaultContactFolderNumber = 1;
export const defaultContactFolderName = 'Contacts';

export class ContactFolder {
  readonly members = new SortedNumbers();
  readonly log: FolderChangeLog;

  constructor(
    readonly number: number,
    public displayName: string,
    /** null for the default folder, whose parent is the mailbox's folder root. */
    readonly parent: number | null,
    changeLogRetention: number,
  ) {
    this.log = new FolderChangeLog(changeLogRetention);
  }
}

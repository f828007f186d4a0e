import type { MailFolder } from '../state/mail-folder.js';
import type { Mailbox } from '../state/mailbox.js';
import { folderId } from '../state/ids.js';

/** v1.0 mailFolder properties; there is no wellKnownName in v1.0 (beta only). */
export const folderProperties: ReadonlySet<string> = new Set(['id', 'displayName', 'parentFolderId', 'childFolderCount', 'unreadItemCount', 'totalItemCount', 'isHidden']);

/** The root's parent is the mailbox's invisible "IPM subtree" parent; any stable id that is not a folder of ours does. */
const rootParentNumber = 0xffffffff;

export function folderJson(mailbox: Mailbox, folder: MailFolder, select: readonly string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: mailbox.folderIdOf(folder),
    displayName: folder.displayName,
    parentFolderId: folder.parent === null ? folderId(mailbox.number, rootParentNumber) : mailbox.folderIdOf(folder.parent),
    childFolderCount: mailbox.childFolders(folder.number, true).length,
    unreadItemCount: folder.unreadCount,
    totalItemCount: folder.members.size,
    isHidden: folder.hidden,
  };
  if (!select) return all;
  const result: Record<string, unknown> = { id: all.id };
  for (const property of select) result[property] = all[property] ?? null;
  return result;
}

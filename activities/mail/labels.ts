import { isKnownRefusedTopLevelName, withinLengthLimit } from '../google/gmail-label-rules.js';

/**
 * How Outlook's folders, read state, flags and categories become Gmail labels.
 * Inbox, Sent Items and Drafts map to Gmail's system labels; every other folder
 * becomes a user label named after its path, so nesting survives ("Projects/2024").
 */
export type WellKnownFolder = 'inbox' | 'sentitems' | 'drafts' | 'deleteditems' | 'junkemail' | 'archive';

export const wellKnownFolders: readonly WellKnownFolder[] = ['inbox', 'sentitems', 'drafts', 'deleteditems', 'junkemail', 'archive'];

const systemLabelFor: Partial<Record<WellKnownFolder, string>> = {
  inbox: 'INBOX',
  sentitems: 'SENT',
  drafts: 'DRAFT',
  // Deleted Items and Junk Email are user labels, not TRASH and SPAM: Gmail deletes
  // what sits in Trash or Spam for 30 days for good (Gmail Help, "Delete or recover
  // deleted Gmail messages"; README "How the sync works" cites the Spam rule), while
  // Outlook keeps both folders' contents. Only a deletion in Outlook sends a copy to Trash.
  // Archive has no system label: an archived message in Gmail is one without INBOX,
  // so Archive becomes a user label like any other folder.
};

/**
 * Outlook's folders whose messages carry a Gmail system label. Their
 * subfolders are not in Gmail's inbox (or sent mail...), so their labels say
 * where they came from: "Inbox folders/Clients". Deleted Items and Junk Email
 * are user labels of their own (see systemLabelFor), so their subfolders nest
 * under them as under any folder.
 */
const systemFolderNames = new Set(['inbox', 'sent items', 'drafts']);

/**
 * Put on a Gmail copy whose message left the Outlook mailbox without being
 * deleted there as far as Graph can tell: moved to the online archive
 * mailbox (its immutable id changes, so it vanishes like a deletion), or
 * purged outside Deleted Items. The copy stays; the label says why it no
 * longer follows Outlook.
 */
export const removedFromOutlookLabelName = 'Removed from Outlook';

/**
 * Carried by a Gmail copy of a message without a Message-ID between its
 * import and the id map's record of it: after a crash in that window, this
 * label (not the message's bytes, which are never changed) finds the copy.
 */
export const importPendingLabelName = 'Import pending';

export const categoriesParentLabel = 'Categories';

/** The system label of a well-known folder, or undefined when the folder needs a user label. */
export function systemLabelForFolder(wellKnownName: string | null | undefined): string | undefined {
  return wellKnownName ? systemLabelFor[wellKnownName as WellKnownFolder] : undefined;
}

/**
 * The user label for a folder path such as ["Inbox", "Projects", "2024"]:
 *  - under one of Outlook's system folders the first part gets " folders"
 *    ("Inbox folders/Projects/2024");
 *  - a first part Gmail is known to refuse gets " (Outlook)": every Outlook
 *    mailbox has an Archive folder and Gmail refuses "Archive", so it becomes
 *    "Archive (Outlook)", and "Archive/2023" "Archive (Outlook)/2023";
 *  - a name over Gmail's length limit is shortened, ending in a hash of the whole.
 * Whatever Gmail refuses beyond that is renamed when the label is created
 * (GmailLabels), and recorded with the folder.
 */
export function userLabelNameForPath(segments: readonly string[]): string {
  const cleaned = segments.map((segment) => segment.replace(/\//g, '-').trim() || '(unnamed)');
  const top = cleaned[0]!;
  if (systemFolderNames.has(top.toLowerCase())) cleaned[0] = `${top} folders`;
  else if (isKnownRefusedTopLevelName(top)) cleaned[0] = `${top} (Outlook)`;
  return withinLengthLimit(cleaned.join('/'));
}

export function categoryLabelName(category: string): string {
  return `${categoriesParentLabel}/${category.replace(/\//g, '-').trim()}`;
}

/** Every ancestor of a nested label name, parents first: "A/B/C" → ["A", "A/B", "A/B/C"]. */
export function labelNameWithParents(name: string): string[] {
  const parts = name.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

export interface MessageLabelState {
  folderLabelId: string;
  isRead: boolean;
  flagged: boolean;
  categoryLabelIds: readonly string[];
}

/** The full set of labels a message should carry in Gmail. */
export function desiredLabelIds(state: MessageLabelState): string[] {
  const labels = new Set<string>([state.folderLabelId, ...state.categoryLabelIds]);
  if (!state.isRead) labels.add('UNREAD');
  if (state.flagged) labels.add('STARRED');
  return [...labels].sort();
}

/**
 * System labels Gmail sets itself: messages.modify can neither add nor remove
 * them (Gmail's labels guide, "Can be manually applied: no"; removing SENT
 * answers 400 "Invalid label: SENT", googleapis/google-api-php-client#1254).
 * Import may set them, so a message copied from Sent Items or Drafts carries
 * them from the start and keeps them for good.
 */
export const gmailOwnedLabelIds: ReadonlySet<string> = new Set(['SENT', 'DRAFT']);

/** System labels that stand for a folder; user folder labels are known from the folder list. */
const systemFolderLabelIds: ReadonlySet<string> = new Set(['INBOX', 'SENT', 'DRAFT', 'TRASH', 'SPAM']);
const stateLabelIds: ReadonlySet<string> = new Set(['UNREAD', 'STARRED']);

/**
 * What one delta entry says about a message. Graph may send an updated
 * message with only the properties that changed (delta query overview; a read
 * toggle arrives as id, isRead and parentFolderId, microsoft-graph-docs#7776),
 * so every aspect but the folder is optional, and an absent one means
 * "unchanged", never a default.
 */
export interface LabelChange {
  /** The folder whose delta reported the message (or the folder it moved to). */
  folderLabelId: string;
  isRead?: boolean;
  flagged?: boolean;
  categoryLabelIds?: readonly string[];
}

/**
 * The labels a copied message should carry after `change`, starting from the
 * labels last written to Gmail (`current`): only the aspects the change
 * carries move. SENT and DRAFT stay exactly as Gmail has them: a sent message
 * moved to another folder keeps SENT and gains that folder's label; a message
 * moved into Sent Items or Drafts after it was copied loses its old folder
 * label and is left in All Mail, since Gmail does not let SENT or DRAFT be
 * applied.
 */
export function nextLabelIds(current: readonly string[], change: LabelChange, folderLabelIds: ReadonlySet<string>): string[] {
  const isFolderLabel = (id: string) => systemFolderLabelIds.has(id) || folderLabelIds.has(id);
  const next = new Set(current.filter((id) => !isFolderLabel(id)));
  next.add(change.folderLabelId);
  if (change.isRead !== undefined) {
    if (change.isRead) next.delete('UNREAD');
    else next.add('UNREAD');
  }
  if (change.flagged !== undefined) {
    if (change.flagged) next.add('STARRED');
    else next.delete('STARRED');
  }
  if (change.categoryLabelIds !== undefined) {
    // What is neither a folder label nor read/flag state is a category label.
    for (const id of [...next]) if (!isFolderLabel(id) && !stateLabelIds.has(id)) next.delete(id);
    for (const id of change.categoryLabelIds) next.add(id);
  }
  for (const id of gmailOwnedLabelIds) {
    if (current.includes(id)) next.add(id);
    else next.delete(id);
  }
  return [...next].sort();
}

/** The modify call that turns `current` into `desired`; null when nothing changes. */
export function labelDiff(current: readonly string[], desired: readonly string[]): { addLabelIds: string[]; removeLabelIds: string[] } | null {
  const have = new Set(current);
  const want = new Set(desired);
  const addLabelIds = [...want].filter((id) => !have.has(id));
  const removeLabelIds = [...have].filter((id) => !want.has(id));
  return addLabelIds.length || removeLabelIds.length ? { addLabelIds, removeLabelIds } : null;
}

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

/** Names Gmail reserves for its system labels (any case); a user label cannot take them. */
const reservedLabelNames = new Set(['inbox', 'sent', 'drafts', 'draft', 'trash', 'spam', 'starred', 'important', 'unread', 'chat', 'chats', 'sent mail', 'all mail', 'sent items']);

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
 * The user label for a folder path such as ["Inbox", "Projects", "2024"].
 * Gmail reserves the names of its system labels, so a first segment such as
 * "Inbox" or "Sent Items" becomes "Inbox folders": the subfolders of Outlook's
 * Inbox are not in Gmail's inbox, and the label says where they came from.
 */
export function userLabelNameForPath(segments: readonly string[]): string {
  const cleaned = segments.map((segment) => segment.replace(/\//g, '-').trim() || '(unnamed)');
  if (reservedLabelNames.has(cleaned[0]!.toLowerCase())) cleaned[0] = `${cleaned[0]} folders`;
  return cleaned.join('/');
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

/** The modify call that turns `current` into `desired`; null when nothing changes. */
export function labelDiff(current: readonly string[], desired: readonly string[]): { addLabelIds: string[]; removeLabelIds: string[] } | null {
  const have = new Set(current);
  const want = new Set(desired);
  const addLabelIds = [...want].filter((id) => !have.has(id));
  const removeLabelIds = [...have].filter((id) => !want.has(id));
  return addLabelIds.length || removeLabelIds.length ? { addLabelIds, removeLabelIds } : null;
}

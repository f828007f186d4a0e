import { isKnownRefusedTopLevelName, withinLengthLimit } from '../google/gmail-label-rules.js';

/**
 * How Outlook's folders, read state, flags and categories become Gmail labels.
 * Well-known folders map to Gmail's system labels; every other folder becomes
 * a user label named after its path, so nesting survives ("Projects/2024").
 */
export type WellKnownFolder = 'inbox' | 'sentitems' | 'drafts' | 'deleteditems' | 'junkemail' | 'archive';

export const wellKnownFolders: readonly WellKnownFolder[] = ['inbox', 'sentitems', 'drafts', 'deleteditems', 'junkemail', 'archive'];

const systemLabelFor: Partial<Record<WellKnownFolder, string>> = {
  inbox: 'INBOX',
  sentitems: 'SENT',
  drafts: 'DRAFT',
  deleteditems: 'TRASH',
  junkemail: 'SPAM',
  // Archive has no system label: an archived message in Gmail is one without INBOX,
  // so Archive becomes a user label like any other folder.
};

/**
 * Outlook's folders whose messages carry a Gmail system label. Their
 * subfolders are not in Gmail's inbox (or sent mail...), so their labels say
 * where they came from: "Inbox folders/Clients".
 */
const systemFolderNames = new Set(['inbox', 'sent items', 'drafts', 'deleted items', 'junk email']);

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

/** The modify call that turns `current` into `desired`; null when nothing changes. */
export function labelDiff(current: readonly string[], desired: readonly string[]): { addLabelIds: string[]; removeLabelIds: string[] } | null {
  const have = new Set(current);
  const want = new Set(desired);
  const addLabelIds = [...want].filter((id) => !have.has(id));
  const removeLabelIds = [...have].filter((id) => !want.has(id));
  return addLabelIds.length || removeLabelIds.length ? { addLabelIds, removeLabelIds } : null;
}

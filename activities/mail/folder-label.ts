import { LabelUnavailableError } from '../google/gmail-labels.js';
import { labelNameAlternatives } from '../google/gmail-label-rules.js';
import { googleFailure } from '../failures.js';
import type { FolderStateView } from '../../store/index.js';
import type { Mailbox, MailDeps } from './mailbox.js';

export interface FolderForLabel {
  sourceFolderId: string;
  /** e.g. 'Inbox/Projects'. */
  path: string;
  /** The folder as recorded before this discovery; null for a new folder. */
  previous: FolderStateView | null;
}

export interface FolderLabel {
  id: string;
  /** The label's name when Gmail refused the one the path gives; null otherwise. */
  renamedTo: string | null;
}

/** Audit codes of this module: stable, for filters and alerts. */
export const LabelAuditCode = {
  /** Gmail refused the folder's label name; an alternative it accepted is used. */
  Renamed: 'LABEL_RENAMED',
  /** Gmail refused the name and every alternative: the folder is not copied for now. */
  Unavailable: 'LABEL_UNAVAILABLE',
} as const;

/**
 * The Gmail user label of one folder. A name Gmail refuses is replaced by an
 * alternative it takes (recorded with the folder, and once in the audit log);
 * when Gmail takes none, the folder gets no label and null comes back: that
 * folder is left out of the sync, with a Warning, and every other folder goes
 * on. The next folder discovery tries it again. Personal data (folder and
 * label names) goes to the audit log only, never into Temporal.
 */
export async function folderLabel(deps: MailDeps, mailbox: Mailbox, syncUserId: string, folder: FolderForLabel, wanted: string): Promise<FolderLabel | null> {
  const { previous } = folder;
  try {
    const label = await mailbox.labels.ensureNamed(wanted);
    const renamedTo = label.name === wanted ? null : label.name;
    if (renamedTo && (previous?.googleLabelId !== label.id || previous.googleLabelName !== renamedTo)) {
      await deps.store.audit.write({
        severity: 'Warning',
        category: 'sync',
        code: LabelAuditCode.Renamed,
        message: `Gmail refused the label name "${wanted}" for folder "${folder.path}"; its messages carry the label "${renamedTo}" instead.`,
        actor: 'System',
        syncUserId,
        details: { sourceFolderId: folder.sourceFolderId, wantedLabel: wanted, labelName: renamedTo, googleLabelId: label.id },
      });
    }
    return { id: label.id, renamedTo };
  } catch (err) {
    if (!(err instanceof LabelUnavailableError)) throw googleFailure(err);
    // Written when the folder turns unlabelled, not again at every discovery while it stays so.
    if (!previous || previous.googleLabelId !== null) {
      await deps.store.audit.write({
        severity: 'Warning',
        category: 'sync',
        code: LabelAuditCode.Unavailable,
        message:
          `Gmail refused the label "${wanted}" for folder "${folder.path}" and ${labelNameAlternatives} alternatives to it (${err.lastRefusal.message}). ` +
          'The folder is not copied until it can be labelled; the other folders carry on, and the next folder discovery tries again. ' +
          'Rename the folder in Outlook, or remove unused labels in Gmail if the mailbox has reached its label limit.',
        actor: 'System',
        syncUserId,
        details: { sourceFolderId: folder.sourceFolderId, wantedLabel: wanted, googleError: { service: 'google-workspace', ...err.lastRefusal } },
      });
    }
    return null;
  }
}

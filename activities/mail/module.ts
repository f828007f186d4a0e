import type { ContainerStateView } from '../../store/index.js';
import type { DataTypeModule } from '../engine/data-type-module.js';
import { policyStoresSubjects } from '../engine/store-subjects.js';
import { fetchDeltaPage, initialDeltaPath, type ExportedMessage } from '../microsoft365/mail-export.js';
import { applyDeltaPage } from './apply-page.js';
import { discoverMailFolders } from './discover-folders.js';
import { systemLabelForFolder } from './labels.js';
import { openMailbox, type Mailbox, type MailDeps } from './mailbox.js';

/** What every folder of one activity shares. */
interface MailSession {
  mailbox: Mailbox;
  /** Source folder id → Gmail label id (system or user label). */
  labelForFolder: Map<string, string>;
  /** The user's Deleted Items folder: only a removal from there proves a deletion (removals.ts). */
  deletedItemsFolderId: string | undefined;
  storeSubjects: () => Promise<boolean>;
}

/**
 * Mail as a data type: mailbox folders become Gmail labels, messages are
 * imported with their MIME bytes, and a page is applied by apply-page.ts
 * (exactly once through the item map, Gmail's merging of a Message-ID it
 * already holds included).
 */
export function createMailModule(deps: MailDeps): DataTypeModule<MailSession, ExportedMessage> {
  const { store } = deps;
  return {
    dataType: 'mail',

    discoverContainers: (input) => discoverMailFolders(deps, input),

    async openSession(input, containers) {
      const labelForFolder = new Map<string, string>();
      for (const folder of containers) {
        const label = systemLabelForFolder(folder.wellKnownName) ?? folder.targetContainerId;
        if (label) labelForFolder.set(folder.sourceContainerId, label);
      }
      return {
        mailbox: await openMailbox(deps, input),
        labelForFolder,
        deletedItemsFolderId: containers.find((folder) => folder.wellKnownName === 'deleteditems')?.sourceContainerId,
        storeSubjects: policyStoresSubjects(store, input.syncUserId),
      };
    },

    // A folder Gmail refused every label name for (LABEL_UNAVAILABLE) waits, unread, until a discovery finds it a label.
    isWalkable: (session, folder) => session.labelForFolder.has(folder.sourceContainerId),

    initialDeltaLink: (input, sourceFolderId) => initialDeltaPath(input.sourceUserId, sourceFolderId),

    readDeltaPage: (session, link) => session.mailbox.graphPace(() => fetchDeltaPage(session.mailbox.graph, link, deps.deltaPageSize)),

    applyPage: (session, folder: ContainerStateView, page, keepAlive) =>
      applyDeltaPage(
        store,
        session.mailbox,
        page,
        { sourceFolderId: folder.sourceContainerId, folderName: folder.path },
        { labelForFolder: session.labelForFolder, deletedItemsFolderId: session.deletedItemsFolderId },
        { maxImportBytes: deps.maxImportBytes, storeSubjects: session.storeSubjects, keepAlive },
      ),
  };
}

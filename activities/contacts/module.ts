import type { DataTypeModule } from '../engine/data-type-module.js';
import { policyStoresSubjects } from '../engine/store-subjects.js';
import { applyPageItemwise } from '../engine/apply-itemwise.js';
import { fetchContactsDeltaPage, initialContactsDeltaPath, type ExportedContact } from '../microsoft365/contacts-export.js';
import { openAddressBook, type ContactsDeps } from './address-book.js';
import { contactOperations, type ContactsSession } from './contact-copies.js';
import { DEFAULT_CONTACTS_FOLDER, discoverContactFolders } from './discover-folders.js';
import { contactsServiceFailure } from './service-failure.js';

interface ContactsActivitySession extends ContactsSession {
  storeSubjects: () => Promise<boolean>;
}

/**
 * Contacts as a data type: each Outlook contact folder is walked by its own
 * contacts delta; a contact becomes a Google person (person-mapping.ts), a
 * folder other than the default one becomes a contact group, and a page is
 * applied item by item through the engine's ledger, writes one after
 * another as the People API asks.
 */
export function createContactsModule(deps: ContactsDeps): DataTypeModule<ContactsActivitySession, ExportedContact> {
  const { store } = deps;
  return {
    dataType: 'contacts',

    discoverContainers: (input) => discoverContactFolders(deps, input),

    async openSession(input) {
      return { book: await openAddressBook(deps, input), copiesBySourceId: null, storeSubjects: policyStoresSubjects(store, input.syncUserId) };
    },

    isWalkable: (_session, folder) => folder.wellKnownName === DEFAULT_CONTACTS_FOLDER || folder.targetContainerId !== null,

    initialDeltaLink: (input, sourceFolderId) => initialContactsDeltaPath(input.sourceUserId, sourceFolderId),

    readDeltaPage: (session, link) => session.book.graphPace(() => fetchContactsDeltaPage(session.book.graph, session.book.input.sourceUserId, link, deps.deltaPageSize)),

    async applyPage(session, folder, page, keepAlive) {
      session.keepAlive = keepAlive;
      try {
        return await applyPageItemwise(store, 'contacts', session.book.input.syncUserId, contactOperations, session, folder, page, { storeSubjects: session.storeSubjects, keepAlive });
      } catch (err) {
        throw contactsServiceFailure(err);
      }
    },
  };
}

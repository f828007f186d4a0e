import { createHash } from 'node:crypto';
import type { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import type { ContainerStateView, ItemMapView } from '../../store/index.js';
import { ItemErrorCode } from '../../shared/vocabulary.js';
import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { downloadContactPhoto, readContactOrNull, type ExportedContact } from '../microsoft365/contacts-export.js';
import type { ItemOperations, ItemVerdictOf, TargetCopy } from '../engine/apply-itemwise.js';
import { itemRefusalOf } from '../engine/item-refusal.js';
import type { AddressBook } from './address-book.js';
import { contactTitle, PERSON_FIELDS, SOURCE_ID_KEY, toPerson } from './person-mapping.js';

/** What the item map keeps of a Google copy. */
export interface ContactCopyState {
  /** The person's etag as we last wrote it: an update sends it, and a stale one is re-read (people/updateContact). */
  etag: string | null;
  /** SHA-256 of the photo copied, or null: a later change of the contact also brings a changed photo. */
  photoHash: string | null;
}

export interface ContactsSession {
  book: AddressBook;
  /** Copies found by their source id, read once per activity when a crash left intents (clientData is not searchable). */
  copiesBySourceId: Map<string, { resourceName: string; etag: string | null }> | null;
  /** The walk's heartbeat for the page being applied: a photo waiting for the download budget calls it. */
  keepAlive?: () => void;
}

/**
 * What a contact photo may weigh: Graph's profilephoto-update limits a photo to 4 MB. The size is
 * only known once downloaded, so a photo holds that much of the worker's download budget.
 */
export const maxContactPhotoBytes = 4 * 1024 * 1024;

const isGraphNotFound = (err: unknown) => classifyGraphError(err).kind === 'notFound';
const isGoogleNotFound = (err: unknown) => classifyGoogleError(err).kind === 'notFound';
/** updateContact's 400 FAILED_PRECONDITION "Request person.metadata.sources.etag is different than the current ..." */
const isStaleEtag = (err: unknown) => {
  const failure = classifyGoogleError(err);
  return failure.kind === 'precondition' && /etag/i.test(failure.message);
};
const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** A stale etag is re-read and the write sent again this many times before the page stops (and is retried). */
const ETAG_ATTEMPTS = 3;

/** The contact groups a contact belongs to in Google: its folder's (not for the default folder) and one per category. */
async function groupsFor(session: ContactsSession, container: ContainerStateView, contact: ExportedContact): Promise<string[]> {
  const groups = new Set<string>();
  if (container.targetContainerId) groups.add(container.targetContainerId);
  for (const category of contact.categories ?? []) {
    if (category.trim()) groups.add(await session.book.groups.ensure(category));
  }
  return [...groups];
}

/**
 * Google's refusal of this one contact, or null when the page must stop. A
 * FAILED_PRECONDITION that is not about an etag refuses the contact itself
 * (the account's contact limit, "a limit of 25,000 contacts" per account by
 * third-party accounts: calendar-contacts-files-facts §2.2): listed, the page goes on.
 */
function verdictOf(err: unknown, code: ItemErrorCode = ItemErrorCode.ItemRejected): ItemVerdictOf | null {
  const failure = classifyGoogleError(err);
  if (failure.kind === 'precondition' && failure.status === 400 && !isStaleEtag(err)) {
    return { code, reason: `Google Contacts refused it: ${failure.message}`, serviceError: { service: 'google-workspace', ...failure } };
  }
  const refusal = itemRefusalOf(err);
  return refusal ? { code, reason: `Google Contacts refused it: ${refusal.failure.message}`, serviceError: refusal.serviceError } : null;
}

/**
 * The photo brought in line with Outlook's: uploaded when new or changed,
 * removed when gone. A photo Google refuses leaves the contact copied
 * without it, listed with PHOTO_REJECTED.
 */
async function syncPhoto(session: ContactsSession, resourceName: string, contact: ExportedContact, known: ContactCopyState): Promise<{ state: ContactCopyState; partial?: ItemVerdictOf }> {
  // The photo's bytes are held from its download until Google has them, in the budget mail's messages share.
  return session.book.downloads.hold(maxContactPhotoBytes, () => copyPhoto(session, resourceName, contact, known), session.keepAlive);
}

async function copyPhoto(session: ContactsSession, resourceName: string, contact: ExportedContact, known: ContactCopyState): Promise<{ state: ContactCopyState; partial?: ItemVerdictOf }> {
  const { book } = session;
  const photo = await book.graphPace(() => downloadContactPhoto(book.graph, book.input.sourceUserId, contact.id, isGraphNotFound));
  const photoHash = photo ? hashOf(photo.bytes) : null;
  if (photoHash === known.photoHash) return { state: known };
  try {
    const { data } = photo
      ? await book.peoplePace(() => book.people.people.updateContactPhoto({ resourceName, requestBody: { photoBytes: photo.bytes.toString('base64'), personFields: 'metadata' } }))
      : await book.peoplePace(() => book.people.people.deleteContactPhoto({ resourceName, personFields: 'metadata' }));
    return { state: { etag: etagOf('person' in data ? data.person : undefined) ?? known.etag, photoHash } };
  } catch (err) {
    const verdict = verdictOf(err, ItemErrorCode.PhotoRejected);
    if (!verdict) throw err;
    return { state: known, partial: { ...verdict, reason: `The contact is in Google Contacts without its photo: ${verdict.reason}` } };
  }
}

/** The contact source's etag: what updateContact checks in person.metadata.sources (the person's own etag is another value). */
function etagOf(person: people_v1.Schema$Person | undefined): string | null {
  return person?.metadata?.sources?.find((source) => source.type === 'CONTACT')?.etag ?? null;
}

async function readEtag(session: ContactsSession, resourceName: string): Promise<string | null> {
  const { data } = await session.book.peoplePace(() => session.book.people.people.get({ resourceName, personFields: 'metadata' }));
  return etagOf(data);
}

/** Every copy this sync made in the user's contacts, by the source id kept in clientData. */
async function loadCopies(session: ContactsSession): Promise<Map<string, { resourceName: string; etag: string | null }>> {
  if (session.copiesBySourceId) return session.copiesBySourceId;
  const copies = new Map<string, { resourceName: string; etag: string | null }>();
  let pageToken: string | undefined;
  do {
    const { data } = await session.book.peoplePace(() => session.book.people.people.connections.list({ resourceName: 'people/me', personFields: 'clientData,metadata', pageSize: 1000, pageToken }));
    for (const person of data.connections ?? []) {
      const sourceId = person.clientData?.find((entry) => entry.key === SOURCE_ID_KEY)?.value;
      if (sourceId && person.resourceName) copies.set(sourceId, { resourceName: person.resourceName, etag: etagOf(person) });
    }
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  session.copiesBySourceId = copies;
  return copies;
}

/** Contacts copied one by one through the engine's ledger (apply-itemwise.ts). */
export const contactOperations: ItemOperations<ContactsSession, ExportedContact> = {
  classify: () => null,

  lookupKey: (contact) => contact.id,

  async findExisting(session, contact) {
    const copy = (await loadCopies(session)).get(contact.id);
    return copy ? { targetItemId: copy.resourceName, targetState: { etag: copy.etag, photoHash: null } satisfies ContactCopyState } : null;
  },

  async write(session, container, contact): Promise<TargetCopy> {
    const { book } = session;
    const person = toPerson(contact, await groupsFor(session, container, contact));
    const { data } = await book.peoplePace(() => book.people.people.createContact({ personFields: 'metadata', requestBody: person }));
    const resourceName = data.resourceName!;
    session.copiesBySourceId?.set(contact.id, { resourceName, etag: etagOf(data) });
    const { state, partial } = await syncPhoto(session, resourceName, contact, { etag: etagOf(data), photoHash: null });
    return { targetItemId: resourceName, targetState: state, ...(partial ? { partial } : {}) };
  },

  // people.batchCreateContacts: "Allows up to 200 contacts in a single request".
  batchSize: 200,

  async writeMany(session, container, contacts): Promise<TargetCopy[]> {
    const { book } = session;
    const persons: people_v1.Schema$ContactToCreate[] = [];
    for (const contact of contacts) persons.push({ contactPerson: toPerson(contact, await groupsFor(session, container, contact)) });
    const { data } = await book.peoplePace(() => book.people.people.batchCreateContacts({ requestBody: { contacts: persons, readMask: 'metadata,clientData' } }));
    // Matched by the source id each carries in clientData, not by position.
    const created = new Map<string, people_v1.Schema$Person>();
    for (const entry of data.createdPeople ?? []) {
      const sourceId = entry.person?.clientData?.find((item) => item.key === SOURCE_ID_KEY)?.value;
      if (sourceId && entry.person?.resourceName) created.set(sourceId, entry.person);
    }
    const copies: TargetCopy[] = [];
    for (const contact of contacts) {
      const person = created.get(contact.id);
      if (!person) throw new Error(`Google Contacts answered a batch create without the contact for one of the ${contacts.length} sent.`);
      session.copiesBySourceId?.set(contact.id, { resourceName: person.resourceName!, etag: etagOf(person) });
      const { state, partial } = await syncPhoto(session, person.resourceName!, contact, { etag: etagOf(person), photoHash: null });
      copies.push({ targetItemId: person.resourceName!, targetState: state, ...(partial ? { partial } : {}) });
    }
    return copies;
  },

  async update(session, container, contact, row: ItemMapView) {
    const { book } = session;
    const resourceName = row.targetItemId!;
    const known = (row.targetState ?? { etag: null, photoHash: null }) as ContactCopyState;
    const person = toPerson(contact, await groupsFor(session, container, contact));
    let etag = known.etag ?? (await readEtag(session, resourceName));
    for (let attempt = 1; ; attempt++) {
      try {
        const contactSource = { type: 'CONTACT', id: resourceName.replace(/^people\//, ''), etag };
        const { data } = await book.peoplePace(() =>
          book.people.people.updateContact({
            resourceName,
            updatePersonFields: PERSON_FIELDS.join(','),
            personFields: 'metadata',
            requestBody: { ...person, metadata: { sources: [contactSource] } },
          }),
        );
        etag = etagOf(data) ?? etag;
        break;
      } catch (err) {
        // Someone changed the person in Google since: take its current etag and write Outlook's fields over it.
        if (!isStaleEtag(err) || attempt >= ETAG_ATTEMPTS) throw err;
        etag = await readEtag(session, resourceName);
      }
    }
    const { state, partial } = await syncPhoto(session, resourceName, contact, { ...known, etag });
    return { targetState: state, ...(partial ? { partial } : {}) };
  },

  async remove(session, row) {
    const { book } = session;
    // With immutable ids a contact moved to another folder keeps its id and is @removed from the old
    // folder's delta: only a contact Graph no longer has is deleted in Google.
    const current = await book.graphPace(() => readContactOrNull(book.graph, book.input.sourceUserId, row.sourceItemId, isGraphNotFound));
    if (current) return false;
    try {
      await book.peoplePace(() => book.people.people.deleteContact({ resourceName: row.targetItemId! }));
    } catch (err) {
      if (!isGoogleNotFound(err)) throw err;
    }
    return true;
  },

  refusalOf: (err) => verdictOf(err),

  titleOf: contactTitle,
};

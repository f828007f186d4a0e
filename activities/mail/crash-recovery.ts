import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { googleFailure } from '../failures.js';
import { gmailCost } from '../pacing.js';
import { importPendingLabelName } from './labels.js';
import type { Mailbox } from './mailbox.js';
import { bareMessageId, holdsSameMessage, rawHeaderField } from './raw-headers.js';

/**
 * Resolving an intent left by a crash: did an earlier attempt import this
 * message before it died? A Gmail message counts as this source message's
 * own copy only when it is exactly that message and no other source message
 * already maps to it. A copy another source message maps to is not proof of
 * anything: Gmail merges an import whose Message-ID it holds into the
 * existing message, so the right move is to import again, which merges this
 * message's labels in (google/import-mailbox-to-gmail#56).
 */
export interface CopyOwnership {
  /** True when a source message other than `sourceItemId` maps to that Gmail message (any state). */
  isMappedByAnother(googleMessageId: string, sourceItemId: string): Promise<boolean>;
  /** Gmail messages adopted by this page already: each is adopted at most once. */
  claimed: Set<string>;
}

async function metadataOf(mailbox: Mailbox, id: string, header: string): Promise<gmail_v1.Schema$Message | null> {
  try {
    const { data } = await mailbox.gmailPace(gmailCost.messagesGet, () => mailbox.gmail.users.messages.get({ userId: mailbox.input.targetEmail, id, format: 'metadata', metadataHeaders: [header] }));
    return data;
  } catch (err) {
    if (classifyGoogleError(err).kind === 'notFound') return null;
    throw googleFailure(err);
  }
}

function headerOf(message: gmail_v1.Schema$Message, name: string): string | null {
  return message.payload?.headers?.find((header) => header.name?.toLowerCase() === name.toLowerCase())?.value ?? null;
}

/** The crashed attempt imported with these labels; a copy found another way may lack some. */
async function addMissingLabels(mailbox: Mailbox, message: gmail_v1.Schema$Message, labelIds: readonly string[]): Promise<void> {
  const have = new Set(message.labelIds ?? []);
  const addLabelIds = labelIds.filter((id) => !have.has(id));
  if (addLabelIds.length === 0) return;
  try {
    await mailbox.gmailPace(gmailCost.modify, () => mailbox.gmail.users.messages.modify({ userId: mailbox.input.targetEmail, id: message.id!, requestBody: { addLabelIds } }));
  } catch (err) {
    throw googleFailure(err);
  }
}

async function adoptFirst(
  mailbox: Mailbox,
  ownership: CopyOwnership,
  sourceItemId: string,
  hits: gmail_v1.Schema$Message[],
  header: string,
  matches: (value: string | null) => boolean,
  labelIds: readonly string[],
  holdsThisMessage: (id: string) => Promise<boolean> = () => Promise.resolve(true),
): Promise<string | null> {
  for (const hit of hits) {
    if (!hit.id || ownership.claimed.has(hit.id)) continue;
    const found = await metadataOf(mailbox, hit.id, header);
    // A search hit is checked against the message itself: it must be this very message.
    if (!found || !matches(headerOf(found, header))) continue;
    if (await ownership.isMappedByAnother(hit.id, sourceItemId)) continue;
    if (!(await holdsThisMessage(hit.id))) continue;
    ownership.claimed.add(hit.id);
    await addMissingLabels(mailbox, found, labelIds);
    return hit.id;
  }
  return null;
}

/** The copy of a message with a Message-ID that a crashed attempt imported, found by Gmail's rfc822msgid: search. */
export async function findOwnCopyByMessageId(
  mailbox: Mailbox,
  ownership: CopyOwnership,
  candidate: { sourceItemId: string; internetMessageId: string; labelIds: readonly string[] },
): Promise<string | null> {
  const { data } = await mailbox.gmailPace(gmailCost.messagesList, () =>
    mailbox.gmail.users.messages.list({ userId: mailbox.input.targetEmail, q: `rfc822msgid:${candidate.internetMessageId}`, includeSpamTrash: true, maxResults: 10 }),
  );
  const wanted = bareMessageId(candidate.internetMessageId);
  return adoptFirst(mailbox, ownership, candidate.sourceItemId, data.messages ?? [], 'Message-ID', (value) => value !== null && bareMessageId(value) === wanted, candidate.labelIds);
}

async function rawOf(mailbox: Mailbox, id: string): Promise<Buffer | null> {
  try {
    const { data } = await mailbox.gmailPace(gmailCost.messagesGet, () => mailbox.gmail.users.messages.get({ userId: mailbox.input.targetEmail, id, format: 'raw' }));
    return data.raw ? Buffer.from(data.raw, 'base64url') : null;
  } catch (err) {
    if (classifyGoogleError(err).kind === 'notFound') return null;
    throw googleFailure(err);
  }
}

/**
 * The copy of a message without a Message-ID that a crashed attempt imported.
 * Gmail cannot find such a message by any header of its own, and the sync
 * never alters the bytes it copies, so every such import carries the
 * "Import pending" label until the id map has recorded it. A pending copy no
 * source message maps to is the crashed import only if it holds this very
 * message: two messages without a Message-ID can share a Date (or both lack
 * one), and the other's copy may be one a still-running attempt has imported
 * and not yet recorded. Taking it would leave this message uncopied. The Date
 * header picks the candidates cheaply; their bytes decide.
 */
export async function findOwnPendingCopy(mailbox: Mailbox, ownership: CopyOwnership, candidate: { sourceItemId: string; raw: Buffer; labelIds: readonly string[] }): Promise<string | null> {
  const pendingLabelId = await importPendingLabelId(mailbox);
  const hits: gmail_v1.Schema$Message[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await mailbox.gmailPace(gmailCost.messagesList, () =>
      mailbox.gmail.users.messages.list({ userId: mailbox.input.targetEmail, labelIds: [pendingLabelId], includeSpamTrash: true, maxResults: 100, ...(pageToken ? { pageToken } : {}) }),
    );
    hits.push(...(data.messages ?? []));
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  const date = normalizeSpace(rawHeaderField(candidate.raw, 'date'));
  const holdsThisMessage = async (id: string) => {
    const copy = await rawOf(mailbox, id);
    return copy !== null && holdsSameMessage(candidate.raw, copy);
  };
  return adoptFirst(mailbox, ownership, candidate.sourceItemId, hits, 'Date', (value) => normalizeSpace(value) === date, candidate.labelIds, holdsThisMessage);
}

function normalizeSpace(value: string | null): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

export async function importPendingLabelId(mailbox: Mailbox): Promise<string> {
  try {
    return await mailbox.labels.ensure(importPendingLabelName);
  } catch (err) {
    throw googleFailure(err);
  }
}

/** After the id map recorded the imports: their copies no longer need the pending label. */
export async function clearImportPending(mailbox: Mailbox, googleMessageIds: readonly string[]): Promise<void> {
  if (googleMessageIds.length === 0) return;
  const pendingLabelId = await importPendingLabelId(mailbox);
  for (const id of new Set(googleMessageIds)) {
    try {
      await mailbox.gmailPace(gmailCost.modify, () => mailbox.gmail.users.messages.modify({ userId: mailbox.input.targetEmail, id, requestBody: { removeLabelIds: [pendingLabelId] } }));
    } catch (err) {
      if (classifyGoogleError(err).kind !== 'notFound') throw googleFailure(err);
    }
  }
}

import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import { allPages, fetchRawDeltaPage, immutableIds, unlessGone, type RawDeltaEntry as GraphDeltaEntry } from './graph-reads.js';
import { countThrottledResponse } from '../../shared/metrics/sync-metrics.js';

/** The Microsoft Graph calls of the mail export, with immutable ids throughout (graph-reads.ts). */

/** PidTagMessageSize (PtypInteger32): v1.0 messages have no size property. */
export const messageSizeProperty = 'Integer 0x0E08';
const messageSizeTag = 0x0e08;

/** Graph echoes extended property ids normalised ("Integer 0xe08"), so compare the tag's value. */
function isMessageSize(propertyId: string): boolean {
  const tag = propertyId.trim().split(/\s+/)[1];
  return tag !== undefined && Number.parseInt(tag, 16) === messageSizeTag;
}

export interface GraphMailFolder {
  id: string;
  displayName: string;
  parentFolderId?: string;
  childFolderCount?: number;
  totalItemCount?: number;
}

export interface ExportedMessage {
  id: string;
  internetMessageId?: string;
  subject?: string;
  receivedDateTime?: string;
  isRead?: boolean;
  flag?: { flagStatus?: string };
  categories?: string[];
  parentFolderId?: string;
  hasAttachments?: boolean;
  sizeBytes?: number;
}

export interface DeltaPage {
  /** Messages created or changed (latest state); an id is in `changed` or `removedIds` at most once. */
  changed: ExportedMessage[];
  /** Ids reported with @removed: deleted, or moved out of this folder. */
  removedIds: string[];
  nextLink?: string;
  deltaLink?: string;
}

interface RawDeltaEntry extends GraphDeltaEntry {
  singleValueExtendedProperties?: { id: string; value: string }[];
}

const selectedFields = 'id,internetMessageId,subject,receivedDateTime,isRead,flag,categories,parentFolderId,hasAttachments';
const sizeExpand = encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${messageSizeProperty}')`);

export function initialDeltaPath(userId: string, folderId: string): string {
  return `/users/${encodeURIComponent(userId)}/mailFolders/${encodeURIComponent(folderId)}/messages/delta?$select=${selectedFields}&$expand=${sizeExpand}`;
}

/**
 * Whether a delta entry carries everything a first copy needs: the Message-ID
 * (crash recovery looks the copy up by it) and every aspect that becomes a
 * label. Graph sends an updated message with only what changed (delta query
 * overview; microsoft-graph-docs#7776), so a message new to us can arrive
 * partial, e.g. one changed after an earlier attempt failed to copy it.
 */
export function isCompleteForCopy(message: ExportedMessage): boolean {
  return message.internetMessageId !== undefined && message.isRead !== undefined && message.flag?.flagStatus !== undefined && message.categories !== undefined;
}

/** One message with the properties the delta asks for, or null when it no longer exists. */
export async function readMessage(graph: GraphConnection, userId: string, messageId: string, isNotFound: (err: unknown) => boolean): Promise<ExportedMessage | null> {
  const entry = await unlessGone(
    () =>
      graph.client
        .api(`/users/${encodeURIComponent(userId)}/messages/${encodeURIComponent(messageId)}?$select=${selectedFields}&$expand=${sizeExpand}`)
        .header('Prefer', immutableIds)
        .get() as Promise<RawDeltaEntry>,
    isNotFound,
  );
  return entry ? toMessage(entry) : null;
}

function toMessage(entry: RawDeltaEntry): ExportedMessage {
  const size = entry.singleValueExtendedProperties?.find((p) => isMessageSize(p.id));
  return {
    id: entry.id,
    internetMessageId: entry.internetMessageId as string | undefined,
    subject: entry.subject as string | undefined,
    receivedDateTime: entry.receivedDateTime as string | undefined,
    isRead: entry.isRead as boolean | undefined,
    flag: entry.flag as ExportedMessage['flag'],
    categories: entry.categories as string[] | undefined,
    parentFolderId: entry.parentFolderId as string | undefined,
    hasAttachments: entry.hasAttachments as boolean | undefined,
    sizeBytes: size ? Number(size.value) : undefined,
  };
}

/** One page of a folder's message delta, from the initial path, a nextLink or a deltaLink. */
export async function fetchDeltaPage(graph: GraphConnection, link: string, pageSize: number): Promise<DeltaPage> {
  const page = await fetchRawDeltaPage<RawDeltaEntry>(graph, link, pageSize);
  return { ...page, changed: page.changed.map(toMessage) };
}

/** The message exactly as stored, RFC 822 / MIME bytes. */
export function downloadMime(graph: GraphConnection, userId: string, messageId: string): Promise<Buffer> {
  return graph.getMimeContent(userId, messageId, { immutableIds: true });
}

/** Where a message is now (its folder), or null when it no longer exists. */
export async function findMessageFolder(graph: GraphConnection, userId: string, messageId: string, isNotFound: (err: unknown) => boolean): Promise<string | null> {
  const body = await unlessGone(
    () =>
      graph.client
        .api(`/users/${encodeURIComponent(userId)}/messages/${encodeURIComponent(messageId)}?$select=parentFolderId`)
        .header('Prefer', immutableIds)
        .get() as Promise<{ parentFolderId: string }>,
    isNotFound,
  );
  return body?.parentFolderId ?? null;
}

export interface FolderNode extends GraphMailFolder {
  path: string[];
}

/** Every mail folder of the mailbox with its path, walking childFolders (the top-level list holds only the root's children). */
export async function listMailFolderTree(graph: GraphConnection, userId: string): Promise<FolderNode[]> {
  const base = `/users/${encodeURIComponent(userId)}/mailFolders`;
  const result: FolderNode[] = [];
  const visit = async (folders: GraphMailFolder[], parentPath: string[]) => {
    for (const folder of folders) {
      const node = { ...folder, path: [...parentPath, folder.displayName] };
      result.push(node);
      if ((folder.childFolderCount ?? 0) > 0) {
        const children = await allPages<GraphMailFolder>(graph, `${base}/${encodeURIComponent(folder.id)}/childFolders?$top=100`);
        await visit(children, node.path);
      }
    }
  };
  await visit(await allPages<GraphMailFolder>(graph, `${base}?$top=100`), []);
  return result;
}

interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { id?: string; error?: { code?: string; message?: string } };
}

/**
 * The ids of the well-known folders (v1.0 folders carry no wellKnownName
 * property, the names work as ids), in JSON batch requests instead of one
 * request each. Graph throttles each entry of a batch on its own, so only the
 * throttled entries are sent again, after their Retry-After; a round that
 * gets nothing through throws the throttled entry as it came.
 */
export async function resolveWellKnownFolderIds(graph: GraphConnection, userId: string, names: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let pending = [...names];
  while (pending.length > 0) {
    const chunk = pending.slice(0, 20);
    const requests = chunk.map((name) => ({
      id: name,
      method: 'GET',
      url: `/users/${encodeURIComponent(userId)}/mailFolders/${name}?$select=id`,
      headers: { Prefer: immutableIds },
    }));
    const body = (await graph.client.api('/$batch').post({ requests })) as { responses: BatchResponse[] };
    const retry: BatchResponse[] = [];
    for (const response of body.responses) {
      if (response.status === 200 && response.body?.id) ids.set(response.body.id, response.id);
      else if (response.status === 429) retry.push(response);
      else if (response.status !== 404) throw response;
    }
    countThrottledResponse('microsoft365', 429, retry.length);
    if (retry.length === chunk.length) throw retry[0];
    if (retry.length > 0) {
      const seconds = Math.max(...retry.map((r) => Number(r.headers?.['Retry-After'] ?? r.headers?.['retry-after'] ?? 1)));
      await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 10) * 1000));
    }
    pending = [...retry.map((r) => r.id), ...pending.slice(20)];
  }
  return ids;
}

export interface SourceUser {
  id: string;
  userPrincipalName: string;
  mail?: string | null;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  accountEnabled?: boolean;
  /** 'Member' or 'Guest' (a B2B guest, whose UPN carries #EXT# and whose mail is their own, external address). */
  userType?: string | null;
}

export async function getSourceUser(graph: GraphConnection, userId: string): Promise<SourceUser> {
  return (await graph.client.api(`/users/${encodeURIComponent(userId)}?$select=id,userPrincipalName,mail,displayName,givenName,surname,accountEnabled,userType`).get()) as SourceUser;
}

/** Reads the Inbox's id: the cheapest call that tells whether Exchange Online has a mailbox for the user. Errors are thrown as GraphError. */
export async function probeMailbox(graph: GraphConnection, userId: string): Promise<void> {
  await graph.client.api(`/users/${encodeURIComponent(userId)}/mailFolders/inbox?$select=id`).get();
}

import type { Contact } from '@microsoft/microsoft-graph-types';
import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import type { DeltaPage } from '../engine/data-type-module.js';
import { allPages, fetchRawDeltaPage, immutableIds, unlessGone, type RawDeltaEntry } from './graph-reads.js';

/**
 * The Microsoft Graph calls of the contacts export. Contact ids are
 * immutable ids (concepts/outlook-immutable-id.md lists contact), so a
 * contact keeps its id when it moves between folders and the id map
 * survives the move.
 */

/** A contact as the sync reads it: Graph's own shape, with the id always present. */
export type ExportedContact = Contact & { id: string };

/** Every property the copy maps (api-reference/v1.0/resources/contact.md); delta accepts $select, and always returns the id. */
export const contactFields = [
  'givenName',
  'surname',
  'middleName',
  'nickName',
  'title',
  'generation',
  'initials',
  'fileAs',
  'displayName',
  'yomiGivenName',
  'yomiSurname',
  'yomiCompanyName',
  'emailAddresses',
  'businessPhones',
  'homePhones',
  'mobilePhone',
  'imAddresses',
  'homeAddress',
  'businessAddress',
  'otherAddress',
  'companyName',
  'department',
  'jobTitle',
  'officeLocation',
  'profession',
  'manager',
  'assistantName',
  'businessHomePage',
  'birthday',
  'spouseName',
  'children',
  'personalNotes',
  'categories',
  'changeKey',
  'parentFolderId',
] as const;

const select = `$select=${contactFields.join(',')}`;

export interface ContactFolderNode {
  id: string;
  displayName: string;
  /** Names from the default Contacts folder down; empty for the default folder itself. */
  path: string[];
  isDefault: boolean;
}

interface GraphContactFolder {
  id: string;
  displayName: string;
  parentFolderId?: string;
}

const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}`;

/**
 * The default Contacts folder and every folder under it, nested ones
 * included. GET /users/{id}/contactFolders lists the folders directly under
 * the default folder, not the default folder itself (user-list-contactfolders);
 * no documented well-known name addresses it, so its id is read from what
 * points at it: the parentFolderId of those folders, or of a contact under
 * /users/{id}/contacts (the default folder's contacts). A user with neither
 * has nothing to copy yet; a later discovery finds the folder.
 */
export async function listContactFolderTree(graph: GraphConnection, userId: string): Promise<ContactFolderNode[]> {
  const topLevel = await allPages<GraphContactFolder>(graph, `${userPath(userId)}/contactFolders?$top=100&$select=id,displayName,parentFolderId`);
  let defaultId = topLevel.find((folder) => folder.parentFolderId)?.parentFolderId;
  if (!defaultId) {
    const body = (await graph.client
      .api(`${userPath(userId)}/contacts?$top=1&$select=parentFolderId`)
      .header('Prefer', immutableIds)
      .get()) as { value: { parentFolderId?: string }[] };
    defaultId = body.value[0]?.parentFolderId;
  }
  const result: ContactFolderNode[] = defaultId ? [{ id: defaultId, displayName: 'Contacts', path: [], isDefault: true }] : [];
  const visit = async (folders: GraphContactFolder[], parentPath: string[]) => {
    for (const folder of folders) {
      const node: ContactFolderNode = { id: folder.id, displayName: folder.displayName, path: [...parentPath, folder.displayName], isDefault: false };
      result.push(node);
      // contactFolder has no childFolderCount: every folder is asked for its children.
      const children = await allPages<GraphContactFolder>(graph, `${userPath(userId)}/contactFolders/${encodeURIComponent(folder.id)}/childFolders?$top=100&$select=id,displayName,parentFolderId`);
      await visit(children, node.path);
    }
  };
  await visit(topLevel, []);
  return result;
}

/** The first request of a folder's contacts delta (api-reference/v1.0/api/contact-delta.md). */
export function initialContactsDeltaPath(userId: string, folderId: string): string {
  return `${userPath(userId)}/contactFolders/${encodeURIComponent(folderId)}/contacts/delta?${select}`;
}

/**
 * Whether an entry carries every property, as a first copy or an update
 * needs. Graph may send a changed item with only what changed (delta query
 * overview), so an entry without them is read again whole.
 */
function isWhole(entry: RawDeltaEntry): boolean {
  return 'changeKey' in entry && 'displayName' in entry && 'emailAddresses' in entry;
}

/** One page of a folder's contacts delta, from the initial path, a nextLink or a deltaLink. */
export async function fetchContactsDeltaPage(graph: GraphConnection, userId: string, link: string, pageSize: number): Promise<DeltaPage<ExportedContact>> {
  const page = await fetchRawDeltaPage(graph, link, pageSize);
  const changed: ExportedContact[] = [];
  for (const entry of page.changed) changed.push(isWhole(entry) ? (entry as ExportedContact) : await readContact(graph, userId, entry.id));
  return { ...page, changed };
}

export async function readContact(graph: GraphConnection, userId: string, contactId: string): Promise<ExportedContact> {
  return (await graph.client
    .api(`${userPath(userId)}/contacts/${encodeURIComponent(contactId)}?${select}`)
    .header('Prefer', immutableIds)
    .get()) as ExportedContact;
}

/** The contact as Graph has it now, or null when it no longer exists. */
export function readContactOrNull(graph: GraphConnection, userId: string, contactId: string, isNotFound: (err: unknown) => boolean): Promise<ExportedContact | null> {
  return unlessGone(() => readContact(graph, userId, contactId), isNotFound);
}

export interface ContactPhoto {
  bytes: Buffer;
  contentType: string;
}

/** The contact's photo (profilephoto-get, /photo/$value), or null when it has none (Graph answers 404). */
export async function downloadContactPhoto(graph: GraphConnection, userId: string, contactId: string, isNotFound: (err: unknown) => boolean): Promise<ContactPhoto | null> {
  const photo = await unlessGone(() => graph.getBinary(`${userPath(userId)}/contacts/${encodeURIComponent(contactId)}/photo/$value`, { immutableIds: true }), isNotFound);
  return photo ? { bytes: photo.bytes, contentType: photo.contentType ?? 'image/jpeg' } : null;
}

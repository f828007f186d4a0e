import { Context } from '@temporalio/activity';
import type { ContainerInput, ContainerStateView } from '../../store/index.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { listContactFolderTree, type ContactFolderNode } from '../microsoft365/contacts-export.js';
import { assertSourceUserPresent } from '../provisioning/source-user.js';
import type { DiscoverContainersInput, DiscoveredContainers } from '../engine/data-type-module.js';
import { itemRefusalOf } from '../engine/item-refusal.js';
import { openAddressBook, type AddressBook, type ContactsDeps } from './address-book.js';
import { contactsServiceFailure } from './service-failure.js';

/** How the default Contacts folder is marked among the containers: it has no group (its contacts are in My Contacts only). */
export const DEFAULT_CONTACTS_FOLDER = 'contacts';

/** A folder's group name: its path under the default folder ("Clients/Key accounts"), since groups do not nest. */
const groupNameOf = (folder: ContactFolderNode) => folder.path.join('/');

/**
 * The group of one folder: the one recorded (renamed when the folder's path
 * changed), or one found or created by name. A name Google refuses leaves the
 * folder without a group; it is not walked until a later discovery gets one,
 * and the other folders go on.
 */
async function groupFor(book: AddressBook, folder: ContactFolderNode, previous: ContainerStateView | undefined): Promise<string | null> {
  const name = groupNameOf(folder);
  try {
    if (previous?.targetContainerId) return previous.path === name ? previous.targetContainerId : await book.groups.rename(previous.targetContainerId, name);
    return await book.groups.ensure(name);
  } catch (err) {
    if (!itemRefusalOf(err)) throw err;
    return null;
  }
}

/**
 * Reads the user's contact folders, makes sure each (but the default one)
 * has its Google contact group, and records them. The groups exist before
 * any contact is written, so a write never waits on one.
 */
export async function discoverContactFolders(deps: ContactsDeps, input: DiscoverContainersInput): Promise<DiscoveredContainers & { initialSyncTotal: number }> {
  const book = await openAddressBook(deps, input);
  const ctx = Context.current();
  const resumed = ctx.info.heartbeatDetails as { tree?: ContactFolderNode[] } | undefined;
  const containers = deps.store.containers.forType('contacts');
  const known = new Map((await containers.list(input.syncUserId)).map((row) => [row.sourceContainerId, row]));
  try {
    let tree: ContactFolderNode[];
    try {
      tree = resumed?.tree ?? (await book.graphPace(() => listContactFolderTree(book.graph, input.sourceUserId)));
    } catch (err) {
      if (classifyGraphError(err).kind === 'notFound') await assertSourceUserPresent(deps.connections, input);
      throw err;
    }
    ctx.heartbeat({ tree });
    const rows: ContainerInput[] = [];
    for (const folder of tree) {
      if (folder.isDefault) {
        rows.push({ sourceContainerId: folder.id, displayName: folder.displayName, path: folder.displayName, wellKnownName: DEFAULT_CONTACTS_FOLDER, targetContainerId: null });
        continue;
      }
      const group = await groupFor(book, folder, known.get(folder.id));
      rows.push({ sourceContainerId: folder.id, displayName: folder.displayName, path: groupNameOf(folder), wellKnownName: null, targetContainerId: group });
    }
    await containers.upsert(input.syncUserId, rows);
    const walkable = rows.filter((row) => row.wellKnownName === DEFAULT_CONTACTS_FOLDER || row.targetContainerId);
    // contactFolder reports no item count (contactfolder resource), so the first copy's size is not known in advance.
    return { sourceContainerIds: walkable.map((row) => row.sourceContainerId), skippedContainerIds: [], initialSyncTotal: 0 };
  } catch (err) {
    throw contactsServiceFailure(err);
  }
}

import type { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import type { Store } from '../../store/index.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';
import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import { googleRetryAfter, graphRetryAfter, type MailboxPacers } from '../pacing.js';
import type { UserPairInput } from '../engine/data-type-module.js';
import { ContactGroups } from './contact-groups.js';
import type { DownloadBudget } from '../download-budget.js';

export interface ContactsDeps {
  store: Store;
  connections: ConnectionClients;
  /** The same pacers as mail's: Graph's per-mailbox budget is shared by every type of the mailbox. */
  pacers: MailboxPacers;
  /** The worker's bytes downloaded and not yet written to Google, shared with mail. */
  downloads: DownloadBudget;
  /** Contacts per Graph delta page (Prefer: odata.maxpagesize). */
  deltaPageSize: number;
}

/** Both ends of one user's contacts, with their pacers and the user's contact groups. */
export interface AddressBook {
  input: UserPairInput;
  graph: GraphConnection;
  people: people_v1.People;
  groups: ContactGroups;
  graphPace: <T>(task: () => Promise<T>) => Promise<T>;
  peoplePace: <T>(task: () => Promise<T>) => Promise<T>;
  downloads: DownloadBudget;
}

const groupCaches = new WeakMap<people_v1.People, ContactGroups>();

export async function openAddressBook(deps: ContactsDeps, input: UserPairInput): Promise<AddressBook> {
  const { graph, google } = await deps.connections.pair(input.sourceConnectionId, input.targetConnectionId);
  const people = google.clients.peopleFor(input.targetEmail);
  const graphPacer = deps.pacers.graphFor(`${input.sourceConnectionId}/${input.sourceUserId}`);
  const peoplePacer = deps.pacers.peopleFor(`${input.targetConnectionId}/${input.targetEmail}`);
  const peoplePace = <T>(task: () => Promise<T>) => peoplePacer.run(1, task, googleRetryAfter);
  let groups = groupCaches.get(people);
  if (!groups) {
    groups = new ContactGroups(people, peoplePace);
    groupCaches.set(people, groups);
  }
  return { input, graph, people, groups, graphPace: (task) => graphPacer.run(1, task, graphRetryAfter), peoplePace, downloads: deps.downloads };
}

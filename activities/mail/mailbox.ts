import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import type { Store } from '../../store/index.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';
import { GmailLabels } from '../google/gmail-labels.js';
import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import { googleRetryAfter, graphRetryAfter, type MailboxPacers, type Pacer } from '../pacing.js';
import type { UserPairInput } from '../engine/data-type-module.js';
import type { DownloadBudget } from '../download-budget.js';

export interface MailDeps {
  store: Store;
  connections: ConnectionClients;
  pacers: MailboxPacers;
  /** The worker's bytes of messages downloaded and not yet imported, over every mailbox. */
  downloads: DownloadBudget;
  /** Gmail's import size limit. */
  maxImportBytes: number;
  /** Messages per Graph delta page (Prefer: odata.maxpagesize). */
  deltaPageSize: number;
}

/** Mail works on the user pair every data type shares. */
export type MailboxInput = UserPairInput;

/** Everything one activity needs to move one user's mail: both clients, both pacers, the label cache. */
export interface Mailbox {
  input: MailboxInput;
  graph: GraphConnection;
  gmail: gmail_v1.Gmail;
  labels: GmailLabels;
  graphPace: <T>(task: () => Promise<T>) => Promise<T>;
  gmailPace: <T>(cost: number, task: () => Promise<T>) => Promise<T>;
  downloads: DownloadBudget;
}

const labelCaches = new WeakMap<gmail_v1.Gmail, GmailLabels>();

export async function openMailbox(deps: MailDeps, input: MailboxInput): Promise<Mailbox> {
  const { graph, google } = await deps.connections.pair(input.sourceConnectionId, input.targetConnectionId);
  const gmail = google.clients.gmailFor(input.targetEmail);
  const graphPacer: Pacer = deps.pacers.graphFor(`${input.sourceConnectionId}/${input.sourceUserId}`);
  const gmailPacer: Pacer = deps.pacers.gmailFor(`${input.targetConnectionId}/${input.targetEmail}`);
  const gmailPace = <T>(cost: number, task: () => Promise<T>) => gmailPacer.run(cost, task, googleRetryAfter);
  let labels = labelCaches.get(gmail);
  if (!labels) {
    labels = new GmailLabels(gmail, input.targetEmail, gmailPace);
    labelCaches.set(gmail, labels);
  }
  return { input, graph, gmail, labels, graphPace: (task) => graphPacer.run(1, task, graphRetryAfter), gmailPace, downloads: deps.downloads };
}

import { checkSize, classifyMime, defaultMaxImportBytes } from '../activities/mail/classify-item.js';
import { categoryLabelName, desiredLabelIds, systemLabelForFolder, userLabelNameForPath, wellKnownFolders } from '../activities/mail/labels.js';
import { GmailLabels } from '../activities/google/gmail-labels.js';
import { importMessage } from '../activities/google/gmail-import.js';
import { createGoogleClients, type GoogleConnectionSettings } from '../connectors/google/google-clients.js';
import { createGraphClient, type GraphConnectionSettings } from '../connectors/microsoft365/graph-client.js';
import { downloadMime, fetchDeltaPage, initialDeltaPath, listMailFolderTree, resolveWellKnownFolderIds, type ExportedMessage } from '../activities/microsoft365/mail-export.js';
import { Pacer } from '../activities/pacing.js';

/**
 * The baseline of scenario 2: the simplest copy of one mailbox that does
 * what the sync does to the services, with the same client libraries, page
 * size and concurrency (Graph 4, Gmail 8), and nothing else: no Temporal, no
 * database, no exactly-once bookkeeping, no heartbeats. Folders are walked
 * through their message delta a page at a time like the sync, each page's
 * messages downloaded, checked (classifyMime) and imported with their labels. Runs as a child
 * process (like the sync's worker) and reports { messages, seconds } over IPC.
 */
export interface PlainCopyConfig {
  graph: GraphConnectionSettings;
  google: GoogleConnectionSettings;
  sourceUserId: string;
  targetEmail: string;
  pageSize: number;
  graphConcurrency: number;
  gmailConcurrency: number;
}

export interface PlainCopyResult {
  messages: number;
  seconds: number;
}

// The same folders the sync leaves out (activities/mail/discover-folders.ts).
const skippedWellKnown = ['outbox', 'syncissues', 'conflicts', 'localfailures', 'serverfailures', 'conversationhistory', 'recoverableitemsdeletions', 'searchfolders'];

/**
 * One more try after a connection reset: a keep-alive socket the server had
 * already closed. The sync gets the same from Temporal's activity retry.
 */
async function onceMoreOnReset<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''}`;
    if (!/ECONNRESET|EPIPE|socket hang up/.test(text)) throw error;
    return call();
  }
}

export async function plainCopy(config: PlainCopyConfig): Promise<PlainCopyResult> {
  const began = performance.now();
  const graph = createGraphClient(config.graph);
  const gmail = createGoogleClients(config.google).gmailFor(config.targetEmail);
  // Pacers with a rate no quota reaches: only their cap on calls in flight applies.
  const graphSlots = new Pacer(1e12, 1e12, config.graphConcurrency);
  const gmailSlots = new Pacer(1e12, 1e12, config.gmailConcurrency);
  const labels = new GmailLabels(gmail, config.targetEmail, (cost, task) => gmailSlots.run(cost, task));
  const userId = config.sourceUserId;

  const tree = await listMailFolderTree(graph, userId);
  const wellKnownById = await graphSlots.run(1, () => resolveWellKnownFolderIds(graph, userId, [...wellKnownFolders, ...skippedWellKnown]));
  let messages = 0;

  const copyOne = async (message: ExportedMessage, folderLabelId: string): Promise<void> => {
    if (checkSize(message.sizeBytes, defaultMaxImportBytes)) return;
    const categoryLabelIds: string[] = [];
    for (const category of message.categories ?? []) categoryLabelIds.push(await labels.ensure(categoryLabelName(category)));
    const labelIds = desiredLabelIds({ folderLabelId, isRead: message.isRead ?? true, flagged: message.flag?.flagStatus === 'flagged', categoryLabelIds });
    const raw = await graphSlots.run(1, () => onceMoreOnReset(() => downloadMime(graph, userId, message.id)));
    // The sync's own check of what Gmail could hold: product logic, not orchestration.
    if (classifyMime(raw)) return;
    await gmailSlots.run(25, () => onceMoreOnReset(() => importMessage(gmail, { userId: config.targetEmail, raw, labelIds, internalDateSource: 'dateHeader', neverMarkSpam: true })));
    messages += 1;
  };

  for (const folder of tree) {
    const wellKnownName = wellKnownById.get(folder.id) ?? null;
    if (wellKnownName && skippedWellKnown.includes(wellKnownName)) continue;
    const folderLabelId = systemLabelForFolder(wellKnownName) ?? (await labels.ensure(userLabelNameForPath(folder.path)));
    let link: string | undefined = initialDeltaPath(userId, folder.id);
    while (link) {
      const page = await graphSlots.run(1, () => onceMoreOnReset(() => fetchDeltaPage(graph, link!, config.pageSize)));
      await Promise.all(page.changed.map((message) => copyOne(message, folderLabelId)));
      link = page.nextLink;
    }
  }
  return { messages, seconds: (performance.now() - began) / 1000 };
}

// As a child process: the config comes in the environment, the result goes back over IPC.
if (process.env.BENCH_PLAIN_COPY_CONFIG) {
  const result = await plainCopy(JSON.parse(process.env.BENCH_PLAIN_COPY_CONFIG) as PlainCopyConfig);
  process.send?.({ type: 'done', result });
  process.disconnect?.();
}

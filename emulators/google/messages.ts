import { Hono, type Context } from 'hono';
import { gmailMethod } from './api-auth.js';
import type { EmulatorContext } from './context.js';
import { badRequest, invalidArgument } from './errors.js';
import type { Mailbox, StoredMessage } from './mailbox.js';
import { parseMessageQuery } from './message-query.js';

type Format = 'minimal' | 'metadata' | 'full' | 'raw';

function minimal(message: StoredMessage): Record<string, unknown> {
  return {
    id: message.id,
    threadId: message.threadId,
    labelIds: [...message.labelIds],
    snippet: '',
    sizeEstimate: message.sizeEstimate,
    historyId: String(message.historyId),
    internalDate: String(message.internalDate),
  };
}

/**
 * messages.get. Bodies are not kept, so `full` carries the top-level headers
 * and size but no parts; `raw` needs keepRawMessages for a message with a Message-ID.
 */
function render(message: StoredMessage, format: Format, metadataHeaders: string[]): Record<string, unknown> {
  const resource = minimal(message);
  if (format === 'minimal') return resource;
  if (format === 'raw') {
    if (!message.raw) throw invalidArgument('format=raw is unavailable: the emulator keeps the bodies of messages with a Message-ID only when started with keepRawMessages.');
    resource.raw = message.raw.toString('base64url');
    return resource;
  }
  const wanted = new Set(metadataHeaders.map((name) => name.toLowerCase()));
  const headers = format === 'metadata' && wanted.size > 0 ? message.headers.filter((header) => wanted.has(header.name.toLowerCase())) : message.headers;
  resource.payload = {
    partId: '',
    mimeType: message.mimeType,
    filename: '',
    headers: headers.map((header) => ({ ...header })),
    body: { size: format === 'full' ? message.sizeEstimate : 0 },
  };
  return resource;
}

function formatOf(c: Context): Format {
  const format = (c.req.query('format') ?? 'full').toLowerCase();
  if (format !== 'minimal' && format !== 'metadata' && format !== 'full' && format !== 'raw') throw invalidArgument(`Invalid value for format: ${format}`);
  return format;
}

function labelChanges(mailbox: Mailbox, body: { addLabelIds?: unknown; removeLabelIds?: unknown }): { add: string[]; remove: string[] } {
  return { add: mailbox.checkModifiableLabelIds(body.addLabelIds), remove: mailbox.checkModifiableLabelIds(body.removeLabelIds) };
}

async function jsonBody<T>(c: Context): Promise<T> {
  try {
    return ((await c.req.json()) ?? {}) as T;
  } catch {
    throw badRequest('Invalid JSON payload received.');
  }
}

/** Newest first, as Gmail lists; the page token is the last (internalDate, id) returned. */
function byNewest(a: StoredMessage, b: StoredMessage): number {
  return b.internalDate - a.internalDate || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function listMessages(c: Context, mailbox: Mailbox): Response {
  const maxResults = Number(c.req.query('maxResults') ?? 100);
  if (!Number.isInteger(maxResults) || maxResults < 1) throw invalidArgument(`Invalid maxResults: ${c.req.query('maxResults')}`);
  const pageSize = Math.min(maxResults, 500);
  const query = parseMessageQuery(c.req.query('q'), mailbox);
  const labelIds = c.req.queries('labelIds') ?? [];
  const includeSpamTrash = c.req.query('includeSpamTrash') === 'true' || query.reachesSpamOrTrash;

  const pool: Iterable<StoredMessage> =
    query.messageIds.length > 0
      ? [...new Set(query.messageIds.flatMap((messageId) => [...mailbox.idsWithMessageId(messageId)]))].flatMap((id) => mailbox.messages.get(id) ?? [])
      : mailbox.messages.values();
  const matching: StoredMessage[] = [];
  for (const message of pool) {
    if (!includeSpamTrash && (message.labelIds.includes('SPAM') || message.labelIds.includes('TRASH'))) continue;
    if (!labelIds.every((id) => message.labelIds.includes(id))) continue;
    if (query.matches(message)) matching.push(message);
  }
  matching.sort(byNewest);

  let start = 0;
  const token = c.req.query('pageToken');
  if (token) {
    const [date, id] = JSON.parse(Buffer.from(token, 'base64url').toString() || '[]') as [number?, string?];
    if (typeof date !== 'number' || typeof id !== 'string') throw invalidArgument('Invalid pageToken');
    const cursor = { internalDate: date, id } as StoredMessage;
    start = matching.findIndex((message) => byNewest(cursor, message) < 0);
    if (start < 0) start = matching.length;
  }
  const page = matching.slice(start, start + pageSize);
  const body: Record<string, unknown> = { resultSizeEstimate: matching.length };
  if (page.length > 0) body.messages = page.map((message) => ({ id: message.id, threadId: message.threadId }));
  const last = page[page.length - 1];
  if (last && start + pageSize < matching.length) body.nextPageToken = Buffer.from(JSON.stringify([last.internalDate, last.id])).toString('base64url');
  return c.json(body);
}

/** Gmail messages: list, get, modify, batchModify, trash, untrash, delete; and the profile. */
export function messageRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  const base = '/gmail/v1/users/:userId';

  app.get(
    `${base}/profile`,
    gmailMethod(ctx, 'getProfile', (c, { user, mailbox }) =>
      c.json({
        emailAddress: user.primaryEmail,
        messagesTotal: mailbox.messages.size,
        threadsTotal: new Set([...mailbox.messages.values()].map((message) => message.threadId)).size,
        historyId: String(mailbox.historyId),
      }),
    ),
  );
  app.get(
    `${base}/messages`,
    gmailMethod(ctx, 'messages.list', (c, { mailbox }) => listMessages(c, mailbox)),
  );
  app.get(
    `${base}/messages/:id`,
    gmailMethod(ctx, 'messages.get', (c, { mailbox }) => c.json(render(mailbox.message(c.req.param('id') ?? ''), formatOf(c), c.req.queries('metadataHeaders') ?? []))),
  );
  app.post(
    `${base}/messages/batchModify`,
    gmailMethod(ctx, 'messages.batchModify', async (c, { mailbox }) => {
      const body = await jsonBody<{ ids?: unknown; addLabelIds?: unknown; removeLabelIds?: unknown }>(c);
      if (!Array.isArray(body.ids) || body.ids.length === 0 || body.ids.length > 1000) throw invalidArgument('ids must list between 1 and 1000 message ids');
      const { add, remove } = labelChanges(mailbox, body);
      // Like Gmail, ids that do not exist are skipped rather than failing the batch.
      for (const id of body.ids) {
        const message = typeof id === 'string' ? mailbox.messages.get(id) : undefined;
        if (message) mailbox.changeLabels(message, add, remove);
      }
      return c.body(null, 204);
    }),
  );
  app.post(
    `${base}/messages/:id/modify`,
    gmailMethod(ctx, 'messages.modify', async (c, { mailbox }) => {
      const message = mailbox.message(c.req.param('id') ?? '');
      const { add, remove } = labelChanges(mailbox, await jsonBody(c));
      ctx.state.messageFailures.refuse(mailbox.email, 'messages.modify', message.messageIdHeader);
      return c.json(minimal(mailbox.changeLabels(message, add, remove)));
    }),
  );
  app.post(
    `${base}/messages/:id/trash`,
    gmailMethod(ctx, 'messages.trash', (c, { mailbox }) => {
      const message = mailbox.message(c.req.param('id') ?? '');
      ctx.state.messageFailures.refuse(mailbox.email, 'messages.trash', message.messageIdHeader);
      return c.json(minimal(mailbox.changeLabels(message, ['TRASH'], ['SPAM'])));
    }),
  );
  app.post(
    `${base}/messages/:id/untrash`,
    gmailMethod(ctx, 'messages.untrash', (c, { mailbox }) => {
      const message = mailbox.message(c.req.param('id') ?? '');
      ctx.state.messageFailures.refuse(mailbox.email, 'messages.untrash', message.messageIdHeader);
      return c.json(minimal(mailbox.changeLabels(message, [], ['TRASH'])));
    }),
  );
  app.delete(
    `${base}/messages/:id`,
    gmailMethod(ctx, 'messages.delete', (c, { mailbox }) => {
      mailbox.deleteMessage(mailbox.message(c.req.param('id') ?? ''));
      return c.body(null, 204);
    }),
  );
  return app;
}

import { Hono, type Context } from 'hono';
import { gmailMethod } from './api-auth.js';
import type { EmulatorContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import type { Mailbox, StoredLabel } from './mailbox.js';

interface LabelBody {
  name?: unknown;
  messageListVisibility?: unknown;
  labelListVisibility?: unknown;
  color?: unknown;
}

const messageListVisibilities = new Set(['show', 'hide']);
const labelListVisibilities = new Set(['labelShow', 'labelShowIfUnread', 'labelHide']);

function resource(label: StoredLabel): Record<string, unknown> {
  const body: Record<string, unknown> = { id: label.id, name: label.name, type: label.type };
  if (label.messageListVisibility) body.messageListVisibility = label.messageListVisibility;
  if (label.labelListVisibility) body.labelListVisibility = label.labelListVisibility;
  if (label.color) body.color = { ...label.color };
  return body;
}

/** labels.get adds the counts Gmail computes. */
function withCounts(label: StoredLabel, mailbox: Mailbox): Record<string, unknown> {
  let messagesTotal = 0;
  let messagesUnread = 0;
  const threads = new Set<string>();
  const unreadThreads = new Set<string>();
  for (const message of mailbox.messages.values()) {
    if (!message.labelIds.includes(label.id)) continue;
    messagesTotal++;
    threads.add(message.threadId);
    if (message.labelIds.includes('UNREAD')) {
      messagesUnread++;
      unreadThreads.add(message.threadId);
    }
  }
  return { ...resource(label), messagesTotal, messagesUnread, threadsTotal: threads.size, threadsUnread: unreadThreads.size };
}

async function labelBody(c: Context): Promise<LabelBody> {
  try {
    const body: unknown = await c.req.json();
    if (typeof body === 'object' && body !== null) return body as LabelBody;
  } catch {
    // answered below
  }
  throw badRequest('Invalid JSON payload received.');
}

/** The optional presentation fields; invalid values are refused like Gmail's enum checks. */
function presentation(body: LabelBody): Partial<Omit<StoredLabel, 'id' | 'type' | 'name'>> {
  const fields: Partial<Omit<StoredLabel, 'id' | 'type' | 'name'>> = {};
  if (body.messageListVisibility !== undefined) {
    if (typeof body.messageListVisibility !== 'string' || !messageListVisibilities.has(body.messageListVisibility)) {
      throw badRequest(`Invalid value for messageListVisibility: ${String(body.messageListVisibility)}`);
    }
    fields.messageListVisibility = body.messageListVisibility;
  }
  if (body.labelListVisibility !== undefined) {
    if (typeof body.labelListVisibility !== 'string' || !labelListVisibilities.has(body.labelListVisibility)) {
      throw badRequest(`Invalid value for labelListVisibility: ${String(body.labelListVisibility)}`);
    }
    fields.labelListVisibility = body.labelListVisibility;
  }
  if (body.color !== undefined && typeof body.color === 'object' && body.color !== null) {
    const { textColor, backgroundColor } = body.color as { textColor?: unknown; backgroundColor?: unknown };
    fields.color = {
      ...(typeof textColor === 'string' ? { textColor } : {}),
      ...(typeof backgroundColor === 'string' ? { backgroundColor } : {}),
    };
  }
  return fields;
}

/** Gmail labels: list, get, create, update/patch, delete. */
export function labelRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  const base = '/gmail/v1/users/:userId/labels';

  app.get(
    base,
    gmailMethod(ctx, 'labels.list', (c, { mailbox }) => c.json({ labels: [...mailbox.labels.values()].map(resource) })),
  );
  app.get(
    `${base}/:id`,
    gmailMethod(ctx, 'labels.get', (c, { mailbox }) => {
      const label = mailbox.labels.get(c.req.param('id') ?? '');
      if (!label) throw notFound();
      return c.json(withCounts(label, mailbox));
    }),
  );
  app.post(
    base,
    gmailMethod(ctx, 'labels.create', async (c, { mailbox }) => {
      const body = await labelBody(c);
      const name = mailbox.checkLabelName(body.name);
      const label = mailbox.createLabel({ messageListVisibility: 'show', labelListVisibility: 'labelShow', ...presentation(body), name });
      return c.json(resource(label));
    }),
  );
  const update = (partial: boolean) =>
    gmailMethod(ctx, 'labels.update', async (c, { mailbox }) => {
      const label = mailbox.userLabel(c.req.param('id') ?? '');
      const body = await labelBody(c);
      const patch = presentation(body);
      const name = body.name === undefined && partial ? label.name : mailbox.checkLabelName(body.name, label.id);
      return c.json(resource(mailbox.updateLabel(label, { ...patch, name })));
    });
  app.put(`${base}/:id`, update(false));
  app.patch(`${base}/:id`, update(true));
  app.delete(
    `${base}/:id`,
    gmailMethod(ctx, 'labels.delete', (c, { mailbox }) => {
      mailbox.deleteLabel(mailbox.userLabel(c.req.param('id') ?? ''));
      return c.body(null, 204);
    }),
  );
  return app;
}

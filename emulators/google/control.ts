import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { EmulatorContext } from './context.js';
import type { ServiceAccountRecord } from './credentials.js';
import { ControlError } from './errors.js';
import { armableMessageMethods } from './message-failures.js';
import { retryAfterForms } from './quota.js';
import { controlContactView, controlGroupView } from './people-view.js';
import { controlMessageView } from './views.js';

/** Control routes are a local tool: no auth, but every body is checked. */
async function parseBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  let json: unknown = {};
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ControlError(400, 'The request body must be JSON.');
    }
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
    throw new ControlError(400, `Invalid body: ${problems}`);
  }
  return result.data;
}

const provisioningFailureSchema = z.object({
  email: z.email(),
  status: z.number().int().min(400).max(599),
  reason: z.string().min(1),
  message: z.string().min(1),
  /** How many inserts fail before they succeed again; every one until reset when omitted. */
  count: z.number().int().positive().optional(),
});

const messageFailureSchema = z
  .object({
    email: z.email(),
    /** The Message-ID header of the message to refuse, with or without angle brackets. */
    rfc822MessageId: z.string().min(1),
    methods: z.array(z.enum(armableMessageMethods)).min(1),
    status: z.number().int().min(400).max(599),
    reason: z.string().min(1).default('invalidArgument'),
    message: z.string().min(1),
    /** Answer this text (text/plain) instead of Google's JSON error: an answer the client cannot parse. */
    rawBody: z.string().optional(),
    count: z.number().int().positive().optional(),
  })
  .strict();

const serviceAccountSchema = z.object({ clientEmail: z.string().min(1).optional() });

const throttleSchema = z
  .object({
    quotaScale: z.number().positive().max(1000).optional(),
    ratio: z.number().min(0).max(1).optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    retryAfterForm: z.enum(retryAfterForms).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'give at least one of quotaScale, ratio, retryAfterSeconds, retryAfterForm' });

const userSchema = z.object({
  primaryEmail: z.email(),
  givenName: z.string().min(1),
  familyName: z.string().min(1),
  isAdmin: z.boolean().optional(),
  suspended: z.boolean().optional(),
  gmailEnabled: z.boolean().optional(),
  aliases: z.array(z.email()).optional(),
});

const newAccountsSchema = z.object({ tokenDelaySeconds: z.number().min(0).max(86_400) });
const notReadySchema = z.object({ seconds: z.number().min(0).max(86_400) });
const clockSchema = z
  .object({ advanceDays: z.number().min(0).max(3650).optional(), advanceSeconds: z.number().min(0).max(315_360_000).optional() })
  .refine((body) => body.advanceDays !== undefined || body.advanceSeconds !== undefined, { message: 'give advanceDays or advanceSeconds' });

const userPatchSchema = z.object({ isAdmin: z.boolean().optional(), suspended: z.boolean().optional(), gmailEnabled: z.boolean().optional() });

function serviceAccount(ctx: EmulatorContext, clientEmail: string | undefined): ServiceAccountRecord {
  const record = ctx.state.credentials.resolve(clientEmail);
  if (!record) throw new ControlError(404, clientEmail ? `No service account ${clientEmail} in the emulator.` : 'The emulator has no service account.');
  return record;
}

export function controlRoutes(ctx: EmulatorContext, reset: () => void): Hono {
  const app = new Hono();
  const { state } = ctx;

  app.post('/_control/provisioning-failures', async (c) => {
    const body = await parseBody(c, provisioningFailureSchema);
    const email = body.email.toLowerCase();
    state.provisioningFailures.set(email, { email, status: body.status, reason: body.reason, message: body.message, remaining: body.count ?? null });
    state.revision++;
    return c.json({ armed: state.provisioningFailures.get(email) }, 201);
  });
  app.get('/_control/provisioning-failures', (c) => c.json({ failures: [...state.provisioningFailures.values()] }));

  app.post('/_control/message-failures', async (c) => {
    const { count, ...body } = await parseBody(c, messageFailureSchema);
    return c.json({ armed: state.messageFailures.arm({ ...body, remaining: count ?? null }) }, 201);
  });
  app.get('/_control/message-failures', (c) => c.json({ failures: state.messageFailures.list() }));

  app.post('/_control/users', async (c) => {
    const body = await parseBody(c, userSchema);
    if (state.users.addressTaken(body.primaryEmail)) throw new ControlError(409, `${body.primaryEmail} already exists.`);
    const user = state.users.add(body, ctx.options.now());
    return c.json({ id: user.id, primaryEmail: user.primaryEmail }, 201);
  });
  app.patch('/_control/users/:email', async (c) => {
    const user = state.users.update(c.req.param('email'), await parseBody(c, userPatchSchema));
    if (!user) throw new ControlError(404, `No user ${c.req.param('email')} in the emulator.`);
    return c.json({ id: user.id, primaryEmail: user.primaryEmail, isAdmin: user.isAdmin, suspended: user.suspended, gmailEnabled: user.gmailEnabled });
  });
  // How long accounts made by users.insert from now on are refused at the token endpoint.
  app.post('/_control/new-accounts', async (c) => {
    const body = await parseBody(c, newAccountsSchema);
    state.newAccountTokenDelayMs = body.tokenDelaySeconds * 1000;
    return c.json({ tokenDelaySeconds: body.tokenDelaySeconds });
  });
  // One existing account is refused at the token endpoint for `seconds`, as if just created.
  app.post('/_control/users/:email/not-ready', async (c) => {
    const body = await parseBody(c, notReadySchema);
    const user = state.users.find(c.req.param('email'));
    if (!user) throw new ControlError(404, `No user ${c.req.param('email')} in the emulator.`);
    user.tokensRefusedUntil = ctx.options.now() + body.seconds * 1000;
    state.revision++;
    return c.json({ primaryEmail: user.primaryEmail, tokensRefusedUntil: new Date(user.tokensRefusedUntil).toISOString() });
  });
  app.get('/_control/users/:email/messages', (c) => {
    const user = state.users.find(c.req.param('email'));
    if (!user) throw new ControlError(404, `No user ${c.req.param('email')} in the emulator.`);
    const mailbox = state.mailboxOf(user);
    return c.json({ email: user.primaryEmail, messages: [...mailbox.messages.values()].map((message) => controlMessageView(message, mailbox)) });
  });

  app.get('/_control/users/:email/contacts', (c) => {
    const user = state.users.find(c.req.param('email'));
    if (!user) throw new ControlError(404, `No user ${c.req.param('email')} in the emulator.`);
    const book = state.contactBookOf(user);
    return c.json({ email: user.primaryEmail, contacts: [...book.people.values()].map((person) => controlContactView(book, person)) });
  });
  app.get('/_control/users/:email/contact-groups', (c) => {
    const user = state.users.find(c.req.param('email'));
    if (!user) throw new ControlError(404, `No user ${c.req.param('email')} in the emulator.`);
    const book = state.contactBookOf(user);
    return c.json({ email: user.primaryEmail, contactGroups: [...book.groups.values()].map((group) => controlGroupView(book, group)) });
  });

  app.get('/_control/credentials', (c) => {
    const record = serviceAccount(ctx, c.req.query('clientEmail'));
    return c.json({ serviceAccount: state.credentials.info(record), serviceAccountKey: record.generatedKey ?? null });
  });
  app.post('/_control/credentials/revoke', async (c) => {
    const record = serviceAccount(ctx, (await parseBody(c, serviceAccountSchema)).clientEmail);
    state.credentials.revoke(record);
    return c.json({ revoked: record.clientEmail });
  });
  app.post('/_control/credentials/rotate', async (c) => {
    const record = serviceAccount(ctx, (await parseBody(c, serviceAccountSchema)).clientEmail);
    return c.json({ serviceAccountKey: state.credentials.rotate(record) });
  });
  app.post('/_control/credentials/expire-tokens', (c) => {
    state.credentials.expireTokens();
    return c.json({ expired: true });
  });

  // The mailbox clock only: tokens and quotas keep the emulator's clock, which the clients' clocks agree with.
  app.post('/_control/clock', async (c) => {
    const body = await parseBody(c, clockSchema);
    const now = state.advanceMailClock(((body.advanceDays ?? 0) * 86_400 + (body.advanceSeconds ?? 0)) * 1000);
    return c.json({ mailClock: new Date(now).toISOString(), offsetMs: state.mailClockOffset });
  });
  app.get('/_control/clock', (c) => c.json({ mailClock: new Date(state.mailNow()).toISOString(), offsetMs: state.mailClockOffset }));

  app.post('/_control/throttle', async (c) => c.json({ throttle: ctx.quota.configure(await parseBody(c, throttleSchema)) }));
  app.get('/_control/throttle', (c) => c.json({ throttle: ctx.quota.settings() }));
  app.get('/_control/stats', (c) => c.json(ctx.stats.view()));
  app.post('/_control/reset', (c) => {
    reset();
    return c.json({ reset: true });
  });
  return app;
}

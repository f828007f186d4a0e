import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { originOf } from '../http/env.js';
import type { DirectoryUser } from '../state/directory.js';
import { TenantError, type TenantState } from '../state/tenant.js';
import type { ThrottleGovernor } from '../throttle/governor.js';
import type { RequestStats } from '../throttle/stats.js';
import type { DirectoryLatency } from '../http/directory-latency.js';
import { DirectoryError } from '../state/directory.js';
import { rawMimeRefusal, summariseRawMime } from '../state/raw-mime.js';
import { controlError, parseBody } from './control-body.js';
import { createCalendarControlRoutes } from '../calendar/calendar-control.js';
import { createContactControlRoutes } from './contact-control.js';
import { knownPermissions } from '../identity/application-permissions.js';

/**
 * The control API: faults and verification for tests and demos. It is a
 * local tool, so it needs no authentication; bodies are validated and a bad
 * one answers 400 with a sentence saying what is wrong.
 */
export interface ControlDeps {
  tenant: TenantState;
  governor: ThrottleGovernor;
  stats: RequestStats;
  directoryLatency: DirectoryLatency;
  reset(): void;
}

const flagSchema = z.union([z.enum(['notFlagged', 'flagged', 'complete']), z.object({ flagStatus: z.enum(['notFlagged', 'flagged', 'complete']) }).transform((flag) => flag.flagStatus)]);

const upnPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const schemas = {
  addUser: z
    .object({
      userPrincipalName: z.string().regex(upnPattern, 'userPrincipalName must look like name@domain'),
      displayName: z.string().min(1),
      mail: z.string().regex(upnPattern, 'mail must look like name@domain').nullable().optional(),
      givenName: z.string().min(1).optional(),
      surname: z.string().min(1).optional(),
      userType: z.enum(['Member', 'Guest']).optional(),
      hasMailbox: z.boolean().optional(),
      applicationAccess: z.enum(['allowed', 'denied']).optional(),
    })
    .strict(),
  mailbox: z
    .object({ hasMailbox: z.boolean().optional(), applicationAccess: z.enum(['allowed', 'denied']).optional() })
    .strict()
    .refine((body) => body.hasMailbox !== undefined || body.applicationAccess !== undefined, 'give hasMailbox, applicationAccess or both'),
  rename: z.object({ userPrincipalName: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'userPrincipalName must look like name@domain') }).strict(),
  addMessages: z
    .object({
      count: z.number().int().min(1).max(100_000),
      folder: z.string().min(1).optional(),
      kind: z.enum(['normal', 'oversized', 'encrypted', 'unsupported']).optional(),
      isRead: z.boolean().optional(),
      withoutMessageId: z.boolean().optional(),
    })
    .strict(),
  /** One message as raw MIME, base64 of its exact bytes (raw-mime.ts). */
  addRawMessage: z
    .object({
      mime: z
        .string()
        .min(1)
        .regex(/^[A-Za-z0-9+/\s]*={0,2}\s*$/, 'mime must be the base64 of the raw message'),
      folder: z.string().min(1).optional(),
      isRead: z.boolean().optional(),
      receivedDateTime: z.iso.datetime().optional(),
    })
    .strict(),
  copyMessage: z.object({ folder: z.string().min(1) }).strict(),
  updateMessage: z
    .object({
      isRead: z.boolean().optional(),
      flag: flagSchema.optional(),
      categories: z.array(z.string().min(1)).max(25).optional(),
      folder: z.string().min(1).optional(),
    })
    .strict()
    .refine((body) => Object.values(body).some((value) => value !== undefined), 'give at least one of isRead, flag, categories, folder'),
  directoryLatency: z.object({ pageMs: z.number().int().min(0).max(60_000) }).strict(),
  permission: z
    .object({
      permission: z.string().refine((name) => knownPermissions.has(name), `permission must be one the emulator checks: ${[...knownPermissions].sort().join(', ')}`),
      granted: z.boolean(),
    })
    .strict(),
  throttle: z
    .object({
      quotaScale: z.number().positive().max(1_000_000).optional(),
      ratio: z.number().min(0).max(1).optional(),
      retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
      enabled: z.boolean().optional(),
    })
    .strict(),
};

/** A body with a "mime" field adds one raw message; any other adds seeded ones. */
function hasMimeField(text: string): boolean {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && 'mime' in json;
  } catch {
    return false;
  }
}

export function createControlRoutes(deps: ControlDeps): Hono {
  const { tenant, governor, stats } = deps;
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof TenantError) return controlError(c, error.code === 'FolderNotFound' ? 400 : 404, error.code, error.message);
    if (error instanceof DirectoryError) return controlError(c, 409, error.code, error.message);
    throw error;
  });

  const withUser = (c: Context): DirectoryUser => tenant.requireUser(c.req.param('idOrUpn') ?? '');
  const ok = (c: Context): Response => c.json({ ok: true });

  app.get('/_control/app', (c) =>
    c.json({
      tenantId: tenant.credentials.tenantId,
      clientId: tenant.credentials.clientId,
      clientSecret: tenant.credentials.clientSecret,
      authorityHost: originOf(c),
      graphBaseUrl: originOf(c),
      domain: tenant.domain,
      grantedPermissions: tenant.credentials.grantedPermissions,
    }),
  );
  /** Admin consent given ({granted: true}) or withdrawn for one application permission; tokens issued from now on show it. */
  app.post('/_control/app/permissions', async (c) => {
    const body = await parseBody(c, schemas.permission);
    if (!body.ok) return body.response;
    tenant.credentials.setPermission(body.value.permission, body.value.granted);
    tenant.changed();
    return c.json({ grantedPermissions: tenant.credentials.grantedPermissions });
  });

  app.post('/_control/credentials/expire-tokens', (c) => {
    tenant.credentials.expireTokens();
    tenant.changed();
    return ok(c);
  });
  app.post('/_control/credentials/revoke', (c) => {
    tenant.credentials.revokeSecret();
    tenant.changed();
    return ok(c);
  });
  app.post('/_control/credentials/expire-secret', (c) => {
    tenant.credentials.expireSecret();
    tenant.changed();
    return ok(c);
  });
  app.post('/_control/credentials/rotate', (c) => {
    const clientSecret = tenant.credentials.rotateSecret();
    tenant.changed();
    return c.json({ clientSecret });
  });

  app.get('/_control/users', (c) =>
    c.json({
      users: tenant.directory.listUsers().map((user) => ({
        id: user.id,
        userPrincipalName: user.userPrincipalName,
        accountEnabled: user.accountEnabled,
        userType: user.userType,
        hasMailbox: user.hasMailbox,
        applicationAccess: user.applicationAccess,
        messages: tenant.mailboxOf(user).messageCount,
      })),
    }),
  );
  app.post('/_control/users', async (c) => {
    const body = await parseBody(c, schemas.addUser);
    if (!body.ok) return body.response;
    const user = tenant.addUser(body.value);
    return c.json({ id: user.id, userPrincipalName: user.userPrincipalName, userType: user.userType, hasMailbox: user.hasMailbox }, 201);
  });
  app.post('/_control/users/:idOrUpn/mailbox', async (c) => {
    const user = withUser(c);
    const body = await parseBody(c, schemas.mailbox);
    if (!body.ok) return body.response;
    tenant.setMailboxState(user, body.value);
    return c.json({ id: user.id, hasMailbox: user.hasMailbox, applicationAccess: user.applicationAccess });
  });
  app.post('/_control/users/:idOrUpn/delete', (c) => {
    tenant.deleteUser(withUser(c));
    return ok(c);
  });
  app.post('/_control/users/:idOrUpn/disable', (c) => {
    tenant.setAccountEnabled(withUser(c), false);
    return ok(c);
  });
  app.post('/_control/users/:idOrUpn/enable', (c) => {
    tenant.setAccountEnabled(withUser(c), true);
    return ok(c);
  });
  app.post('/_control/users/:idOrUpn/rename', async (c) => {
    const user = withUser(c);
    const body = await parseBody(c, schemas.rename);
    if (!body.ok) return body.response;
    tenant.renameUser(user, body.value.userPrincipalName);
    return c.json({ id: user.id, userPrincipalName: user.userPrincipalName });
  });
  app.post('/_control/users/:idOrUpn/expire-delta-tokens', (c) => {
    tenant.mailboxOf(withUser(c)).expireDeltaTokens();
    tenant.changed();
    return ok(c);
  });

  app.post('/_control/users/:idOrUpn/messages', async (c) => {
    const user = withUser(c);
    if (hasMimeField(await c.req.text())) return addRawMessage(c, user);
    const body = await parseBody(c, schemas.addMessages);
    if (!body.ok) return body.response;
    const mailbox = tenant.mailboxOf(user);
    const records = tenant.addMessages(user, body.value);
    return c.json({ ids: records.map((record) => mailbox.idOf(record, false)), immutableIds: records.map((record) => mailbox.idOf(record, true)) });
  });
  /** {"folder": "inbox", "mime": "<base64>", "isRead": false} → the new message's ids. */
  const addRawMessage = async (c: Context, user: DirectoryUser): Promise<Response> => {
    const body = await parseBody(c, schemas.addRawMessage);
    if (!body.ok) return body.response;
    const bytes = Buffer.from(body.value.mime.replace(/\s+/g, ''), 'base64');
    const refusal = rawMimeRefusal(bytes);
    if (refusal) return controlError(c, 400, 'InvalidMimeContent', refusal);
    const receivedAt = body.value.receivedDateTime ? Math.floor(Date.parse(body.value.receivedDateTime) / 1000) : undefined;
    const record = tenant.addRawMessage(
      user,
      { bytes, summary: await summariseRawMime(bytes) },
      {
        ...(body.value.folder !== undefined ? { folder: body.value.folder } : {}),
        ...(body.value.isRead !== undefined ? { isRead: body.value.isRead } : {}),
        ...(receivedAt !== undefined ? { receivedAt } : {}),
      },
    );
    const mailbox = tenant.mailboxOf(user);
    return c.json({ id: mailbox.idOf(record, false), immutableId: mailbox.idOf(record, true), size: record.size }, 201);
  };

  app.post('/_control/users/:idOrUpn/messages/:messageId/update', async (c) => {
    const user = withUser(c);
    const record = tenant.requireMessage(user, c.req.param('messageId'));
    const body = await parseBody(c, schemas.updateMessage);
    if (!body.ok) return body.response;
    const { flag, ...rest } = body.value;
    tenant.updateMessage(user, record, { ...rest, ...(flag !== undefined ? { flagStatus: flag } : {}) });
    const mailbox = tenant.mailboxOf(user);
    return c.json({ id: mailbox.idOf(record, false), immutableId: mailbox.idOf(record, true) });
  });
  app.post('/_control/users/:idOrUpn/messages/:messageId/delete', (c) => {
    const user = withUser(c);
    tenant.deleteMessage(user, tenant.requireMessage(user, c.req.param('messageId')));
    return ok(c);
  });
  app.post('/_control/users/:idOrUpn/messages/:messageId/copy', async (c) => {
    const user = withUser(c);
    const record = tenant.requireMessage(user, c.req.param('messageId'));
    const body = await parseBody(c, schemas.copyMessage);
    if (!body.ok) return body.response;
    const copy = tenant.copyMessage(user, record, body.value.folder);
    const mailbox = tenant.mailboxOf(user);
    return c.json({ id: mailbox.idOf(copy, false), immutableId: mailbox.idOf(copy, true) });
  });
  app.post('/_control/users/:idOrUpn/messages/:messageId/move-to-archive-mailbox', (c) => {
    const user = withUser(c);
    tenant.moveToArchiveMailbox(user, tenant.requireMessage(user, c.req.param('messageId')));
    return ok(c);
  });

  app.route('/', createContactControlRoutes(tenant));
  app.route('/', createCalendarControlRoutes(tenant));

  app.post('/_control/throttle', async (c) => {
    const body = await parseBody(c, schemas.throttle);
    if (!body.ok) return body.response;
    governor.adjust(body.value);
    return c.json({ concurrency: governor.concurrencyLimit, requestsPerWindow: governor.requestBudget, scope: governor.scope });
  });
  app.post('/_control/directory-latency', async (c) => {
    const body = await parseBody(c, schemas.directoryLatency);
    if (!body.ok) return body.response;
    deps.directoryLatency.pageMs = body.value.pageMs;
    return c.json({ pageMs: deps.directoryLatency.pageMs });
  });
  app.get('/_control/stats', (c) => c.json(stats.snapshot()));
  app.post('/_control/reset', (c) => {
    deps.reset();
    return ok(c);
  });

  return app;
}

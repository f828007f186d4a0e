import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { authenticate, directoryReadScopes, directoryWriteScopes, requireScope } from './api-auth.js';
import type { EmulatorContext } from './context.js';
import { badRequest, GoogleApiError, notAuthorizedForDirectory, notFound } from './errors.js';
import { userResource, type DirectoryUser } from './users.js';

const maxNameLength = 60;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invalid(message: string): GoogleApiError {
  return new GoogleApiError({ status: 400, message, reason: 'invalid' });
}

/** The caller must impersonate an active administrator of the tenant; then the per-user query quota applies. */
function directoryAdmin(ctx: EmulatorContext, c: Context, scopes: readonly string[]): DirectoryUser {
  const grant = authenticate(ctx, c);
  requireScope(grant, scopes);
  const admin = grant.subject ? ctx.state.users.find(grant.subject) : undefined;
  if (!admin || !admin.isAdmin || admin.suspended) throw notAuthorizedForDirectory();
  ctx.quota.refuseInjected();
  ctx.quota.admitDirectory(admin.primaryEmail);
  return admin;
}

function validName(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const name = value.trim();
  // Emulator's rule set: Google refuses empty names, names over 60 characters and a few symbols.
  return name.length > 0 && name.length <= maxNameLength && !/[<>=\p{Cc}]/u.test(name);
}

interface InsertBody {
  primaryEmail?: unknown;
  name?: { givenName?: unknown; familyName?: unknown };
  password?: unknown;
  hashFunction?: unknown;
  suspended?: unknown;
  changePasswordAtNextLogin?: unknown;
  orgUnitPath?: unknown;
}

function insertUser(ctx: EmulatorContext, body: InsertBody): DirectoryUser {
  const primaryEmail = typeof body.primaryEmail === 'string' ? body.primaryEmail.trim().toLowerCase() : '';
  if (!emailPattern.test(primaryEmail)) throw invalid('Invalid Input: primary_user_email');

  const armed = ctx.state.provisioningFailures.get(primaryEmail);
  if (armed) {
    if (armed.remaining !== null && --armed.remaining <= 0) ctx.state.provisioningFailures.delete(primaryEmail);
    ctx.state.revision++;
    throw new GoogleApiError({ status: armed.status as ContentfulStatusCode, message: armed.message, reason: armed.reason });
  }

  const domain = primaryEmail.slice(primaryEmail.lastIndexOf('@') + 1);
  if (!ctx.state.isTenantDomain(domain)) throw notAuthorizedForDirectory();
  if (!validName(body.name?.givenName)) throw invalid('Invalid Given/Family Name: GivenName');
  if (!validName(body.name?.familyName)) throw invalid('Invalid Given/Family Name: FamilyName');
  const password = typeof body.password === 'string' ? body.password : '';
  const hashed = typeof body.hashFunction === 'string' && body.hashFunction !== '';
  if (hashed ? password === '' : password.length < 8 || password.length > 100) throw invalid('Invalid Password');
  if (ctx.state.users.addressTaken(primaryEmail)) {
    throw new GoogleApiError({ status: 409, message: 'Entity already exists.', reason: 'duplicate' });
  }

  const now = ctx.options.now();
  const user = ctx.state.users.add(
    {
      primaryEmail,
      givenName: String(body.name?.givenName).trim(),
      familyName: String(body.name?.familyName).trim(),
      suspended: body.suspended === true,
      changePasswordAtNextLogin: body.changePasswordAtNextLogin === true,
      orgUnitPath: typeof body.orgUnitPath === 'string' ? body.orgUnitPath : '/',
    },
    now,
  );
  // users.insert: "Mutate calls immediately following user creation might sometimes fail as the user isn't
  // fully created due to propagation delay in our backends." Impersonating it is refused for a while.
  if (ctx.state.newAccountTokenDelayMs > 0) user.tokensRefusedUntil = now + ctx.state.newAccountTokenDelayMs;
  return user;
}

/** The `query` terms of users.list the emulator understands: email:, isAdmin=, isSuspended=. */
function matchesQuery(user: DirectoryUser, query: string | undefined): boolean {
  if (!query) return true;
  return query
    .trim()
    .split(/\s+/)
    .every((term) => {
      const match = /^(\w+)\s*[:=]\s*'?([^']*)'?$/.exec(term);
      if (!match) throw invalid(`Invalid Input: ${term}`);
      const [, field, rawValue = ''] = match;
      const value = rawValue.toLowerCase();
      if (field === 'email') {
        const addresses = [user.primaryEmail, ...user.aliases];
        return value.endsWith('*') ? addresses.some((address) => address.startsWith(value.slice(0, -1))) : addresses.includes(value);
      }
      if (field === 'isAdmin') return String(user.isAdmin) === value;
      if (field === 'isSuspended') return String(user.suspended) === value;
      throw invalid(`Invalid Input: ${term}`);
    });
}

function listUsers(ctx: EmulatorContext, c: Context): Response {
  const customer = c.req.query('customer');
  const domain = c.req.query('domain')?.toLowerCase();
  if (!customer && !domain) throw badRequest('Bad Request');
  if (customer && customer !== 'my_customer' && customer !== ctx.options.customerId) throw badRequest('Bad Request');
  if (domain && !ctx.state.isTenantDomain(domain)) throw notFound('Domain not found.');

  const maxResults = Number(c.req.query('maxResults') ?? 100);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 500) {
    throw invalid(`Invalid value '${c.req.query('maxResults')}'. Values must be within the range: [1, 500]`);
  }
  const offset = Number(Buffer.from(c.req.query('pageToken') ?? '', 'base64url').toString() || 0);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid page token');

  const query = c.req.query('query');
  const descending = c.req.query('sortOrder')?.toUpperCase() === 'DESCENDING';
  const selected = ctx.state.users
    .all()
    .filter((user) => !domain || user.primaryEmail.endsWith(`@${domain}`))
    .filter((user) => matchesQuery(user, query))
    .sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail) * (descending ? -1 : 1));

  const page = selected.slice(offset, offset + maxResults);
  const body: Record<string, unknown> = { kind: 'admin#directory#users', etag: `"users/${ctx.state.revision}"` };
  if (page.length > 0) body.users = page.map((user) => userResource(user, ctx.options.customerId));
  if (offset + maxResults < selected.length) body.nextPageToken = Buffer.from(String(offset + maxResults)).toString('base64url');
  return c.json(body);
}

async function readJson(c: Context): Promise<InsertBody> {
  try {
    const body: unknown = await c.req.json();
    if (typeof body === 'object' && body !== null) return body as InsertBody;
  } catch {
    // answered below
  }
  throw badRequest('Invalid JSON payload received.');
}

/** Admin SDK Directory: users.get, users.list, users.insert. */
export function directoryRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  app.get('/admin/directory/v1/users', (c) => {
    directoryAdmin(ctx, c, directoryReadScopes);
    return listUsers(ctx, c);
  });
  app.get('/admin/directory/v1/users/:userKey', (c) => {
    directoryAdmin(ctx, c, directoryReadScopes);
    const user = ctx.state.users.find(c.req.param('userKey'));
    if (!user) throw notFound('Resource Not Found: userKey');
    return c.json(userResource(user, ctx.options.customerId));
  });
  app.post('/admin/directory/v1/users', async (c) => {
    directoryAdmin(ctx, c, directoryWriteScopes);
    const user = insertUser(ctx, await readJson(c));
    return c.json(userResource(user, ctx.options.customerId));
  });
  return app;
}

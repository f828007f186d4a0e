import { Hono } from 'hono';
import type { GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { notFoundUser } from '../http/graph-error.js';
import { linkWith, ODataQueryError, parseSelect, parseTop } from '../http/odata.js';
import { offsetFromToken, offsetToken, pageOf } from '../http/paging.js';
import { userJson, userProperties } from '../serialize/directory-json.js';
import type { DirectoryUser } from '../state/directory.js';
import type { TenantState } from '../state/tenant.js';

const defaultPageSize = 100;
const maxPageSize = 999;

type UserPredicate = (user: DirectoryUser) => boolean;

/**
 * The $filter forms a sync needs on /users: `accountEnabled eq true|false`
 * and equality on the naming properties, joined with `and`.
 */
export function parseUserFilter(raw: string | undefined): UserPredicate | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const predicates: UserPredicate[] = raw.split(/\s+and\s+/i).map((clause) => {
    const match = /^\s*(\w+)\s+eq\s+(true|false|'((?:[^']|'')*)')\s*$/i.exec(clause);
    const property = match?.[1];
    if (!match || !property) throw new ODataQueryError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified: '${clause.trim()}'.`);
    if (property === 'accountEnabled') {
      const expected = match[2]?.toLowerCase() === 'true';
      if (match[3] !== undefined) throw new ODataQueryError('Request_UnsupportedQuery', 'accountEnabled can only be compared with true or false.');
      return (user) => user.accountEnabled === expected;
    }
    if (!['id', 'userPrincipalName', 'mail', 'displayName', 'givenName', 'surname'].includes(property) || match[3] === undefined) {
      throw new ODataQueryError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`);
    }
    const expected = match[3].replace(/''/g, "'").toLowerCase();
    return (user) => String(user[property as keyof DirectoryUser] ?? '').toLowerCase() === expected;
  });
  return (user) => predicates.every((predicate) => predicate(user));
}

export function createUserRoutes(tenant: TenantState): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get('/v1.0/users', (c) => {
    const select = parseSelect(c.req.query('$select'), userProperties, 'microsoft.graph.user');
    const top = parseTop(c.req.query('$top'), defaultPageSize, maxPageSize);
    const filter = parseUserFilter(c.req.query('$filter'));
    const offset = offsetFromToken(c.req.query('$skiptoken'));
    const users = tenant.directory.listUsers().filter((user) => !filter || filter(user));
    const { page, nextOffset } = pageOf(users, offset, top);
    return c.json({
      '@odata.context': `${originOf(c)}/v1.0/$metadata#users${select ? `(${select.join(',')})` : ''}`,
      value: page.map((user) => userJson(user, select)),
      ...(nextOffset !== undefined ? { '@odata.nextLink': linkWith(c, { $skiptoken: offsetToken(nextOffset) }) } : {}),
    });
  });

  app.get('/v1.0/users/:userId', (c) => {
    const reference = c.req.param('userId');
    const user = tenant.findUser(reference);
    if (!user) return notFoundUser(c, reference);
    const select = parseSelect(c.req.query('$select'), userProperties, 'microsoft.graph.user');
    return c.json({ '@odata.context': `${originOf(c)}/v1.0/$metadata#users/$entity`, ...userJson(user, select) });
  });

  return app;
}

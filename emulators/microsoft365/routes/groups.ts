import { Hono } from 'hono';
import type { GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { notFoundUser } from '../http/graph-error.js';
import { linkWith, ODataQueryError, parseSelect, parseTop } from '../http/odata.js';
import { offsetFromToken, offsetToken, pageOf } from '../http/paging.js';
import { groupJson, groupProperties, userJson, userProperties } from '../serialize/directory-json.js';
import type { TenantState } from '../state/tenant.js';

// Directory objects page 100 at a time by default and at most 999 ($top): learn.microsoft.com/graph/paging,
// and Microsoft's answer at learn.microsoft.com/en-us/answers/questions/120381 ("default page limit is 100 and the highest $top supported is 999").
const defaultPageSize = 100;
const maxPageSize = 999;

/** Only `displayName eq '...'` is needed to find a group named in a policy rule. */
function parseGroupFilter(raw: string | undefined): ((displayName: string) => boolean) | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const match = /^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(raw);
  if (!match) throw new ODataQueryError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified: '${raw.trim()}'.`);
  const expected = (match[1] ?? '').replace(/''/g, "'").toLowerCase();
  return (displayName) => displayName.toLowerCase() === expected;
}

/** Groups and their (direct) members: what policy rules based on group membership read. */
export function createGroupRoutes(tenant: TenantState): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get('/v1.0/groups', (c) => {
    const select = parseSelect(c.req.query('$select'), groupProperties, 'microsoft.graph.group');
    const top = parseTop(c.req.query('$top'), defaultPageSize, maxPageSize);
    const filter = parseGroupFilter(c.req.query('$filter'));
    const groups = tenant.directory.listGroups().filter((group) => !filter || filter(group.displayName));
    const { page, nextOffset } = pageOf(groups, offsetFromToken(c.req.query('$skiptoken')), top);
    return c.json({
      '@odata.context': `${originOf(c)}/v1.0/$metadata#groups`,
      value: page.map((group) => groupJson(group, select)),
      ...(nextOffset !== undefined ? { '@odata.nextLink': linkWith(c, { $skiptoken: offsetToken(nextOffset) }) } : {}),
    });
  });

  app.get('/v1.0/groups/:groupId', (c) => {
    const group = tenant.directory.findGroup(c.req.param('groupId'));
    if (!group) return notFoundUser(c, c.req.param('groupId'));
    const select = parseSelect(c.req.query('$select'), groupProperties, 'microsoft.graph.group');
    return c.json({ '@odata.context': `${originOf(c)}/v1.0/$metadata#groups/$entity`, ...groupJson(group, select) });
  });

  // No nested groups are emulated, so transitive membership equals direct membership.
  for (const relation of ['members', 'transitiveMembers']) {
    app.get(`/v1.0/groups/:groupId/${relation}`, (c) => {
      const group = tenant.directory.findGroup(c.req.param('groupId'));
      if (!group) return notFoundUser(c, c.req.param('groupId'));
      const select = parseSelect(c.req.query('$select'), userProperties, 'microsoft.graph.user');
      const top = parseTop(c.req.query('$top'), defaultPageSize, maxPageSize);
      const { page, nextOffset } = pageOf(tenant.directory.groupMembers(group), offsetFromToken(c.req.query('$skiptoken')), top);
      return c.json({
        '@odata.context': `${originOf(c)}/v1.0/$metadata#directoryObjects`,
        value: page.map((user) => ({ '@odata.type': '#microsoft.graph.user', ...userJson(user, select) })),
        ...(nextOffset !== undefined ? { '@odata.nextLink': linkWith(c, { $skiptoken: offsetToken(nextOffset) }) } : {}),
      });
    });
  }

  return app;
}

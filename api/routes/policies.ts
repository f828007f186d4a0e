import { createRoute } from '@hono/zod-openapi';
import type { ApiApp } from '../app.js';
import type { ApiServices } from '../services/index.js';
import { toPolicy } from '../presenters/policies.js';
import { idParams, jsonContent, NoQuery, problemResponses } from '../schemas/common.js';
import { NewPolicyBody, PolicyDetailSchema, PolicyListQuery, PolicyListSchema, PolicyPatchBody, PolicyPreviewSchema, PolicySchema, PolicySwitchSchema, PreviewQuery } from '../schemas/policies.js';

const PolicyParams = idParams('id');
const tags = ['Policies'];
const byId = (path: string) => ({ id: `$response.body#${path}` });

const listRoute = createRoute({
  method: 'get',
  path: '/api/policies',
  operationId: 'listPolicies',
  tags,
  summary: 'Policies, by name',
  request: { query: PolicyListQuery },
  responses: {
    200: {
      ...jsonContent(PolicyListSchema, 'A page of policies'),
      links: {
        GetPolicy: { operationId: 'getPolicy', parameters: byId('/items/0/id') },
        PreviewPolicy: { operationId: 'previewPolicy', parameters: byId('/items/0/id') },
      },
    },
    ...problemResponses(),
  },
});

const createPolicyRoute = createRoute({
  method: 'post',
  path: '/api/policies',
  operationId: 'createPolicy',
  tags,
  summary: 'Create a policy',
  request: { query: NoQuery, body: { required: true, content: { 'application/json': { schema: NewPolicyBody } } } },
  responses: {
    201: { ...jsonContent(PolicySchema, 'Created'), links: { GetPolicy: { operationId: 'getPolicy', parameters: byId('/id') } } },
    ...problemResponses(413, 415),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/policies/{id}',
  operationId: 'getPolicy',
  tags,
  summary: 'One policy, with its users per status',
  request: { params: PolicyParams, query: NoQuery },
  responses: { 200: jsonContent(PolicyDetailSchema, 'The policy'), ...problemResponses(404) },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/api/policies/{id}',
  operationId: 'updatePolicy',
  tags,
  summary: 'Change a policy (absent fields keep their value; switch it on or off with /enable and /disable)',
  request: { params: PolicyParams, query: NoQuery, body: { required: true, content: { 'application/json': { schema: PolicyPatchBody } } } },
  responses: { 200: jsonContent(PolicySchema, 'Changed'), ...problemResponses(404, 409, 413, 415) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/policies/{id}',
  operationId: 'deletePolicy',
  tags,
  summary: 'Delete a policy whose users are all Excluded (409 otherwise)',
  request: { params: PolicyParams, query: NoQuery },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(404, 409) },
});

function switchRoute(action: 'enable' | 'disable') {
  return createRoute({
    method: 'post',
    path: `/api/policies/{id}/${action}`,
    operationId: `${action}Policy`,
    tags,
    summary: action === 'enable' ? 'Enable the policy: its paused users resume' : 'Disable the policy: its users are paused',
    request: { params: PolicyParams, query: NoQuery },
    responses: { 200: jsonContent(PolicySwitchSchema, 'Done (changed false when it already was)'), ...problemResponses(404) },
  });
}

const previewRoute = createRoute({
  method: 'get',
  path: '/api/policies/{id}/preview',
  operationId: 'previewPolicy',
  tags,
  summary: "The Microsoft 365 users the policy's rules select now",
  request: { params: PolicyParams, query: PreviewQuery },
  responses: { 200: jsonContent(PolicyPreviewSchema, 'A page of selected users'), ...problemResponses(404, 422, 502) },
});

export function registerPolicyRoutes(app: ApiApp, services: ApiServices): void {
  const { store } = services.deps;

  app.openapi(listRoute, async (c) => {
    const { enabled, ...query } = c.req.valid('query');
    const page = await store.policies.list({ ...query, ...(enabled === undefined ? {} : { enabled: enabled === 'true' }) });
    return c.json({ items: page.items.map(toPolicy), nextCursor: page.nextCursor ?? null }, 200);
  });

  app.openapi(createPolicyRoute, async (c) => c.json(toPolicy(await services.policies.create(c.req.valid('json'))), 201));

  app.openapi(getRoute, async (c) => {
    const policy = await services.policies.get(c.req.valid('param').id);
    const usersByStatus = await store.syncUsers.totalsByStatus({ policyId: policy.id });
    return c.json({ ...toPolicy(policy), usersByStatus }, 200);
  });

  app.openapi(patchRoute, async (c) => c.json(toPolicy(await services.policies.update(c.req.valid('param').id, c.req.valid('json'))), 200));

  app.openapi(deleteRoute, async (c) => {
    await services.policies.delete(c.req.valid('param').id);
    return c.body(null, 204);
  });

  for (const action of ['enable', 'disable'] as const) {
    app.openapi(switchRoute(action), async (c) => {
      const result = await services.policies.setEnabled(c.req.valid('param').id, action === 'enable');
      return c.json({ policy: toPolicy(result.policy), changed: result.changed, signalledUsers: result.signalledUsers }, 200);
    });
  }

  app.openapi(previewRoute, async (c) => {
    const policy = await services.policies.get(c.req.valid('param').id);
    return c.json(await services.preview.page(policy, c.req.valid('query')), 200);
  });
}

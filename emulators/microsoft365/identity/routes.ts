import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { originOf } from '../http/env.js';
import type { TenantState } from '../state/tenant.js';
import type { RequestStats } from '../throttle/stats.js';

/**
 * The identity platform's part: the tenant's OpenID configuration (MSAL
 * reads it before asking for a token), instance discovery, and the
 * client-credentials token endpoint with Entra ID's error answers.
 */
export interface IdentityRouteDeps {
  tenant: TenantState;
  stats: RequestStats;
  tokenLifetimeSeconds: number;
}

const graphResource = 'https://graph.microsoft.com';

/** Entra ID's error body: an AADSTS code in the description and in error_codes. */
function entraError(c: Context, status: ContentfulStatusCode, error: string, aadsts: number, description: string): Response {
  const traceId = randomUUID();
  const correlationId = c.req.header('client-request-id') ?? randomUUID();
  const timestamp = `${new Date().toISOString().slice(0, 19).replace('T', ' ')}Z`;
  return c.json(
    {
      error,
      error_description: `AADSTS${aadsts}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${originOf(c)}/error?code=${aadsts}`,
    },
    status,
  );
}

function knowsTenant(tenant: TenantState, reference: string): boolean {
  const lower = reference.toLowerCase();
  return lower === tenant.credentials.tenantId.toLowerCase() || lower === tenant.domain.toLowerCase();
}

const unknownTenant = (c: Context, reference: string): Response =>
  entraError(c, 400, 'invalid_request', 90002, `Tenant '${reference}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);

function openIdConfiguration(origin: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid'],
    tenant_region_scope: 'EU',
    cloud_instance_name: new URL(origin).host,
  };
}

/** The resource a "<resource>/.default" scope names, if it is Graph (public, or this emulator's own origin). */
function graphAudienceOf(scope: string, origin: string): string | undefined {
  const scopes = scope.split(/\s+/).filter(Boolean);
  if (scopes.length !== 1 || !scopes[0]?.endsWith('/.default')) return undefined;
  const resource = (scopes[0] as string).slice(0, -'/.default'.length).replace(/\/$/, '');
  return resource === graphResource || resource === origin ? resource : undefined;
}

export function createIdentityRoutes(deps: IdentityRouteDeps): Hono {
  const { tenant, stats } = deps;
  const app = new Hono();

  app.get('/common/discovery/instance', (c) => {
    const host = new URL(c.req.url).host;
    return c.json({
      tenant_discovery_endpoint: `${originOf(c)}/${tenant.credentials.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  app.get('/:tenant/v2.0/.well-known/openid-configuration', (c) => {
    const reference = c.req.param('tenant');
    if (!knowsTenant(tenant, reference)) return unknownTenant(c, reference);
    return c.json(openIdConfiguration(originOf(c), tenant.credentials.tenantId));
  });

  // Tokens are HMAC-signed: there is no public key to publish, but MSAL's discovery expects the document.
  app.get('/:tenant/discovery/v2.0/keys', (c) => c.json({ keys: [] }));

  app.post('/:tenant/oauth2/v2.0/token', async (c) => {
    const reference = c.req.param('tenant');
    if (!knowsTenant(tenant, reference)) return unknownTenant(c, reference);
    const form = await c.req.parseBody();
    const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const credentials = tenant.credentials;

    if (field('grant_type') !== 'client_credentials') {
      return entraError(c, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${field('grant_type') ?? ''}'.`);
    }
    const clientId = field('client_id');
    if (!clientId || clientId.toLowerCase() !== credentials.clientId.toLowerCase()) {
      stats.tokenRefused();
      return entraError(
        c,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId ?? ''}' was not found in the directory '${tenant.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    const audience = graphAudienceOf(field('scope') ?? '', originOf(c));
    if (!audience) {
      return entraError(
        c,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${field('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    switch (credentials.checkSecret(field('client_secret'))) {
      case 'missing':
        stats.tokenRefused();
        return entraError(c, 401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
      case 'invalid':
        stats.tokenRefused();
        return entraError(
          c,
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${credentials.clientId}'.`,
        );
      case 'expired':
        stats.tokenRefused();
        return entraError(c, 401, 'invalid_client', 7000222, `The provided client secret keys for app '${credentials.clientId}' are expired. Visit the Azure portal to create new keys for your app.`);
      case 'valid':
        break;
    }

    const accessToken = await credentials.issueAccessToken({
      audience,
      issuer: `https://sts.windows.net/${credentials.tenantId}/`,
      lifetimeSeconds: deps.tokenLifetimeSeconds,
    });
    stats.tokenIssued();
    return c.json({ token_type: 'Bearer', expires_in: deps.tokenLifetimeSeconds, ext_expires_in: deps.tokenLifetimeSeconds, access_token: accessToken });
  });

  return app;
}

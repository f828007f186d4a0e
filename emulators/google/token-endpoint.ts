import { Hono, type Context } from 'hono';
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { EmulatorContext } from './context.js';
import type { ServiceAccountRecord } from './credentials.js';
import { OAuthError } from './errors.js';

const jwtBearerGrant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The audiences Google's token endpoint accepts; google-auth-library sends the first. */
const acceptedAudiences: ReadonlySet<string> = new Set(['https://oauth2.googleapis.com/token', 'https://www.googleapis.com/oauth2/v4/token', 'https://accounts.google.com/o/oauth2/token']);

const maxLifetimeSeconds = 3600;
/** Emulator's choice: how far ahead of the emulator's clock an `iat` may be. */
const allowedClockSkewSeconds = 300;

const invalidSignature = () => new OAuthError(400, 'invalid_grant', 'Invalid JWT Signature.');
const invalidTimeframe = () =>
  new OAuthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');

interface Assertion {
  account: ServiceAccountRecord;
  claims: JWTPayload & { scope?: unknown };
}

async function verifyAssertion(ctx: EmulatorContext, assertion: string): Promise<Assertion> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(assertion);
    unverified = decodeJwt(assertion);
  } catch {
    // Emulator's choice of wording for an assertion that is not a JWT at all.
    throw new OAuthError(400, 'invalid_grant', 'Invalid JWT: the assertion could not be parsed.');
  }
  const account = typeof unverified.iss === 'string' ? ctx.state.credentials.find(unverified.iss) : undefined;
  if (!account || header.alg !== 'RS256') throw invalidSignature();

  // google-auth-library signs without a `kid`, so any active key of the account may match.
  const candidates = ctx.state.credentials.activeKeys(account).filter((key) => header.kid === undefined || key.keyId === header.kid);
  for (const candidate of candidates) {
    try {
      const { payload } = await compactVerify(assertion, candidate.key, { algorithms: ['RS256'] });
      return { account, claims: JSON.parse(new TextDecoder().decode(payload)) as Assertion['claims'] };
    } catch {
      // Try the next key.
    }
  }
  throw invalidSignature();
}

function checkTimeframe(claims: JWTPayload, nowSeconds: number): void {
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number') throw invalidTimeframe();
  if (exp - iat > maxLifetimeSeconds || exp <= iat) throw invalidTimeframe();
  if (iat > nowSeconds + allowedClockSkewSeconds || exp <= nowSeconds) throw invalidTimeframe();
}

function requestedScopes(claims: Assertion['claims']): string[] {
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
  const looksLikeGoogleScope = (scope: string) => scope.startsWith('https://www.googleapis.com/auth/') || scope === 'https://mail.google.com/';
  if (scopes.length === 0 || !scopes.every(looksLikeGoogleScope)) {
    throw new OAuthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  }
  return scopes;
}

/** Domain-wide delegation: the tenant must have authorized this client id for every scope asked. */
function checkDelegation(account: ServiceAccountRecord, scopes: string[]): void {
  if (account.dwdScopes.length === 0) {
    throw new OAuthError(401, 'unauthorized_client', 'Unauthorized client or scope in request.');
  }
  if (!scopes.every((scope) => account.dwdScopes.includes(scope))) {
    throw new OAuthError(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
  }
}

async function issueToken(ctx: EmulatorContext, c: Context): Promise<Response> {
  const form = new URLSearchParams(await c.req.text());
  const grantType = form.get('grant_type');
  if (grantType !== jwtBearerGrant) {
    throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  }
  const assertion = form.get('assertion');
  if (!assertion) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: assertion');

  const { account, claims } = await verifyAssertion(ctx, assertion);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === 'string' && acceptedAudiences.has(aud))) {
    // Emulator's choice of wording; Google refuses other audiences with invalid_grant.
    throw new OAuthError(400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
  }
  checkTimeframe(claims, Math.floor(ctx.options.now() / 1000));
  const scopes = requestedScopes(claims);

  let subject: string | null = null;
  if (typeof claims.sub === 'string' && claims.sub !== '' && claims.sub.toLowerCase() !== account.clientEmail) {
    const user = ctx.state.users.find(claims.sub);
    // A subject Google cannot impersonate gets invalid_grant "Invalid email or User ID": missing (service-
    // account guide, JWT error codes); suspended (Google documents no text of its own; troubleshooting
    // tables of public integrations list this one); or made by users.insert a moment ago and still
    // propagating (users.insert reference: "propagation delay in our backends").
    const propagating = user?.tokensRefusedUntil !== undefined && ctx.options.now() < user.tokensRefusedUntil;
    if (!user || user.suspended || propagating) throw new OAuthError(400, 'invalid_grant', 'Invalid email or User ID');
    checkDelegation(account, scopes);
    subject = user.primaryEmail;
  }

  const lifetime = ctx.options.tokenLifetimeSeconds;
  const accessToken = ctx.state.credentials.issueToken(account, subject, scopes, lifetime, ctx.options.now());
  return c.json({ access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' });
}

/** POST /token: the stand-in for https://oauth2.googleapis.com/token (JWT-bearer grant only). */
export function tokenRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  const handler = (c: Context) => issueToken(ctx, c);
  app.post('/token', handler);
  app.post('/oauth2/v4/token', handler);
  return app;
}

import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppCredentials, TokenCheck } from '../identity/credentials.js';
import type { TenantState } from '../state/tenant.js';
import type { RefusalReason, ThrottleGovernor } from '../throttle/governor.js';
import type { RequestStats } from '../throttle/stats.js';
import type { GraphEnv } from './env.js';
import { graphError } from './graph-error.js';

/** request-id / client-request-id as Graph echoes them, for the error envelope's innerError. */
export function requestContext(): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const requestId = randomUUID();
    const clientRequestId = c.req.header('client-request-id') ?? requestId;
    c.set('requestId', requestId);
    c.set('clientRequestId', clientRequestId);
    c.header('request-id', requestId);
    c.header('client-request-id', clientRequestId);
    await next();
  };
}

/** Counts every answer by the route pattern that produced it (GET /_control/stats). */
export function recordStats(stats: RequestStats): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    await next();
    const route = matchedRoutes(c)
      .filter((candidate) => candidate.method !== 'ALL')
      .pop();
    stats.record(route ? `${route.method} ${route.path}` : `${c.req.method} (no route)`, c.res.status);
  };
}

const invalidTokenMessages: Record<Exclude<TokenCheck, { valid: true }>['reason'], string> = {
  missing: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  invalid: 'Access token validation failure.',
  expired: 'Access token has expired or is not yet valid.',
};

/** 401 InvalidAuthenticationToken, Graph's shape and WWW-Authenticate header, for anything but a live token. */
export function requireBearerToken(credentials: AppCredentials): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const check = await credentials.verifyAccessToken(token);
    if (!check.valid) {
      return graphError(c, 401, 'InvalidAuthenticationToken', invalidTokenMessages[check.reason], {
        'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
      });
    }
    c.set('roles', check.roles);
    await next();
  };
}

const refusals: Record<RefusalReason, { code: string; message: string }> = {
  concurrency: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' },
  budget: { code: 'ApplicationThrottled', message: 'Application is over its MailboxRequests limit for this mailbox.' },
  // Injected faults can hit any Graph route, so the message names no particular limit.
  injected: { code: 'ApplicationThrottled', message: 'Application is over its request limit.' },
};

function refuse(c: Parameters<MiddlewareHandler<GraphEnv>>[0], stats: RequestStats, reason: RefusalReason, retryAfterSeconds: number): Response {
  stats.refused(reason);
  const { code, message } = refusals[reason];
  return graphError(c, 429, code, message, { 'Retry-After': String(retryAfterSeconds) });
}

/** The control API's fault ratio: a share of Graph requests answers 429 whatever the load. */
export function injectFaults(governor: ThrottleGovernor, stats: RequestStats): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const retryAfter = governor.injectedRefusal();
    if (retryAfter !== undefined) return refuse(c, stats, 'injected', retryAfter);
    await next();
  };
}

/** Outlook's per-mailbox concurrency and request budget on the mail routes. */
export function throttleMailbox(governor: ThrottleGovernor, tenant: TenantState, stats: RequestStats): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const user = tenant.findUser(c.req.param('userId') ?? '');
    if (!user) return next();
    const admission = governor.admit(user.id);
    if (!admission.admitted) return refuse(c, stats, admission.reason, admission.retryAfterSeconds);
    try {
      await governor.passGate();
      await next();
    } finally {
      admission.release();
    }
  };
}

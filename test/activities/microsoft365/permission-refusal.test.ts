import { ApplicationFailure } from '@temporalio/activity';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { UserErrorCode } from '../../../shared/vocabulary.js';
import type { GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { missingPermissions, tokenGrants } from '../../../connectors/microsoft365/graph-permissions.js';
import { graphFailure } from '../../../activities/failures.js';
import { graphPermissionRefusal } from '../../../activities/microsoft365/permission-refusal.js';

/** An unsigned JWT with these claims: only its payload is read. */
function tokenWith(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

const now = () => Math.floor(Date.now() / 1000);

/** A connection whose held token and next token are given; counts the forced refreshes. */
function connectionWith(held: string, next: string = held): GraphConnection & { refreshes: number } {
  const connection = {
    refreshes: 0,
    client: undefined as never,
    getMimeContent: () => Promise.reject(new Error('unused')),
    getBinary: () => Promise.reject(new Error('unused')),
    acquireToken: (options: { forceRefresh?: boolean } = {}) => {
      if (!options.forceRefresh) return Promise.resolve(held);
      connection.refreshes += 1;
      held = next;
      return Promise.resolve(next);
    },
  };
  return connection;
}

function graphError(status: number, code: string, message: string): GraphError {
  const error = new GraphError(status, message);
  error.code = code;
  return error;
}

const permissionRefused = () => graphFailure(graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'));
const settings = { tokenRecheckAfterMs: 60_000 };

describe('Graph refusals for want of an application permission', () => {
  it('reads roles and issue time from a token, and names what the sync lacks', () => {
    const grants = tokenGrants(tokenWith({ roles: ['Mail.Read', 'User.Read.All'], iat: 1_700_000_000 }));
    expect(grants).toEqual({ roles: ['Mail.Read', 'User.Read.All'], issuedAtMs: 1_700_000_000_000 });
    expect(tokenGrants('not a token')).toEqual({ roles: [], issuedAtMs: null });
    expect(missingPermissions(grants.roles, ['mail', 'contacts', 'calendar'])).toEqual(['GroupMember.Read.All', 'Contacts.Read', 'Calendars.Read']);
    expect(missingPermissions(['Directory.Read.All', 'Mail.ReadWrite', 'Calendars.ReadWrite'], ['mail', 'calendar'])).toEqual([]);
  });

  it('turns 403 ErrorAccessDenied into PERMISSION_NOT_GRANTED naming the permission when a recent token lacks it', async () => {
    const graph = connectionWith(tokenWith({ roles: ['Mail.Read', 'User.Read.All'], iat: now() }));
    const failure = await graphPermissionRefusal(graph, permissionRefused(), 'calendar', settings);
    expect(failure?.type).toBe(UserErrorCode.PermissionNotGranted);
    expect(failure?.nonRetryable).toBe(true);
    expect(failure?.message).toContain('Calendars.Read');
    expect(failure?.details?.[0]).toMatchObject({ service: 'microsoft365', status: 403, code: 'ErrorAccessDenied', missingPermission: 'Calendars.Read', dataType: 'calendar' });
    // A token a few seconds old says what consent is now: no extra token request.
    expect(graph.refreshes).toBe(0);
  });

  it('leaves MAILBOX_ACCESS_DENIED alone when the token carries the permission (an application access policy)', async () => {
    const graph = connectionWith(tokenWith({ roles: ['Calendars.ReadWrite'], iat: now() }));
    const policyRefusal = graphFailure(graphError(403, 'ErrorAccessDenied', 'Access to OData is disabled.'));
    expect(await graphPermissionRefusal(graph, policyRefusal, 'calendar', settings)).toBeNull();
    expect(await graphPermissionRefusal(graph, graphError(403, 'ErrorAccessDenied', 'Access to OData is disabled.'), 'calendar', settings)).toBeNull();
  });

  it('asks for a new token when the held one is old: consent given since makes the refusal retryable', async () => {
    const stale = tokenWith({ roles: ['Mail.Read'], iat: now() - 3600 });
    const consented = connectionWith(stale, tokenWith({ roles: ['Mail.Read', 'Contacts.Read'], iat: now() }));
    const retry = await graphPermissionRefusal(consented, permissionRefused(), 'contacts', settings);
    expect(consented.refreshes).toBe(1);
    expect(retry?.type).toBe(UserErrorCode.MailboxAccessDenied);
    expect(retry?.nonRetryable).toBe(false);

    const stillMissing = connectionWith(stale, tokenWith({ roles: ['Mail.Read'], iat: now() }));
    const failure = await graphPermissionRefusal(stillMissing, permissionRefused(), 'contacts', settings);
    expect(stillMissing.refreshes).toBe(1);
    expect(failure?.type).toBe(UserErrorCode.PermissionNotGranted);
    expect(failure?.message).toContain('Contacts.Read');
  });

  it('ignores every other error', async () => {
    const graph = connectionWith(tokenWith({ roles: [], iat: now() }));
    for (const err of [
      graphFailure(graphError(429, 'ApplicationThrottled', 'slow down')),
      ApplicationFailure.create({ type: UserErrorCode.MailboxAccessDenied, message: 'suspended', details: [{ service: 'google-workspace' }] }),
      new Error('boom'),
    ]) {
      expect(await graphPermissionRefusal(graph, err, 'mail', settings)).toBeNull();
    }
  });
});

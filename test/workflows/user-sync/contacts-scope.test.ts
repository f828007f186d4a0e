import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus, UserErrorCode } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { directoryScopes, gmailScopes } from '../../../connectors/google/google-clients.js';
import { control } from '../../helpers/emulator-control.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

/**
 * A tenant that authorized the sync's client id for mail only, then enabled
 * contacts in a policy: Google's token endpoint refuses the contacts scope.
 */
describe('user sync: contacts without the contacts scope authorized', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;

  beforeAll(async () => {
    fixture = await createSyncFixture({
      google: { serviceAccounts: [{ clientEmail: 'continuity-sync@emulator-project.iam.gserviceaccount.com', projectId: 'emulator-project', dwdScopes: [...directoryScopes, ...gmailScopes] }] },
    });
    user = fixture.m365.emulator.seed({ seed: 29, users: 1, messagesPerUser: 8, failingItemsPerUser: 0, groups: false }).users[0]!;
    await fixture.store.policies.update(fixture.policyId, { dataTypes: ['mail', 'contacts'] });
    await control(fixture.m365.url, `/_control/users/${encodeURIComponent(user.userPrincipalName)}/contacts`, { count: 3 });
  });
  afterAll(async () => fixture?.close());

  it('fails the user’s cycle with SCOPE_NOT_AUTHORIZED naming the scope, mail copied, the connection left working', async () => {
    const targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    const { handle } = await fixture.startSync(user);
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed, 120_000);

    expect(failed.lastError?.code).toBe(UserErrorCode.ScopeNotAuthorized);
    expect(failed.lastError?.message).toContain('https://www.googleapis.com/auth/contacts');
    // Mail went first and is all there.
    expect(fixture.google.emulator.messagesOf(targetEmail).length).toBe(failed.counts.imported);
    expect(failed.counts.imported).toBeGreaterThan(0);
    // Not the connection's credentials: it stays usable for every other user and type.
    expect((await fixture.store.connections.get(fixture.targetConnectionId))?.status).not.toBe('Error');
  });
});

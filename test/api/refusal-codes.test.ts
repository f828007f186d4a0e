import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommendedAction, UserErrorCode } from '../../shared/vocabulary.js';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy, seedUser } from '../store/fixtures.js';
import { apiClient, createApiApp, type ApiClient } from './support.js';

/** The user-level codes of a refused mailbox or account, through the API like every other code. */
describe('API: per-user refusal codes', () => {
  let temporal: TestTemporal;
  let store: Store;
  let api: ApiClient;
  const codes = [UserErrorCode.MailboxAccessDenied, UserErrorCode.NoMailbox, UserErrorCode.TargetAccountNotReady, UserErrorCode.PermissionNotGranted];
  const userIds = new Map<string, string>();

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    const { policy } = await seedPolicy(store, {});
    for (const [n, code] of codes.entries()) {
      const user = await seedUser(store, policy.id, n, { email: `refused${n}@contoso.com` });
      await store.syncUsers.update(user.id, { status: 'Failed', stage: 'Provisioning', error: { code, message: `Refused (${code}).`, details: { service: 'microsoft365' } } });
      userIds.set(code, user.id);
    }
    api = apiClient(createApiApp(temporal, store));
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  it('filters the list by each new code, and the detail panel shows its recommended action', async () => {
    for (const code of codes) {
      const list = await api.get<{ items: Array<{ userId: string; errorCode: string }> }>(`/api/sync-status?errorCode=${code}`);
      expect(list.status, code).toBe(200);
      expect(list.body.items.map((item) => item.userId)).toEqual([userIds.get(code)]);
      const detail = await api.get<{ error: { code: string; recommendedAction: string } }>(`/api/sync-status/${userIds.get(code)}`);
      expect(detail.body.error).toMatchObject({ code, recommendedAction: recommendedAction[code] });
    }
    expect(recommendedAction.MAILBOX_ACCESS_DENIED).toMatch(/access policy/);
    expect(recommendedAction.PERMISSION_NOT_GRANTED).toMatch(/API permissions.*admin consent/);
  });
});

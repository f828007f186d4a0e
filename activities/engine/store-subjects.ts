import type { Store } from '../../store/index.js';

/**
 * Whether the user's policy lets the items view keep a failed item's
 * subject or title. Asked at most once per activity, and only when an item
 * could not be copied.
 */
export function policyStoresSubjects(store: Store, syncUserId: string): () => Promise<boolean> {
  let answer: Promise<boolean> | undefined;
  return () => (answer ??= store.syncUsers.get(syncUserId).then(async (user) => (user ? ((await store.policies.get(user.policyId))?.storeSubjects ?? false) : false)));
}

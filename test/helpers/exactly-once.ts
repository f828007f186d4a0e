import { expect } from 'vitest';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import { sourceMessages } from './source-mailbox.js';
import { targetDomain, type SyncFixture } from './sync-fixture.js';

export const targetEmailOf = (user: DirectoryUser): string => `${user.mail!.split('@')[0]}@${targetDomain}`;

/** Messages in the user's Gmail mailbox so far (none before the account exists). */
export function messagesArrived(fixture: SyncFixture, user: DirectoryUser): number {
  const email = targetEmailOf(user);
  return fixture.google.emulator.getUser(email) ? fixture.google.emulator.messagesOf(email).length : 0;
}

/** Every message of the synced folders is in Gmail exactly once: none lost, none twice. Returns how many. */
export function expectEveryMessageOnce(fixture: SyncFixture, user: DirectoryUser): number {
  // Outbox and conversation history are not synced (README, "What is synced").
  const expected = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
  const arrived = fixture.google.emulator.messagesOf(targetEmailOf(user));
  const perId = new Map<string, number>();
  for (const message of arrived) perId.set(message.messageId!, (perId.get(message.messageId!) ?? 0) + 1);
  expect([...perId].filter(([, n]) => n > 1)).toEqual([]);
  expect(arrived.length).toBe(expected.length);
  for (const message of expected) expect(perId.get(message.internetMessageId), message.internetMessageId).toBe(1);
  return expected.length;
}

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { corpusDir, loadCorpus, spreadByMessageId, type CorpusMessage } from '../../helpers/mail-corpus.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

/**
 * The committed list of corpus messages that do not arrive in Gmail, each
 * with the code and reason the sync recorded. Regenerate it with
 * UPDATE_MAIL_CORPUS_REFUSALS=1 after a deliberate change, and review the diff.
 */
const refusalsFile = path.join(corpusDir, 'refusals.json');

interface Refusal {
  file: string;
  code: string;
  reason: string;
}

interface ControlMessage {
  sha256: string;
}

async function postJson(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('user sync: a corpus of real-world e-mails', () => {
  let fixture: SyncFixture;
  const corpus = loadCorpus();
  const mailboxes = spreadByMessageId(corpus);
  let users: DirectoryUser[];
  /** immutable id in the source mailbox → the corpus message posted there */
  const posted = new Map<string, CorpusMessage>();

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 53, users: mailboxes.length, messagesPerUser: 0, failingItemsPerUser: 0, groups: false }).users;
    for (const [index, messages] of mailboxes.entries()) {
      for (const message of messages) {
        const { status, json } = await postJson(`${fixture.m365.url}/_control/users/${encodeURIComponent(users[index]!.userPrincipalName)}/messages`, {
          folder: 'inbox',
          mime: message.bytes.toString('base64'),
          isRead: false,
        });
        expect(status, `${message.file}: ${JSON.stringify(json)}`).toBe(201);
        posted.set(json.immutableId as string, message);
      }
    }
  });
  afterAll(async () => fixture?.close());

  it('copies every message Gmail accepts byte for byte (sha256) and lists each one it does not, with its reason', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    const runs = await Promise.all(users.map((user) => fixture.startSync(user)));
    const arrivedSha = new Set<string>();
    const refusals: Refusal[] = [];
    for (const [index, run] of runs.entries()) {
      const snapshot = await waitForSnapshot(run.handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 120_000);
      expect(snapshot.lastError).toBeNull();
      const target = `${users[index]!.mail!.split('@')[0]}@${targetDomain}`;
      // The Gmail emulator's control API: each stored message with the sha256 of its raw bytes.
      const listed = (await (await fetch(`${fixture.google.url}/_control/users/${encodeURIComponent(target)}/messages`)).json()) as { messages: ControlMessage[] };
      for (const message of listed.messages) arrivedSha.add(message.sha256);
      const expectedHere = mailboxes[index]!;
      const items = await fixture.store.items.list({ syncUserId: run.syncUserId, limit: 200 });
      for (const item of items.items) {
        const message = posted.get(item.sourceItemId);
        expect(message, `item ${item.sourceItemId}`).toBeDefined();
        refusals.push({ file: message!.file, code: item.errorCode, reason: item.reason });
      }
      // Nothing arrived twice and nothing arrived that was not posted.
      expect(listed.messages.length + items.items.length).toBe(expectedHere.length);
    }

    for (const message of corpus) {
      const refused = refusals.some((refusal) => refusal.file === message.file);
      expect(arrivedSha.has(message.sha256) || refused, `${message.file} neither arrived byte for byte nor was listed`).toBe(true);
      expect(arrivedSha.has(message.sha256) && refused, `${message.file} both arrived and was listed`).toBe(false);
    }
    expect(arrivedSha.size).toBeGreaterThanOrEqual(100);

    refusals.sort((a, b) => a.file.localeCompare(b.file));
    if (process.env.UPDATE_MAIL_CORPUS_REFUSALS === '1') writeFileSync(refusalsFile, `${JSON.stringify(refusals, null, 2)}\n`);
    expect(refusals).toEqual(JSON.parse(readFileSync(refusalsFile, 'utf8')) as Refusal[]);
  });

  it('covers what the corpus is for: LF-only, 8-bit, no Message-ID, shared Message-IDs, obsolete syntax, long lines', () => {
    const text = (message: CorpusMessage) => message.bytes.toString('latin1');
    const header = (message: CorpusMessage) => text(message).split(/\r?\n\r?\n/, 1)[0] ?? '';
    expect(corpus.filter((m) => !text(m).includes('\r\n')).length).toBeGreaterThanOrEqual(5);
    expect(corpus.filter((m) => /[\x80-\xff]/.test(text(m))).length).toBeGreaterThanOrEqual(10);
    expect(corpus.filter((m) => m.messageId === null).length).toBeGreaterThanOrEqual(10);
    expect(mailboxes.length).toBeGreaterThan(1);
    expect(corpus.filter((m) => /^[\x21-\x39\x3b-\x7e]+[ \t]+:/m.test(header(m))).length).toBeGreaterThanOrEqual(2);
    expect(corpus.some((m) => /^content-transfer-encoding:\s*binary/im.test(text(m)))).toBe(true);
    expect(
      corpus.some((m) =>
        text(m)
          .split(/\r?\n/)
          .some((line) => line.length > 998),
      ),
    ).toBe(true);
    expect(corpus.filter((m) => m.strippedMboxLine).length).toBeGreaterThan(0);
  });
});

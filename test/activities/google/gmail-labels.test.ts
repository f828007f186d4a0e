import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { GmailLabels, LabelUnavailableError } from '../../../activities/google/gmail-labels.js';
import { maxLabelNameLength } from '../../../activities/google/gmail-label-rules.js';
import { userLabelNameForPath } from '../../../activities/mail/labels.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';

// The sync's label cache against the Google emulator, through googleapis: what it does when Gmail refuses a name.
let google: StartedGoogleEmulator;
let gmail: gmail_v1.Gmail;
const mailbox = 'ann@example.com';
const unpaced = <T>(_cost: number, task: () => Promise<T>) => task();

beforeAll(async () => {
  google = await startGoogleEmulator({
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: mailbox, givenName: 'Ann', familyName: 'Lee' },
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => {
  google.emulator.reset();
  gmail = createGoogleClients(google.googleSettings).gmailFor(mailbox);
});

const labelNames = async () =>
  ((await gmail.users.labels.list({ userId: 'me' })).data.labels ?? [])
    .filter((l) => l.type === 'user')
    .map((l) => l.name)
    .sort();

describe('GmailLabels: names Gmail refuses', () => {
  it('maps Archive, localised system names and over-long paths to names Gmail takes, before asking', async () => {
    expect(userLabelNameForPath(['Archive'])).toBe('Archive (Outlook)');
    expect(userLabelNameForPath(['Archive', '2023'])).toBe('Archive (Outlook)/2023');
    expect(userLabelNameForPath(['Posteingang', 'Kunden'])).toBe('Posteingang (Outlook)/Kunden');
    expect(userLabelNameForPath(['Inbox', 'Clients'])).toBe('Inbox folders/Clients');
    expect(userLabelNameForPath(['Projects', 'Archive'])).toBe('Projects/Archive');
    const long = userLabelNameForPath(['Projects', 'x'.repeat(300)]);
    expect([...long].length).toBeLessThanOrEqual(maxLabelNameLength);
    expect(long).toMatch(/^Projects\/x+ ~[0-9a-f]{8}$/);
    expect(userLabelNameForPath(['Projects', 'x'.repeat(300)])).toBe(long);
    expect(userLabelNameForPath(['Projects', `${'x'.repeat(299)}y`])).not.toBe(long);

    const labels = new GmailLabels(gmail, mailbox, unpaced);
    for (const name of ['Archive (Outlook)/2023', 'Posteingang (Outlook)/Kunden', long]) expect((await labels.ensureNamed(name)).name).toBe(name);
    expect(await labelNames()).toEqual(['Archive (Outlook)', 'Archive (Outlook)/2023', 'Posteingang (Outlook)', 'Posteingang (Outlook)/Kunden', 'Projects', long].sort());
  });

  it('answers a refused name with the first alternative Gmail takes, for that part and everything under it, the same after a restart', async () => {
    const labels = new GmailLabels(gmail, mailbox, unpaced);
    // 400 "Invalid label name" (a reserved name asked for as is) and 409 with no such label to be seen (hidden [Gmail]).
    const muted = await labels.ensureNamed('Muted');
    expect(muted.name).toBe('Muted (Outlook)');
    const sent = await labels.ensureNamed('[Gmail]/Sent Mail');
    expect(sent.name).toBe('[Gmail] (Outlook)/Sent Mail');
    expect(await labelNames()).toEqual(['Muted (Outlook)', '[Gmail] (Outlook)', '[Gmail] (Outlook)/Sent Mail']);

    // Another worker (no cache) lands on the same labels and creates nothing.
    const before = google.emulator.stats().totalRequests;
    const again = new GmailLabels(gmail, mailbox, unpaced);
    expect(await again.ensureNamed('Muted')).toEqual(muted);
    expect(await again.ensureNamed('[Gmail]/Sent Mail')).toEqual(sent);
    expect(await labelNames()).toHaveLength(3);
    // This worker remembers what Gmail refused: asking again sends nothing.
    const afterRestart = google.emulator.stats().totalRequests;
    await again.ensureNamed('Muted');
    expect(google.emulator.stats().totalRequests).toBe(afterRestart);
    expect(afterRestart).toBeGreaterThan(before);
  });

  it('reuses a label the user already has in another case, and never takes a system label by its name', async () => {
    const { data: own } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'clients' } });
    const labels = new GmailLabels(gmail, mailbox, unpaced);
    expect(await labels.ensureNamed('Clients')).toEqual({ id: own.id, name: 'Clients' });
    const inbox = await labels.ensureNamed('INBOX');
    expect(inbox.id).not.toBe('INBOX');
    expect(inbox.name).toBe('INBOX (Outlook)');
  });

  it("throws LabelUnavailableError, with Google's answer, when every alternative is refused too", async () => {
    const labels = new GmailLabels(gmail, mailbox, unpaced);
    const error = await labels.ensureNamed('CATEGORY_Old').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LabelUnavailableError);
    expect((error as LabelUnavailableError).lastRefusal).toMatchObject({ kind: 'invalid', status: 400, message: 'Invalid label name' });
    expect((error as Error).message).not.toContain('CATEGORY_Old');
    expect(await labelNames()).toEqual([]);
  });
});

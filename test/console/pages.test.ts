import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAGMENT_HEADER } from '../../api/console/session-auth.js';
import { recommendedAction } from '../../shared/vocabulary.js';
import { SyncUserSchema, type SyncUserEntity } from '../../store/entities/index.js';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy } from '../store/fixtures.js';
import { createConsoleStack, signIn, type ConsoleStack } from './support.js';

const USERS = 10_000;
const FAILED_EVERY = 400;
const origin = 'http://console.test';
const emailOf = (n: number) => `user${String(n).padStart(5, '0')}@contoso.com`;

/** 10,000 users straight into the table (the repository's one-by-one upsert would take minutes); every 400th Failed. */
async function seedUsers(store: Store, policyId: string): Promise<SyncUserEntity[]> {
  const now = new Date();
  const rows: SyncUserEntity[] = [];
  for (let n = 0; n < USERS; n++) {
    const failed = n % FAILED_EVERY === 7;
    rows.push({
      id: randomUUID(),
      policyId,
      sourceUserId: `source-${n}`,
      workflowId: `console-pages-${policyId}-${n}`,
      runId: null,
      sourceEmail: emailOf(n),
      targetEmail: emailOf(n).replace('@contoso.com', '@example.com'),
      displayName: `Person ${n}`,
      status: failed ? 'Failed' : 'Synced',
      stage: 'Recurring',
      errorCode: failed ? 'AUTH_TOKEN_EXPIRED' : null,
      errorMessage: failed ? 'Microsoft 365 refused the credentials: the client secret has expired.' : null,
      errorAt: failed ? now : null,
      errorDetails: failed ? { service: 'microsoft365', status: 401, code: 'invalid_client' } : null,
      pausedReason: null,
      googleUserId: `google-${n}`,
      lastSyncAt: now,
      nextSyncAt: new Date(now.getTime() + 300_000),
      lastProgressAt: now,
      exported: 12,
      imported: 12,
      failed: 0,
      skipped: 0,
      countsByType: { mail: { exported: 12, imported: 12, failed: 0, skipped: 0 } },
      initialSyncTotal: 12,
      createdAt: now,
      updatedAt: now,
    });
  }
  const em = store.orm.em.fork();
  for (let start = 0; start < rows.length; start += 500) await em.insertMany(SyncUserSchema, rows.slice(start, start + 500));
  return rows;
}

const unescape = (html: string) => html.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');

function linkWithRel(html: string, rel: 'next' | 'prev'): string {
  const match = new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html);
  if (!match) throw new Error(`no ${rel} link`);
  return unescape(match[1]!);
}

const rowEmails = (html: string) => [...html.matchAll(/<div class="muted small">(user\d{5}@contoso\.com)<\/div>/g)].map((match) => match[1]);
const summaryOf = (html: string) => unescape(/data-testid="page-summary">([^<]+)</.exec(html)?.[1] ?? '');

describe('console pages, server-rendered from the API', () => {
  let temporal: TestTemporal;
  let store: Store;
  let stack: ConsoleStack;
  let cookie: string;
  let users: SyncUserEntity[];
  let policyId: string;

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const res = await stack.fetch(new Request(`${origin}${path}`, { headers: { cookie, ...headers } }));
    return { status: res.status, html: await res.text() };
  };

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    const seeded = await seedPolicy(store, { name: 'Everyone at Contoso' });
    policyId = seeded.policy.id;
    users = await seedUsers(store, policyId);
    const failedUser = users[7]!;
    await store.audit.write({
      severity: 'Error',
      category: 'sync',
      code: 'AUTH_TOKEN_EXPIRED',
      message: `The sync of ${failedUser.sourceEmail} failed.`,
      syncUserId: failedUser.id,
      policyId,
      details: { status: 401 },
    });
    await store.audit.write({ severity: 'Info', category: 'policy', code: 'POLICY_ENABLED', message: 'Policy "Everyone at Contoso" was enabled.', policyId });
    await store.audit.write({ severity: 'Warning', category: 'connection', code: 'CREDENTIALS_REJECTED', message: 'New credentials were not saved.', connectionId: seeded.source.id });
    stack = createConsoleStack(temporal, store);
    ({ cookie } = await signIn(stack));
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  it('pages through 10,000 users with keyset links, forward and back', async () => {
    const first = await page('/sync-status');
    expect(first.status).toBe(200);
    expect(summaryOf(first.html)).toBe('Showing 1–50 of 10,000');
    expect(rowEmails(first.html)).toEqual(Array.from({ length: 50 }, (_, n) => emailOf(n)));

    const second = await page(linkWithRel(first.html, 'next'));
    expect(summaryOf(second.html)).toBe('Showing 51–100 of 10,000');
    expect(rowEmails(second.html)[0]).toBe(emailOf(50));

    const third = await page(linkWithRel(second.html, 'next'));
    expect(rowEmails(third.html)[0]).toBe(emailOf(100));
    const backToSecond = await page(linkWithRel(third.html, 'prev'));
    expect(summaryOf(backToSecond.html)).toBe('Showing 51–100 of 10,000');
    expect(rowEmails(backToSecond.html)).toEqual(rowEmails(second.html));
    const backToFirst = await page(linkWithRel(backToSecond.html, 'prev'));
    expect(rowEmails(backToFirst.html)).toEqual(rowEmails(first.html));
  });

  it('filters by status with the counts per status, and keeps the filter while paging', async () => {
    const failed = await page('/sync-status?status=Failed&limit=25');
    expect(summaryOf(failed.html)).toBe('Showing 1–25 of 25');
    expect(failed.html.match(/data-testid="status"/g)).toHaveLength(25);
    expect(failed.html).not.toContain('>Synced</span>');
    expect(unescape(failed.html)).toMatch(/Synced <span class="tabs__count">9,975<\/span>/);
    expect(failed.html).not.toContain('rel="next"');

    const search = await page('/sync-status?q=user0004');
    expect(rowEmails(search.html)).toEqual(Array.from({ length: 10 }, (_, n) => emailOf(40 + n)));
  });

  it('ignores filter values the API would refuse instead of showing an error', async () => {
    const res = await page('/sync-status?status=Nope&policyId=abc&limit=7&cursor=%%%');
    expect(res.status).toBe(200);
    expect(summaryOf(res.html)).toBe('Showing 1–50 of 10,000');
  });

  it('opens the detail panel with the error code and the action the support article recommends', async () => {
    const failedUser = users[7]!;
    const { html } = await page(`/sync-status?status=Failed&user=${failedUser.id}`);
    const text = unescape(html);
    expect(text).toContain('data-testid="detail-panel"');
    expect(text).toContain('Authentication token expired');
    expect(text).toContain('<code data-testid="error-code">AUTH<wbr/>_TOKEN<wbr/>_EXPIRED</code>');
    expect(text).toContain('the client secret has expired');
    expect(text).toContain(recommendedAction.AUTH_TOKEN_EXPIRED);
    expect(text).toContain('<a href="/connections">Go to Connections</a>');
    // Not paused: Pause and Retry apply, Resume does not.
    expect(text).toContain(`data-api="POST /api/sync-status/${failedUser.id}/retry" data-testid="retry"`);
    expect(text).toContain(`data-api="POST /api/sync-status/${failedUser.id}/pause" data-testid="pause"`);
    expect(text).toContain(`data-api="POST /api/sync-status/${failedUser.id}/resume" disabled="" data-testid="resume"`);
    expect(text).toContain('/namespaces/default/workflows/');
  });

  it("answers the script's refresh with the live part only", async () => {
    const full = await page('/sync-status?status=Failed');
    const fragment = await page('/sync-status?status=Failed', { [FRAGMENT_HEADER]: 'live' });
    expect(full.html).toContain('<html');
    expect(fragment.html).not.toContain('<html');
    expect(fragment.html).not.toContain('class="sidebar"');
    expect(fragment.html).toContain('data-testid="users-table"');
    expect(full.html).toContain(fragment.html);
  });

  it('shows the dashboard figures, each linking to the filtered list', async () => {
    const { html } = await page('/');
    expect(html).toContain('<span class="stat__value" data-testid="total-users">10,000</span>');
    expect(html).toContain('<span class="stat__value" data-testid="failed-users">25</span>');
    expect(unescape(html)).toContain('href="/sync-status?status=Failed"');
    expect(html).toContain('View all 25 failed users');
    expect(html).toContain(emailOf(7));
  });

  it('filters the audit log by severity and by a user typed as an email address', async () => {
    const errors = await page('/audit-logs?severity=Error');
    expect(errors.html.match(/data-testid="audit-entry"/g)).toHaveLength(1);
    expect(errors.html).toContain('data-severity="Error"');
    expect(errors.html).not.toContain('data-severity="Info"');

    const byUser = await page(`/audit-logs?user=${encodeURIComponent(emailOf(7).toUpperCase())}`);
    expect(byUser.html.match(/data-testid="audit-entry"/g)).toHaveLength(1);
    expect(byUser.html).toContain(`value="${emailOf(7)}"`);

    const nobody = await page('/audit-logs?user=nobody%40contoso.com');
    expect(unescape(nobody.html)).toContain('No user matches “nobody@contoso.com”.');
    expect(nobody.html).not.toContain('data-testid="audit-entry"');
  });

  it('lists policies with their state and users, and opens the edit form with the saved values', async () => {
    const list = await page('/policies');
    expect(list.html).toContain('Everyone at Contoso');
    expect(list.html).toContain('>Enabled</span>');
    expect(list.html).toContain('10,000 users');
    expect(list.html).toContain(`data-api="POST /api/policies/${policyId}/disable"`);

    const edit = await page(`/policies/${policyId}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('value="Everyone at Contoso"');
    expect(edit.html).toMatch(/id="policy-allUsers" name="allUsers" type="checkbox" checked/);
    // The seeded connections point nowhere: the preview says why instead of failing the page.
    expect(edit.html).toContain('The preview could not be read');
  });
});

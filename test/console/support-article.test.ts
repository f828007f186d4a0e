import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import { recommendedAction, SyncStatus } from '../../shared/vocabulary.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../helpers/sync-fixture.js';
import { badgeText, collectPageErrors, launchChromium, overflowsHorizontally, screenshot, unlabelledControls } from './browser.js';
import { consoleApiToken, createConsoleStack, serveConsole, type ConsoleStack, type RunningConsole } from './support.js';

/**
 * The support article ("A user's sync status shows Failed", "All users are
 * failing", "Syncs are not running", "Data discrepancies") walked in a real
 * headless Chromium, against the API and console wired as `npm start` wires
 * them, a real Temporal worker and both emulators failing for real.
 */

async function control(baseUrl: string, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return (await res.json().catch(() => ({}))) as Record<string, unknown>;
}

const SLOW = { timeout: 45_000, interval: 250 };

/** What the API itself says, to compare the pages with (the test's own calls, with the token). */
async function apiCall<T>(stack: ConsoleStack, method: 'GET' | 'POST', path: string): Promise<T> {
  const res = await stack.app.request(path, { method, headers: { authorization: `Bearer ${consoleApiToken}` } });
  return (await res.json()) as T;
}

interface UserSummary {
  userId: string;
  counts: { exported: number; imported: number; failed: number; skipped: number };
}

describe('admin console: the support article, step by step, in Chromium', () => {
  let fixture: SyncFixture;
  let stack: ConsoleStack;
  let server: RunningConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let adele: DirectoryUser;
  let bruno: DirectoryUser;
  let chidi: DirectoryUser;
  const emailOf = (user: DirectoryUser) => (user.mail ?? user.userPrincipalName).toLowerCase();
  const targetOf = (user: DirectoryUser) => `${emailOf(user).split('@')[0]}@${targetDomain}`;
  const userRow = (user: DirectoryUser) => page.getByTestId('user-row').filter({ hasText: emailOf(user) });
  const statusOf = (user: DirectoryUser) => badgeText(userRow(user).getByTestId('status'));
  const sidebar = (name: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name });
  const go = async (path: string) => {
    await page.goto(`${server.url}${path}`);
    expect(await unlabelledControls(page)).toEqual([]);
  };

  beforeAll(async () => {
    fixture = await createSyncFixture();
    const people = [
      { givenName: 'Adele', surname: 'Vance' },
      { givenName: 'Bruno', surname: 'Diaz' },
      { givenName: 'Chidi', surname: 'Okafor' },
    ];
    [adele, bruno, chidi] = fixture.m365.emulator.seed({ seed: 41, users: 3, messagesPerUser: 12, failingItemsPerUser: [2, 0, 0], groups: false, people }).users as [
      DirectoryUser,
      DirectoryUser,
      DirectoryUser,
    ];
    // Chidi's Google account cannot be created: Google says why.
    await control(fixture.google.url, '/_control/provisioning-failures', { email: targetOf(chidi), status: 412, reason: 'conditionNotMet', message: 'Not enough licenses to create the user.' });
    const started = await Promise.all([adele, bruno, chidi].map((user) => fixture.startSync(user)));
    await Promise.all([
      waitForSnapshot(started[0]!.handle, (s) => s.status === SyncStatus.Synced),
      waitForSnapshot(started[1]!.handle, (s) => s.status === SyncStatus.Synced),
      waitForSnapshot(started[2]!.handle, (s) => s.status === SyncStatus.Failed),
    ]);

    stack = createConsoleStack(fixture.temporal, fixture.store, { refreshSeconds: 1 });
    server = await serveConsole(stack);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fixture?.close();
  });

  it('signs in with the API token into an httpOnly, SameSite=Strict session, with no secret in the page', async () => {
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('API token').fill(consoleApiToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/`);

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'session', httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    expect(await page.content()).not.toContain(consoleApiToken);

    expect(await page.getByTestId('failed-users').textContent()).toBe('1');
    expect(await page.getByTestId('total-users').textContent()).toBe('3');
    const dashboard = await apiCall<{ itemsSynced: number }>(stack, 'GET', '/api/dashboard');
    expect(dashboard.itemsSynced).toBeGreaterThan(0);
    expect(await page.getByTestId('items-synced').textContent()).toBe(String(dashboard.itemsSynced));
    await screenshot(page, 'dashboard');
  });

  it('"A user\'s sync status shows Failed": filter by Status Failed, open the user, read the error and the code', async () => {
    await sidebar('Sync status').click();
    // Loaded, its script included: a choice made before the script listens would submit nothing.
    await page.waitForURL(/\/sync-status$/);
    await page.getByLabel('Status', { exact: true }).selectOption('Failed');
    await page.waitForURL(/status=Failed/);
    expect(await page.getByTestId('user-row').count()).toBe(1);
    expect(await statusOf(chidi)).toBe('Failed');

    // Anywhere on the row opens the detail panel.
    await userRow(chidi).locator('td').nth(3).click();
    const panel = page.getByTestId('detail-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('error-code').textContent()).toBe('GOOGLE_USER_CREATION_FAILED');
    expect(await panel.getByTestId('error-message').textContent()).toContain('Not enough licenses');
    expect(await panel.getByTestId('recommended-action').textContent()).toContain(recommendedAction.GOOGLE_USER_CREATION_FAILED);
    expect(await panel.getByTestId('temporal-link').getAttribute('href')).toMatch(new RegExp(`^${inject('temporalUiUrl')}/namespaces/default/workflows/`));
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('panel-title');
    await screenshot(page, 'sync-status-failed-user');
  });

  it('"Data discrepancies": the items view lists the items that failed, with their reasons', async () => {
    await go(`/sync-status?q=${encodeURIComponent(emailOf(adele))}`);
    await userRow(adele).getByRole('link').click();
    const items = page.getByTestId('failed-items').locator('tbody tr');
    expect(await items.count()).toBe(2);
    expect(await page.getByTestId('failed-items').textContent()).toMatch(/Item too large[\s\S]*Encrypted item|Encrypted item[\s\S]*Item too large/);
    const [summary] = (await apiCall<{ items: UserSummary[] }>(stack, 'GET', `/api/sync-status?q=${encodeURIComponent(emailOf(adele))}`)).items;
    const { exported, imported, failed, skipped } = summary!.counts;
    expect(failed + skipped).toBe(2);
    // Each type shows its own stage beside its counts (the demo policy copies contacts too; this user has none).
    const rows = page.getByTestId('counts-by-type').locator('tbody tr');
    expect((await rows.filter({ hasText: 'Mail' }).textContent())?.replace(/\s+/g, '')).toBe(`MailRecurring${exported}${imported}${failed}${skipped}`);
    expect((await rows.filter({ hasText: 'Contacts' }).textContent())?.replace(/\s+/g, '')).toBe('ContactsRecurring0000');
    await screenshot(page, 'sync-status-items');
  });

  it('"All users are failing": the connection in Error, new credentials, Test connection, and the users recover on their own', async () => {
    await control(fixture.m365.url, '/_control/credentials/revoke');
    // Adele's retry from the panel meets the revoked secret; Bruno's next cycle does too.
    await page.getByTestId('retry').click();
    await expect.poll(() => page.getByTestId('error-code').textContent(), SLOW).toBe('AUTH_TOKEN_EXPIRED');
    expect(await page.getByTestId('recommended-action').textContent()).toContain(recommendedAction.AUTH_TOKEN_EXPIRED);
    const [brunoSummary] = (await apiCall<{ items: UserSummary[] }>(stack, 'GET', `/api/sync-status?q=${encodeURIComponent(emailOf(bruno))}`)).items;
    await apiCall(stack, 'POST', `/api/sync-status/${brunoSummary!.userId}/retry`);

    await page.getByRole('link', { name: 'Go to Connections' }).click();
    const microsoft = page.getByTestId('connection').filter({ hasText: 'Contoso Microsoft 365' });
    await expect.poll(() => badgeText(microsoft.getByTestId('connection-status')), SLOW).toBe('Error');
    expect(await microsoft.getByTestId('last-error').textContent()).toMatch(/credentials/i);
    await screenshot(page, 'connections-error');

    const { clientSecret } = (await control(fixture.m365.url, '/_control/credentials/rotate')) as { clientSecret: string };
    // The three-dot menu from the keyboard: Enter opens it on its first item, ArrowDown, Enter.
    await microsoft.getByTestId('menu-button').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Test connection');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog[open]');
    const secret = dialog.getByLabel('Client secret');
    expect(await secret.inputValue()).toBe('');
    await secret.fill(clientSecret);
    await dialog.getByRole('button', { name: 'Test and save' }).click();
    await expect.poll(() => page.locator('#announcer').textContent(), SLOW).toContain('were tested and saved');
    expect(await dialog.count()).toBe(0);
    expect(await page.content()).not.toContain(clientSecret);

    await microsoft.getByTestId('menu-button').click();
    await microsoft.getByTestId('test-connection').click();
    await expect.poll(() => page.locator('#announcer').textContent(), SLOW).toContain('Test connection succeeded');
    await expect.poll(() => badgeText(microsoft.getByTestId('connection-status')), SLOW).toBe('Active');
    await screenshot(page, 'connections');

    // The dialog never shows a secret again.
    await microsoft.getByTestId('menu-button').click();
    await microsoft.getByTestId('update-credentials').click();
    expect(await page.locator('dialog[open]').getByLabel('Client secret').inputValue()).toBe('');
    await page.locator('dialog[open]').getByRole('button', { name: 'Cancel' }).click();

    // "Rotating Google Workspace Credentials": a new JSON key file, chosen in the same dialog.
    const { serviceAccountKey } = (await control(fixture.google.url, '/_control/credentials/rotate')) as { serviceAccountKey: Record<string, unknown> };
    const google = page.getByTestId('connection').filter({ hasText: 'Example Google Workspace' });
    await google.getByTestId('menu-button').click();
    await google.getByTestId('update-credentials').click();
    const googleDialog = page.locator('dialog[open]');
    await googleDialog.getByLabel('Key file', { exact: true }).setInputFiles({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(serviceAccountKey)) });
    await googleDialog.getByRole('button', { name: 'Test and save' }).click();
    await expect.poll(() => page.locator('#announcer').textContent(), SLOW).toContain('Example Google Workspace were tested and saved');
    await expect.poll(() => badgeText(google.getByTestId('connection-status')), SLOW).toBe('Active');
    expect(await page.content()).not.toContain('PRIVATE KEY');

    await sidebar('Sync status').click();
    await expect.poll(() => statusOf(adele), SLOW).toBe('Synced');
    await expect.poll(() => statusOf(bruno), SLOW).toBe('Synced');
    await screenshot(page, 'sync-status');
  });

  it('"Syncs are not running": the policy disabled pauses its users, enabled resumes them', async () => {
    await sidebar('Policies').click();
    const policy = page.getByTestId('policy-row').filter({ hasText: 'Everyone' });
    expect(await badgeText(policy.getByTestId('policy-state'))).toBe('Enabled');
    await policy.getByTestId('disable-policy').click();
    await expect.poll(() => badgeText(policy.getByTestId('policy-state')), SLOW).toBe('Disabled');
    await sidebar('Sync status').click();
    await expect.poll(() => statusOf(adele), SLOW).toBe('Paused');
    await expect.poll(() => statusOf(chidi), SLOW).toBe('Paused');
    expect(await userRow(adele).textContent()).toContain('the policy is disabled');
    await go('/policies');
    await screenshot(page, 'policies-disabled');

    await policy.getByTestId('enable-policy').click();
    await expect.poll(() => badgeText(policy.getByTestId('policy-state')), SLOW).toBe('Enabled');
    await screenshot(page, 'policies');
    await sidebar('Sync status').click();
    await expect.poll(() => statusOf(adele), SLOW).toBe('Synced');
    await expect.poll(() => statusOf(chidi), SLOW).toBe('Failed');

    await go(`/policies/${fixture.policyId}/edit`);
    expect(await page.getByTestId('preview-total').textContent()).toMatch(/select 3 users/);
    expect(await page.getByTestId('preview-table').textContent()).toContain('Adele Vance');
    await screenshot(page, 'policy-edit');
  });

  it('refreshes an open page on its own when the data changes elsewhere', async () => {
    await go('/sync-status');
    expect(await statusOf(bruno)).toBe('Synced');
    // A mark on this very document: gone if the page were loaded again.
    await page.evaluate('window.stillTheSamePage = true');
    const [brunoSummary] = (await apiCall<{ items: UserSummary[] }>(stack, 'GET', `/api/sync-status?q=${encodeURIComponent(emailOf(bruno))}`)).items;
    await apiCall(stack, 'POST', `/api/sync-status/${brunoSummary!.userId}/pause`);
    await expect.poll(() => statusOf(bruno), SLOW).toBe('Paused');
    expect(await userRow(bruno).textContent()).toContain('paused by an administrator');
    await apiCall(stack, 'POST', `/api/sync-status/${brunoSummary!.userId}/resume`);
    await expect.poll(() => statusOf(bruno), SLOW).toBe('Synced');
    expect(await page.evaluate<boolean>('window.stillTheSamePage')).toBe(true);
  });

  it('creates a policy whose rules are previewed, then edits its rules', async () => {
    await sidebar('Policies').click();
    await page.getByRole('link', { name: 'New policy' }).click();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Name', { exact: true }).fill('Pilot group');
    await page.getByLabel('Target domain').fill(targetDomain);
    await page.getByLabel('Also include').fill(adele.userPrincipalName);
    await page.getByLabel('Sync interval, in minutes').fill('30');
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.waitForURL(/\/policies\/[0-9a-f-]{36}\/edit\?saved=1$/);
    expect(await badgeText(page.getByTestId('policy-state'))).toBe('Disabled');
    expect(await page.getByTestId('preview-total').textContent()).toMatch(/select 1 user\./);
    expect(await page.getByTestId('preview-table').textContent()).toContain('Adele Vance');

    await page.getByLabel('Also include').fill(`${adele.userPrincipalName}\n${bruno.userPrincipalName}`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('preview-total').textContent(), SLOW).toMatch(/select 2 users\./);
    expect(await page.getByLabel('Sync interval, in minutes').inputValue()).toBe('30');
    await screenshot(page, 'policy-created');
  });

  it('"Check the audit logs": filter for Severity Error and open an entry for its details', async () => {
    await sidebar('Audit logs').click();
    await page.waitForURL(/\/audit-logs$/);
    await page.getByLabel('Severity').selectOption('Error');
    await page.waitForURL(/severity=Error/);
    const entries = page.getByTestId('audit-entry');
    expect(await entries.count()).toBeGreaterThan(0);
    expect(new Set(await entries.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-severity'))))).toEqual(new Set(['Error']));
    const provisioning = entries.filter({ hasText: 'GOOGLE_USER_CREATION_FAILED' }).first();
    await provisioning.locator('summary').click();
    expect(await provisioning.locator('.audit-entry__body').textContent()).toContain('conditionNotMet');
    await screenshot(page, 'audit-logs');
  });

  it('stays readable on a narrow window', async () => {
    await page.setViewportSize({ width: 400, height: 860 });
    await go(`/sync-status?q=${encodeURIComponent(emailOf(chidi))}`);
    await userRow(chidi).getByRole('link').click();
    await page.getByTestId('detail-panel').waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'sync-status-narrow');
    await go('/');
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'dashboard-narrow');
    expect(pageErrors).toEqual([]);
  });
});

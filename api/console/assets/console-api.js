// Changes through the REST API with the session cookie and the CSRF token,
// and what the page says about them afterwards.

import { refreshLive, whileActing } from './console-live.js';

const CSRF_HEADER = 'X-CSRF-Token';
const ANNOUNCEMENT_MS = 10_000;

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const announcer = document.getElementById('announcer');

let announcementTimer;

/** A polite live region, also visible as a toast. */
export function announce(message, tone = 'info') {
  if (!announcer) return;
  announcer.textContent = message;
  announcer.dataset.tone = tone;
  clearTimeout(announcementTimer);
  announcementTimer = setTimeout(() => {
    announcer.textContent = '';
  }, ANNOUNCEMENT_MS);
}

const unreachable = { ok: false, status: 0, data: { detail: 'The console could not reach the server. Check the connection and try again.' } };

export async function callApi(method, path, body) {
  const headers = { accept: 'application/json', [CSRF_HEADER]: csrfToken };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return unreachable;
  }
  if (response.status === 401) {
    // The session ended: the page itself redirects to sign-in.
    window.location.reload();
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data };
}

export function problemMessage(result) {
  return result.data?.detail ?? `The request failed (status ${result.status}).`;
}

function usersTold(count) {
  if (!count) return '';
  return count === 1 ? ' 1 user waiting on it was told to carry on.' : ` ${count} users waiting on it were told to carry on.`;
}

/** What to say after a successful call, by the kind of answer (data-api-result). */
const successMessages = {
  'connection-test': (data) =>
    data.ok
      ? data.missingPermissions?.length
        ? {
            text: `Test connection succeeded for ${data.connection.name}, but the app registration lacks ${data.missingPermissions.map((missing) => `${missing.permission} (${missing.neededFor})`).join(', ')}: grant them with admin consent in the Entra admin center.${usersTold(data.signalledUsers)}`,
            tone: 'warning',
          }
        : { text: `Test connection succeeded for ${data.connection.name}.${usersTold(data.signalledUsers)}`, tone: 'success' }
      : { text: `Test connection failed for ${data.connection.name}: ${data.error?.message ?? 'the service refused the test.'}`, tone: 'danger' },
  credentials: (data) => ({ text: `The new credentials of ${data.connection.name} were tested and saved.${usersTold(data.signalledUsers)}`, tone: 'success' }),
  'policy-switch': (data) => ({
    text: data.policy.enabled ? `Policy “${data.policy.name}” is enabled: its users resume.` : `Policy “${data.policy.name}” is disabled: its users are paused.`,
    tone: 'success',
  }),
};

export function successMessage(kind, data) {
  const describe = successMessages[kind];
  if (describe && data) return describe(data);
  return { text: data?.detail ?? 'Done.', tone: 'success' };
}

/** A button with data-api="METHOD /api/...": one call, one announcement, fresh data. */
export async function runApiButton(button) {
  const [method, path] = button.dataset.api.split(' ');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  const result = await whileActing(() => callApi(method, path));
  button.disabled = false;
  button.removeAttribute('aria-busy');
  if (result.ok) {
    const message = successMessage(button.dataset.apiResult, result.data);
    announce(message.text, message.tone);
  } else {
    announce(problemMessage(result), 'danger');
  }
  await refreshLive({ force: true });
}

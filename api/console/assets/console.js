// The admin console's only script. The pages are rendered by the server and
// work as plain links and forms; this adds what HTML alone cannot do:
// changes through the REST API (with the session's CSRF token), the
// three-dot menus, the credential and policy forms, and the live refresh of
// each page's data while it is open.

const FRAGMENT_HEADER = 'X-Console-Fragment';
const CSRF_HEADER = 'X-CSRF-Token';
const ANNOUNCEMENT_MS = 10_000;

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const live = document.getElementById('live');
const announcer = document.getElementById('announcer');
const refreshMs = Number(document.body.dataset.refreshMs || 0);

/** Actions in flight: the live part is not swapped under a pending click. */
let pendingActions = 0;

// ---------------------------------------------------------------------------
// Announcements (a polite live region, also visible as a toast)

let announcementTimer;
function announce(message, tone = 'info') {
  if (!announcer) return;
  announcer.textContent = message;
  announcer.dataset.tone = tone;
  clearTimeout(announcementTimer);
  announcementTimer = setTimeout(() => {
    announcer.textContent = '';
  }, ANNOUNCEMENT_MS);
}

// ---------------------------------------------------------------------------
// The REST API, with the session cookie and the CSRF token

async function callApi(method, path, body) {
  const headers = { accept: 'application/json', [CSRF_HEADER]: csrfToken };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
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

function problemMessage(result) {
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
      ? { text: `Test connection succeeded for ${data.connection.name}.${usersTold(data.signalledUsers)}`, tone: 'success' }
      : { text: `Test connection failed for ${data.connection.name}: ${data.error?.message ?? 'the service refused the test.'}`, tone: 'danger' },
  credentials: (data) => ({ text: `The new credentials of ${data.connection.name} were tested and saved.${usersTold(data.signalledUsers)}`, tone: 'success' }),
  'policy-switch': (data) => ({
    text: data.policy.enabled ? `Policy “${data.policy.name}” is enabled: its users resume.` : `Policy “${data.policy.name}” is disabled: its users are paused.`,
    tone: 'success',
  }),
};

function successMessage(kind, data) {
  const describe = successMessages[kind];
  if (describe && data) return describe(data);
  return { text: data?.detail ?? 'Done.', tone: 'success' };
}

async function runApiButton(button) {
  const [method, path] = button.dataset.api.split(' ');
  pendingActions += 1;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const result = await callApi(method, path);
    if (result.ok) {
      const message = successMessage(button.dataset.apiResult, result.data);
      announce(message.text, message.tone);
    } else {
      announce(problemMessage(result), 'danger');
    }
  } catch {
    announce('The console could not reach the server. Check the connection and try again.', 'danger');
  } finally {
    pendingActions -= 1;
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
  await refreshLive({ force: true });
}

// ---------------------------------------------------------------------------
// Forms sent as JSON (credentials, policies)

class FormProblem extends Error {}

const lines = (form, name) =>
  (form.elements[name]?.value ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

const bodyBuilders = {
  'microsoft365-credentials': async (form) => {
    const clientSecret = form.elements.clientSecret.value.trim();
    if (!clientSecret) throw new FormProblem('Paste the new client secret value.');
    return { clientSecret };
  },
  'google-credentials': async (form) => {
    const file = form.elements.serviceAccountKeyFile?.files?.[0];
    const text = file ? await file.text() : form.elements.serviceAccountKey.value.trim();
    if (!text) throw new FormProblem('Choose the JSON key file, or paste its contents.');
    try {
      return { serviceAccountKey: JSON.parse(text) };
    } catch {
      throw new FormProblem('That is not a JSON key file: download the key as JSON from Google Cloud console.');
    }
  },
  policy: async (form) => {
    const name = form.elements.name.value.trim();
    if (!name) throw new FormProblem('Give the policy a name.');
    const minutes = Number(form.elements.cycleIntervalMinutes.value);
    if (!Number.isInteger(minutes) || minutes < 1) throw new FormProblem('The sync interval is a whole number of minutes, 1 or more.');
    const rules = {};
    if (form.elements.allUsers.checked) rules.allUsers = true;
    for (const list of ['groupIds', 'domains', 'include', 'exclude']) {
      const values = lines(form, list);
      if (values.length > 0) rules[list] = values;
    }
    const body = {
      name,
      sourceConnectionId: form.elements.sourceConnectionId.value,
      targetConnectionId: form.elements.targetConnectionId.value,
      targetDomain: form.elements.targetDomain.value.trim(),
      usernameMapping: form.elements.usernameMapping.value,
      rules,
      dataTypes: [...form.querySelectorAll('input[name="dataTypes"]:checked')].map((input) => input.value),
      cycleIntervalSeconds: minutes * 60,
      storeSubjects: form.elements.storeSubjects.checked,
    };
    if (form.elements.enabled) body.enabled = form.elements.enabled.checked;
    return body;
  },
};

/** Secrets are never kept in the page: cleared after every try, success or not. */
function clearSecrets(form) {
  for (const field of form.querySelectorAll('[data-secret]')) field.value = '';
}

function showFormError(form, message) {
  const slot = form.querySelector('[data-form-error]');
  if (slot) slot.textContent = message;
}

async function submitApiForm(form) {
  const [method, path] = form.dataset.apiForm.split(' ');
  const submit = form.querySelector('button[type="submit"]');
  showFormError(form, '');
  let body;
  try {
    body = await bodyBuilders[form.dataset.body](form);
  } catch (error) {
    if (!(error instanceof FormProblem)) throw error;
    clearSecrets(form);
    showFormError(form, error.message);
    return;
  }
  pendingActions += 1;
  if (submit) submit.disabled = true;
  let result;
  try {
    result = await callApi(method, path, body);
  } catch {
    result = { ok: false, status: 0, data: { detail: 'The console could not reach the server. Check the connection and try again.' } };
  } finally {
    pendingActions -= 1;
    if (submit) submit.disabled = false;
    clearSecrets(form);
  }
  if (!result.ok) {
    showFormError(form, problemMessage(result));
    return;
  }
  const next = form.dataset.successHref;
  if (next) {
    window.location.assign(next.replace('{id}', encodeURIComponent(result.data?.id ?? '')));
    return;
  }
  form.closest('dialog')?.close();
  const message = successMessage(form.dataset.apiResult, result.data);
  announce(message.text, message.tone);
  await refreshLive({ force: true });
}

// ---------------------------------------------------------------------------
// Three-dot menus (WAI-ARIA menu button: Enter, Space or ArrowDown open; arrows move; Escape closes)

const menuItemsOf = (menu) => [...menu.querySelectorAll('[role="menuitem"]:not([disabled])')];

function openMenu(button, focusLast = false) {
  closeMenus();
  const menu = document.getElementById(button.getAttribute('aria-controls'));
  if (!menu) return;
  menu.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  const items = menuItemsOf(menu);
  (focusLast ? items.at(-1) : items[0])?.focus();
}

function closeMenus({ returnFocusTo } = {}) {
  for (const button of document.querySelectorAll('[aria-haspopup="menu"][aria-expanded="true"]')) {
    button.setAttribute('aria-expanded', 'false');
    const menu = document.getElementById(button.getAttribute('aria-controls'));
    if (menu) menu.hidden = true;
    if (returnFocusTo === button) button.focus();
  }
}

function moveInMenu(menu, event) {
  const items = menuItemsOf(menu);
  const index = items.indexOf(document.activeElement);
  const keys = {
    ArrowDown: () => items[(index + 1) % items.length],
    ArrowUp: () => items[(index - 1 + items.length) % items.length],
    Home: () => items[0],
    End: () => items.at(-1),
  };
  const target = keys[event.key]?.();
  if (!target) return false;
  target.focus();
  return true;
}

// ---------------------------------------------------------------------------
// Dialogs

function openDialog(id) {
  const dialog = document.getElementById(id);
  if (!dialog) return;
  const form = dialog.querySelector('form');
  if (form) {
    form.reset();
    clearSecrets(form);
    showFormError(form, '');
  }
  dialog.showModal();
}

// ---------------------------------------------------------------------------
// Times in the reader's own time zone (the server writes UTC)

// Today: the time only; this year: without the year; older: the full date.
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatLocal(date) {
  const now = new Date();
  if (date.toDateString() === now.toDateString()) return `Today ${timeOnly.format(date)}`;
  return date.getFullYear() === now.getFullYear() ? dayAndTime.format(date) : fullDate.format(date);
}

function localizeTimes(root) {
  for (const element of root.querySelectorAll('time[datetime]')) {
    const date = new Date(element.getAttribute('datetime'));
    if (!Number.isNaN(date.getTime())) element.textContent = formatLocal(date);
  }
}

// ---------------------------------------------------------------------------
// Live refresh of the page's data

function focusKey(element) {
  if (element.id) return `#${element.id}`;
  return [element.tagName, element.getAttribute('href') ?? '', element.dataset.api ?? '', element.textContent.trim()].join('|');
}

function findByFocusKey(key) {
  if (key.startsWith('#')) return document.getElementById(key.slice(1));
  return [...live.querySelectorAll('a, button, summary, [tabindex]')].find((element) => focusKey(element) === key);
}

function isReading() {
  const selection = window.getSelection();
  return Boolean(selection && !selection.isCollapsed && live.contains(selection.anchorNode));
}

/** Never pull the page from under the administrator: not while they type, pick in a menu, read a dialog or select text. */
function mayRefresh() {
  if (document.hidden || pendingActions > 0) return false;
  if (document.querySelector('dialog[open]') || document.querySelector('[aria-haspopup="menu"][aria-expanded="true"]')) return false;
  const active = document.activeElement;
  if (active && live.contains(active) && active.matches('input, textarea, select')) return false;
  return !isReading();
}

let refreshing = false;
let lastFragment = null;

function swapLive(html) {
  const active = document.activeElement;
  const focused = active && active !== document.body && live.contains(active) ? focusKey(active) : null;
  const openDetails = [...live.querySelectorAll('details[open][id]')].map((details) => details.id);
  live.innerHTML = html;
  for (const id of openDetails) {
    const details = document.getElementById(id);
    if (details) details.open = true;
  }
  localizeTimes(live);
  if (focused) findByFocusKey(focused)?.focus({ preventScroll: true });
}

async function refreshLive({ force = false } = {}) {
  if (!live || refreshing || (!force && !mayRefresh())) return;
  refreshing = true;
  try {
    const response = await fetch(window.location.href, { headers: { [FRAGMENT_HEADER]: 'live' }, credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      window.location.reload();
      return;
    }
    if (!response.ok && response.status !== 502) return;
    const html = await response.text();
    if (html !== lastFragment) {
      lastFragment = html;
      swapLive(html);
    }
    live.dataset.refreshedAt = new Date().toISOString();
  } catch {
    // Offline or restarting: the next tick tries again, the last data stays on screen.
  } finally {
    refreshing = false;
  }
}

// ---------------------------------------------------------------------------
// Wiring (delegated, so refreshed content needs nothing re-attached)

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;

  const menuButton = target.closest('[aria-haspopup="menu"]');
  if (menuButton) {
    if (menuButton.getAttribute('aria-expanded') === 'true') closeMenus({ returnFocusTo: menuButton });
    else openMenu(menuButton);
    return;
  }
  const menuItem = target.closest('[role="menuitem"]');
  if (menuItem) {
    const owner = document.querySelector(`[aria-controls="${menuItem.closest('[role="menu"]').id}"]`);
    closeMenus({ returnFocusTo: owner });
  } else if (!target.closest('[role="menu"]')) {
    closeMenus();
  }

  const apiButton = target.closest('button[data-api]');
  if (apiButton) {
    event.preventDefault();
    void runApiButton(apiButton);
    return;
  }
  const dialogOpener = target.closest('[data-open-dialog]');
  if (dialogOpener) {
    openDialog(dialogOpener.dataset.openDialog);
    return;
  }
  if (target.closest('[data-close-dialog]')) {
    target.closest('dialog')?.close();
    return;
  }
  if (target.closest('[data-refresh-now]')) {
    void refreshLive({ force: true });
    return;
  }
  // A click anywhere on a table row opens it, like its link does for the keyboard.
  const row = target.closest('tr[data-href]');
  if (row && !target.closest('a, button, input, select, textarea, summary')) window.location.assign(row.dataset.href);
});

document.addEventListener('keydown', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const menu = target?.closest('[role="menu"]');
  if (menu) {
    const owner = document.querySelector(`[aria-controls="${menu.id}"]`);
    if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      closeMenus({ returnFocusTo: event.key === 'Escape' ? owner : undefined });
    } else if (moveInMenu(menu, event)) {
      event.preventDefault();
    }
    return;
  }
  if (target?.matches('[aria-haspopup="menu"]') && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
    event.preventDefault();
    openMenu(target, event.key === 'ArrowUp');
    return;
  }
  if (event.key === 'Escape' && !document.querySelector('dialog[open]') && !target?.matches('input, textarea, select')) {
    document.querySelector('[data-close-panel]')?.click();
  }
});

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.apiForm) {
    event.preventDefault();
    void submitApiForm(form);
  }
});

document.addEventListener('change', (event) => {
  const field = event.target;
  const form = field instanceof Element ? field.closest('form[data-auto-submit]') : null;
  if (form && field.matches('select, input[type="date"]')) form.requestSubmit();
});

for (const dialog of document.querySelectorAll('dialog')) {
  dialog.addEventListener('close', () => {
    const form = dialog.querySelector('form');
    if (form) clearSecrets(form);
  });
}

localizeTimes(document);
document.querySelector('[data-autofocus]')?.focus({ preventScroll: false });
if (live && refreshMs > 0) {
  setInterval(() => void refreshLive(), refreshMs);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void refreshLive();
  });
}

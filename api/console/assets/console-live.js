// Live refresh of the page's data while it is open, and times shown in the
// reader's own time zone (the server writes UTC).

const FRAGMENT_HEADER = 'X-Console-Fragment';
const live = document.getElementById('live');

/** Actions in flight: the live part is not swapped under a pending click. */
let pendingActions = 0;

export async function whileActing(work) {
  pendingActions += 1;
  try {
    return await work();
  } finally {
    pendingActions -= 1;
  }
}

// Today: the time only; this year: without the year; older: the full date.
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatLocal(date) {
  const now = new Date();
  if (date.toDateString() === now.toDateString()) return `Today ${timeOnly.format(date)}`;
  return date.getFullYear() === now.getFullYear() ? dayAndTime.format(date) : fullDate.format(date);
}

export function localizeTimes(root) {
  for (const element of root.querySelectorAll('time[datetime]')) {
    const date = new Date(element.getAttribute('datetime'));
    if (!Number.isNaN(date.getTime())) element.textContent = formatLocal(date);
  }
}

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

/** Replaces the live part, keeping what the administrator had open and where their focus was. */
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

/** Asks the server for this page's live part again; `force` after the administrator changed something. */
export async function refreshLive({ force = false } = {}) {
  if (!live || refreshing || (!force && !mayRefresh())) return;
  refreshing = true;
  try {
    const response = await fetch(window.location.href, { headers: { [FRAGMENT_HEADER]: 'live' }, credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      window.location.reload();
      return;
    }
    // 502 is the page's own "the API could not answer" part: worth showing. Anything else keeps the last data.
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

export function startLiveRefresh(intervalMs) {
  if (!live || !(intervalMs > 0)) return;
  setInterval(() => void refreshLive(), intervalMs);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void refreshLive();
  });
}

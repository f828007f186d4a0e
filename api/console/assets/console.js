// The admin console's script, loaded by every page. The pages are rendered
// by the server and work as plain links and forms; this adds what HTML alone
// cannot do: changes through the REST API with the session's CSRF token
// (console-api.js), the credential and policy forms (console-forms.js), the
// three-dot menus (console-menus.js) and the live refresh of each page's
// data while it is open (console-live.js). Events are delegated, so content
// the refresh replaces needs nothing attached again.

import { runApiButton } from './console-api.js';
import { openDialog, submitApiForm, watchDialogs } from './console-forms.js';
import { localizeTimes, refreshLive, startLiveRefresh } from './console-live.js';
import { closeMenus, handleMenuKey, menuButtonOf, openMenu } from './console-menus.js';

function onClick(event) {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;

  const menuButton = target.closest('[aria-haspopup="menu"]');
  if (menuButton) {
    if (menuButton.getAttribute('aria-expanded') === 'true') closeMenus({ returnFocusTo: menuButton });
    else openMenu(menuButton);
    return;
  }
  const menuItem = target.closest('[role="menuitem"]');
  if (menuItem) closeMenus({ returnFocusTo: menuButtonOf(menuItem.closest('[role="menu"]')) });
  else if (!target.closest('[role="menu"]')) closeMenus();

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
  // A click anywhere on a table row opens it, as its link does from the keyboard.
  const row = target.closest('tr[data-href]');
  if (row && !target.closest('a, button, input, select, textarea, summary')) window.location.assign(row.dataset.href);
}

function onKeyDown(event) {
  const target = event.target instanceof Element ? event.target : null;
  const menu = target?.closest('[role="menu"]');
  if (menu) {
    if (handleMenuKey(menu, event)) event.preventDefault();
    return;
  }
  if (target?.matches('[aria-haspopup="menu"]') && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
    event.preventDefault();
    openMenu(target, event.key === 'ArrowUp');
    return;
  }
  // Escape closes the Sync status detail panel (not while typing, not under a dialog).
  if (event.key === 'Escape' && !document.querySelector('dialog[open]') && !target?.matches('input, textarea, select')) {
    document.querySelector('[data-close-panel]')?.click();
  }
}

function onSubmit(event) {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.apiForm) {
    event.preventDefault();
    void submitApiForm(form);
  }
}

/** Filter forms apply a choice at once; typed text still waits for Enter or Apply. */
function onChange(event) {
  const field = event.target;
  const form = field instanceof Element ? field.closest('form[data-auto-submit]') : null;
  if (form && field.matches('select, input[type="date"]')) form.requestSubmit();
}

document.addEventListener('click', onClick);
document.addEventListener('keydown', onKeyDown);
document.addEventListener('submit', onSubmit);
document.addEventListener('change', onChange);
watchDialogs();
localizeTimes(document);
document.querySelector('[data-autofocus]')?.focus();
startLiveRefresh(Number(document.body.dataset.refreshMs || 0));

// Forms sent to the REST API as JSON: new credentials and policies.

import { announce, callApi, problemMessage, successMessage } from './console-api.js';
import { refreshLive, whileActing } from './console-live.js';

class FormProblem extends Error {}

const lines = (form, name) =>
  (form.elements[name]?.value ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The request body of each kind of form (data-body). */
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
    const months = (field, what) => {
      const value = Number(form.elements[field].value);
      if (!Number.isInteger(value) || value < 0 || value > 120) throw new FormProblem(`The calendar's ${what} is a whole number of months from 0 to 120.`);
      return value;
    };
    const calendarMonthsBack = months('calendarMonthsBack', 'history');
    const calendarMonthsAhead = months('calendarMonthsAhead', 'months ahead');
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
      calendarMonthsBack,
      calendarMonthsAhead,
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

/** Back to an empty form, as when the page was loaded. */
export function resetForm(form) {
  form.reset();
  clearSecrets(form);
  showFormError(form, '');
}

export async function submitApiForm(form) {
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
  if (submit) submit.disabled = true;
  const result = await whileActing(() => callApi(method, path, body));
  if (submit) submit.disabled = false;
  clearSecrets(form);
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

/** A dialog whose form holds a secret starts empty every time, and forgets what was typed when it closes. */
export function openDialog(id) {
  const dialog = document.getElementById(id);
  if (!dialog) return;
  const form = dialog.querySelector('form');
  if (form) resetForm(form);
  dialog.showModal();
}

export function watchDialogs() {
  for (const dialog of document.querySelectorAll('dialog')) {
    dialog.addEventListener('close', () => {
      const form = dialog.querySelector('form');
      if (form) clearSecrets(form);
    });
  }
}

import type { FC } from 'hono/jsx';
import { DATA_TYPES, SUPPORTED_DATA_TYPES, USERNAME_MAPPINGS } from '../../../store/vocabulary.js';
import { DEFAULT_CALENDAR_MONTHS_AHEAD, DEFAULT_CALENDAR_MONTHS_BACK, MAX_CALENDAR_WINDOW_MONTHS } from '../../../store/repositories/policy-input.js';
import type { Connection, Policy } from '../api-types.js';
import { dataTypeLabel } from '../views/format.js';

const usernameMappingLabels: Record<(typeof USERNAME_MAPPINGS)[number], string> = {
  'same-local-part': 'Same name as the Microsoft 365 address (alice.smith@…)',
  'upn-prefix': 'Same name as the user principal name',
  'first.last': 'first.last from the given name and surname',
};

const DEFAULT_INTERVAL_MINUTES = 15;

/** A calendar window bound in whole months (policy-input.ts bounds it, the API checks it again). */
const MonthsField: FC<{ name: string; label: string; value: number }> = ({ name, label, value }) => (
  <div class="field">
    <label for={`policy-${name}`}>{label}</label>
    <input id={`policy-${name}`} name={name} type="number" min={0} max={MAX_CALENDAR_WINDOW_MONTHS} step={1} required value={String(value)} />
  </div>
);

const lines = (values: string[] | undefined): string => (values ?? []).join('\n');

const ListField: FC<{ name: string; label: string; hint: string; values: string[] | undefined }> = ({ name, label, hint, values }) => (
  <div class="field">
    <label for={`policy-${name}`}>{label}</label>
    <textarea id={`policy-${name}`} name={name} rows={3} spellcheck={false} aria-describedby={`policy-${name}-hint`}>
      {lines(values)}
    </textarea>
    <p class="hint" id={`policy-${name}-hint`}>
      {hint}
    </p>
  </div>
);

const ConnectionSelect: FC<{ name: string; label: string; connections: Connection[]; selected: string | undefined }> = ({ name, label, connections, selected }) => (
  <div class="field">
    <label for={`policy-${name}`}>{label}</label>
    <select id={`policy-${name}`} name={name} required>
      {connections.map((connection) => (
        <option value={connection.id} selected={connection.id === selected}>
          {connection.name}
        </option>
      ))}
    </select>
  </div>
);

export interface PolicyFormProps {
  /** Absent when creating. */
  policy?: Policy;
  connections: Connection[];
}

/**
 * Create or edit a policy. The script sends it as JSON to POST /api/policies
 * or PATCH /api/policies/{id}; enabling and disabling stay on the Policies
 * page, where they also pause and resume the users.
 */
export const PolicyForm: FC<PolicyFormProps> = ({ policy, connections }) => {
  const sources = connections.filter((connection) => connection.kind === 'microsoft365');
  const targets = connections.filter((connection) => connection.kind === 'google-workspace');
  const rules = policy?.rules ?? {};
  return (
    <form
      class="form card"
      data-api-form={policy ? `PATCH /api/policies/${policy.id}` : 'POST /api/policies'}
      data-body="policy"
      data-success-href="/policies/{id}/edit?saved=1"
      novalidate
      data-testid="policy-form"
    >
      <fieldset>
        <legend>Policy</legend>
        <div class="field">
          <label for="policy-name">Name</label>
          <input id="policy-name" name="name" type="text" required maxlength={255} value={policy?.name ?? ''} autocomplete="off" />
        </div>
        <div class="form__row">
          <ConnectionSelect name="sourceConnectionId" label="Microsoft 365 connection" connections={sources} selected={policy?.sourceConnectionId} />
          <ConnectionSelect name="targetConnectionId" label="Google Workspace connection" connections={targets} selected={policy?.targetConnectionId} />
        </div>
        <div class="form__row">
          <div class="field">
            <label for="policy-targetDomain">Target domain</label>
            <input id="policy-targetDomain" name="targetDomain" type="text" required value={policy?.targetDomain ?? ''} placeholder="example.com" autocomplete="off" />
          </div>
          <div class="field">
            <label for="policy-usernameMapping">Google address</label>
            <select id="policy-usernameMapping" name="usernameMapping">
              {USERNAME_MAPPINGS.map((mapping) => (
                <option value={mapping} selected={(policy?.usernameMapping ?? 'same-local-part') === mapping}>
                  {usernameMappingLabels[mapping]}
                </option>
              ))}
            </select>
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>User selection rules</legend>
        <div class="field field--check">
          <input id="policy-allUsers" name="allUsers" type="checkbox" checked={rules.allUsers === true} />
          <label for="policy-allUsers">All users of the tenant</label>
        </div>
        <ListField name="groupIds" label="Groups" hint="Entra ID group object ids, one per line: their direct members are selected." values={rules.groupIds} />
        <ListField name="domains" label="Domains" hint="One per line: users whose address is in one of these domains." values={rules.domains} />
        <ListField name="include" label="Also include" hint="User principal names or object ids, one per line." values={rules.include} />
        <ListField name="exclude" label="Never include" hint="User principal names or object ids, one per line; wins over every other rule." values={rules.exclude} />
      </fieldset>
      <fieldset>
        <legend>What is copied, and how often</legend>
        <div class="checks" role="group" aria-label="Data types">
          {DATA_TYPES.map((type) => {
            const supported = SUPPORTED_DATA_TYPES.includes(type);
            return (
              <div class="field field--check">
                <input id={`policy-type-${type}`} name="dataTypes" value={type} type="checkbox" checked={supported && (policy ? policy.dataTypes.includes(type) : true)} disabled={!supported} />
                <label for={`policy-type-${type}`}>
                  {dataTypeLabel(type)}
                  {supported ? '' : ' (not yet available)'}
                </label>
              </div>
            );
          })}
        </div>
        <div class="form__row">
          <div class="field">
            <label for="policy-interval">Sync interval, in minutes</label>
            <input
              id="policy-interval"
              name="cycleIntervalMinutes"
              type="number"
              min={1}
              max={10080}
              step={1}
              required
              value={String(policy ? Math.round(policy.cycleIntervalSeconds / 60) : DEFAULT_INTERVAL_MINUTES)}
            />
          </div>
          <MonthsField name="calendarMonthsBack" label="Calendar: months of history" value={policy?.calendarMonthsBack ?? DEFAULT_CALENDAR_MONTHS_BACK} />
          <MonthsField name="calendarMonthsAhead" label="Calendar: months ahead" value={policy?.calendarMonthsAhead ?? DEFAULT_CALENDAR_MONTHS_AHEAD} />
        </div>
        <div class="field field--check">
          <input id="policy-storeSubjects" name="storeSubjects" type="checkbox" checked={policy?.storeSubjects ?? false} />
          <label for="policy-storeSubjects">Keep message subjects of items that could not be copied (personal data)</label>
        </div>
        {policy ? null : (
          <div class="field field--check">
            <input id="policy-enabled" name="enabled" type="checkbox" />
            <label for="policy-enabled">Enable at once (leave unchecked to preview the users first)</label>
          </div>
        )}
      </fieldset>
      <p class="form-error" role="alert" data-form-error></p>
      <div class="form__buttons">
        <a class="button button--ghost" href="/policies">
          Cancel
        </a>
        <button type="submit" class="button button--primary">
          {policy ? 'Save changes' : 'Create policy'}
        </button>
      </div>
    </form>
  );
};

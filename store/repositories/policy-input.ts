import type { PolicyRules } from '../entities/index.js';
import { StoreValidationError } from '../errors.js';
import { optionalStringList, requireBoolean, requireDomain, requireInteger, requireObject, requireOneOf, requireText } from '../validate.js';
import { DATA_TYPES, SUPPORTED_DATA_TYPES, USERNAME_MAPPINGS, type DataType, type UsernameMapping } from '../vocabulary.js';

export const MIN_CYCLE_INTERVAL_SECONDS = 60;
export const MAX_CYCLE_INTERVAL_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_CYCLE_INTERVAL_SECONDS = 15 * 60;
/** Two years of history and three years ahead: continuity needs the recent past and what is planned (README, Calendar). */
export const DEFAULT_CALENDAR_MONTHS_BACK = 24;
export const DEFAULT_CALENDAR_MONTHS_AHEAD = 36;
/** Ten years either way: a wider window makes every new round read (and the first one copy) more for little use. */
export const MAX_CALENDAR_WINDOW_MONTHS = 120;

export interface NewPolicy {
  name: string;
  /** Default true. */
  enabled?: boolean;
  /** A 'microsoft365' connection. */
  sourceConnectionId: string;
  /** A 'google-workspace' connection. */
  targetConnectionId: string;
  rules: PolicyRules;
  /** Default ['mail']; only SUPPORTED_DATA_TYPES are accepted today. */
  dataTypes?: DataType[];
  /** 60 s to 7 days; default 900. */
  cycleIntervalSeconds?: number;
  /** The Google domain new accounts are created in. */
  targetDomain: string;
  /** Default 'same-local-part' (see UsernameMapping). */
  usernameMapping?: UsernameMapping;
  /** Whether item records may keep the subject (personal data). Default false. */
  storeSubjects?: boolean;
  /** Whole months of calendar before the current month; 0 to 120, default 24. */
  calendarMonthsBack?: number;
  /** Whole months of calendar after the current month; 0 to 120, default 36. */
  calendarMonthsAhead?: number;
}

export type PolicyPatch = Partial<NewPolicy>;

export type ValidPolicy = Required<NewPolicy>;

const RULE_LISTS = ['groupIds', 'domains', 'include', 'exclude'] as const;

/** Validates every field except the connections (they need the database). */
export function validatePolicy(input: NewPolicy): ValidPolicy {
  const dataTypes = validateDataTypes(input.dataTypes ?? ['mail']);
  return {
    name: requireText(input.name, 'name'),
    enabled: requireBoolean(input.enabled ?? true, 'enabled'),
    sourceConnectionId: requireText(input.sourceConnectionId, 'sourceConnectionId'),
    targetConnectionId: requireText(input.targetConnectionId, 'targetConnectionId'),
    rules: validateRules(input.rules),
    dataTypes,
    cycleIntervalSeconds: requireInteger(
      input.cycleIntervalSeconds ?? DEFAULT_CYCLE_INTERVAL_SECONDS,
      'cycleIntervalSeconds',
      MIN_CYCLE_INTERVAL_SECONDS,
      MAX_CYCLE_INTERVAL_SECONDS,
      'seconds (1 minute to 7 days)',
    ),
    targetDomain: requireDomain(input.targetDomain, 'targetDomain'),
    usernameMapping: requireOneOf(input.usernameMapping ?? 'same-local-part', USERNAME_MAPPINGS, 'usernameMapping'),
    storeSubjects: requireBoolean(input.storeSubjects ?? false, 'storeSubjects'),
    calendarMonthsBack: requireInteger(input.calendarMonthsBack ?? DEFAULT_CALENDAR_MONTHS_BACK, 'calendarMonthsBack', 0, MAX_CALENDAR_WINDOW_MONTHS, 'months'),
    calendarMonthsAhead: requireInteger(input.calendarMonthsAhead ?? DEFAULT_CALENDAR_MONTHS_AHEAD, 'calendarMonthsAhead', 0, MAX_CALENDAR_WINDOW_MONTHS, 'months'),
  };
}

function validateDataTypes(value: unknown): DataType[] {
  if (!Array.isArray(value) || value.length === 0) throw new StoreValidationError('dataTypes', 'dataTypes must name at least one data type, e.g. ["mail"].');
  const types = value.map((item, index) => requireOneOf(item, DATA_TYPES, `dataTypes[${index}]`));
  for (const type of types) {
    if (!SUPPORTED_DATA_TYPES.includes(type)) {
      throw new StoreValidationError('dataTypes', `${type} is not synced yet; supported: ${SUPPORTED_DATA_TYPES.join(', ')}.`);
    }
  }
  return [...new Set(types)];
}

export function validateRules(value: unknown): PolicyRules {
  const rules = requireObject(value, 'rules');
  const known: readonly string[] = ['allUsers', ...RULE_LISTS];
  for (const key of Object.keys(rules)) {
    if (!known.includes(key)) throw new StoreValidationError(`rules.${key}`, `rules.${key} is not a known rule (allowed: ${known.join(', ')}).`);
  }
  const clean: PolicyRules = {};
  if (rules.allUsers !== undefined) clean.allUsers = requireBoolean(rules.allUsers, 'rules.allUsers');
  for (const key of RULE_LISTS) {
    const list = optionalStringList(rules[key], `rules.${key}`);
    if (list === undefined) continue;
    // Domains, UPNs and object ids all compare case-insensitively.
    const normalized = key === 'domains' ? list.map((domain, index) => requireDomain(domain, `rules.domains[${index}]`)) : list.map((item) => item.toLowerCase());
    clean[key] = [...new Set(normalized)];
  }
  const selectsSomeone = clean.allUsers === true || RULE_LISTS.some((key) => key !== 'exclude' && (clean[key]?.length ?? 0) > 0);
  if (!selectsSomeone) throw new StoreValidationError('rules', 'rules must select users: allUsers, groupIds, domains or include.');
  return clean;
}

import { z } from '@hono/zod-openapi';
import { MAX_CALENDAR_WINDOW_MONTHS, MAX_CYCLE_INTERVAL_SECONDS, MIN_CYCLE_INTERVAL_SECONDS, SUPPORTED_DATA_TYPES, USERNAME_MAPPINGS, type DataType } from '../../store/index.js';
import { CursorQuery, DisplayNameSchema, IdSchema, LimitQuery, NextCursor, StoredErrorBodySchema, timestampFields } from './common.js';
import { TotalsByStatusSchema } from './sync-status.js';

/** A domain name as the store accepts it (letters in any case; stored lower-case). */
const DomainName = z
  .string()
  .max(253)
  .regex(/^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/, { error: 'must be a domain name such as example.com' })
  .openapi({ example: 'example.com' });

const ruleList = (what: string) => z.array(z.string().min(1).max(320)).max(5000, { error: 'must have at most 5000 entries' }).optional().openapi({ description: what });

export const PolicyRulesSchema = z
  .object({
    allUsers: z.boolean().optional(),
    groupIds: z.array(IdSchema).max(500, { error: 'must have at most 500 entries' }).optional().openapi({ description: 'Entra ID group object ids; their direct members are selected.' }),
    domains: z.array(DomainName).max(500, { error: 'must have at most 500 entries' }).optional().openapi({ description: 'Users whose userPrincipalName or mail is in one of these domains.' }),
    include: ruleList('userPrincipalNames or object ids, added.'),
    exclude: ruleList('userPrincipalNames or object ids, never selected.'),
  })
  .strict()
  .openapi('PolicyRules');

const dataTypes = z
  .array(z.enum(SUPPORTED_DATA_TYPES as [DataType, ...DataType[]]))
  .min(1)
  .max(4);
const cycleInterval = z
  .number()
  .int()
  .min(MIN_CYCLE_INTERVAL_SECONDS, { error: `must be at least ${MIN_CYCLE_INTERVAL_SECONDS} seconds` })
  .max(MAX_CYCLE_INTERVAL_SECONDS, { error: `must be at most ${MAX_CYCLE_INTERVAL_SECONDS} seconds (7 days)` });

const windowMonths = (description: string) =>
  z
    .number()
    .int()
    .min(0, { error: 'must be 0 or more months' })
    .max(MAX_CALENDAR_WINDOW_MONTHS, { error: `must be at most ${MAX_CALENDAR_WINDOW_MONTHS} months` })
    .openapi({ description });

const policyFields = {
  name: DisplayNameSchema,
  enabled: z.boolean(),
  sourceConnectionId: IdSchema.openapi({ description: 'A microsoft365 connection.' }),
  targetConnectionId: IdSchema.openapi({ description: 'A google-workspace connection.' }),
  rules: PolicyRulesSchema,
  dataTypes,
  cycleIntervalSeconds: cycleInterval,
  targetDomain: DomainName,
  usernameMapping: z.enum(USERNAME_MAPPINGS),
  storeSubjects: z.boolean().openapi({ description: 'Whether the items view may keep message subjects (personal data).' }),
  calendarMonthsBack: windowMonths('Calendar window: whole months of events before the current month that are kept in sync (default 24).'),
  calendarMonthsAhead: windowMonths('Calendar window: whole months of events after the current month that are kept in sync (default 36).'),
};

/** The fields with a default (the store's): a new policy may leave them out. */
export const NewPolicyBody = z
  .object(policyFields)
  .partial({ enabled: true, dataTypes: true, cycleIntervalSeconds: true, usernameMapping: true, storeSubjects: true, calendarMonthsBack: true, calendarMonthsAhead: true })
  .strict()
  .openapi('NewPolicy');

/** Enabling and disabling go through their own routes, which also tell the users' workflows. */
export const PolicyPatchBody = z
  .object(policyFields)
  .omit({ enabled: true })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'must change at least one field (switch a policy on or off with /enable and /disable)' })
  .openapi('PolicyPatch');

/** Rules as stored: read back as they are, whatever wrote them. */
const PolicyRulesView = z
  .object({
    allUsers: z.boolean().optional(),
    groupIds: z.array(z.string()).optional(),
    domains: z.array(z.string()).optional(),
    include: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
  })
  .openapi('PolicyRulesView');

export const PolicySchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    enabled: z.boolean(),
    sourceConnectionId: z.guid(),
    targetConnectionId: z.guid(),
    rules: PolicyRulesView,
    dataTypes: z.array(z.string()),
    cycleIntervalSeconds: z.number().int(),
    targetDomain: z.string(),
    usernameMapping: z.enum(USERNAME_MAPPINGS),
    storeSubjects: z.boolean(),
    calendarMonthsBack: z.number().int(),
    calendarMonthsAhead: z.number().int(),
    lastReconcileError: StoredErrorBodySchema.nullable().openapi('ReconcileError', {
      description:
        "Why the membership reconciler's last pass failed (GROUP_NOT_FOUND, AUTH_TOKEN_EXPIRED, RATE_LIMITED, CONNECTION_UNAVAILABLE, WORKFLOW_START_FAILED, RECONCILE_FAILED) and what to do; null after a pass that succeeded.",
    }),
    ...timestampFields,
  })
  .openapi('Policy');

export const PolicyDetailSchema = PolicySchema.extend({ usersByStatus: TotalsByStatusSchema }).openapi('PolicyDetail');

export const PolicyListQuery = z
  .object({
    enabled: z.enum(['true', 'false']).optional(),
    connectionId: IdSchema.optional().openapi({ description: 'Policies using this connection as source or target.' }),
    limit: LimitQuery,
    cursor: CursorQuery,
  })
  .strict();

export const PolicyListSchema = z.object({ items: z.array(PolicySchema), nextCursor: NextCursor }).openapi('PolicyList');

export const PolicySwitchSchema = z
  .object({
    policy: PolicySchema,
    changed: z.boolean().openapi({ description: 'False when the policy already was in that state.' }),
    signalledUsers: z.number().int(),
  })
  .openapi('PolicySwitch');

export const PreviewQuery = z.object({ limit: LimitQuery, cursor: CursorQuery }).strict();

export const SelectedUserSchema = z
  .object({
    id: z.string(),
    userPrincipalName: z.string(),
    mail: z.string().nullable(),
    displayName: z.string(),
    givenName: z.string().nullable(),
    surname: z.string().nullable(),
    accountEnabled: z.boolean(),
  })
  .openapi('SelectedSourceUser');

export const PolicyPreviewSchema = z
  .object({
    items: z.array(SelectedUserSchema),
    nextCursor: NextCursor,
    total: z.number().int().openapi({ description: 'Users the rules select now, all pages together.' }),
  })
  .openapi('PolicyPreview');

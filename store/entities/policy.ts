import { EntitySchema, type Opt } from '@mikro-orm/core';
import type { DataType, UsernameMapping } from '../vocabulary.js';
import type { StoredErrorJson } from './connection.js';

/** Which Microsoft 365 users a policy selects; a user matching `exclude` is never selected. */
export interface PolicyRules {
  allUsers?: boolean;
  /** Entra ID group object ids; members (direct) are selected. */
  groupIds?: string[];
  /** Users whose mail or userPrincipalName ends with @domain. */
  domains?: string[];
  /** userPrincipalNames or user object ids. */
  include?: string[];
  /** userPrincipalNames or user object ids. */
  exclude?: string[];
}

export interface PolicyEntity {
  id: string;
  name: string;
  enabled: boolean;
  sourceConnectionId: string;
  targetConnectionId: string;
  rules: PolicyRules;
  dataTypes: DataType[];
  cycleIntervalSeconds: number;
  targetDomain: string;
  usernameMapping: UsernameMapping;
  storeSubjects: boolean;
  /**
   * The calendar's delta window (Graph bakes a window into calendarView delta
   * tokens): whole months before the current month and after it. See README, Calendar.
   */
  calendarMonthsBack: Opt<number>;
  calendarMonthsAhead: Opt<number>;
  /** The membership reconciler's last failure (code, sentence, when); null after a pass that succeeded. */
  lastReconcileError?: StoredErrorJson | null;
  /**
   * The enabled state the policy's users were last told (pause or resume
   * signal); whoever flips it to the policy's enabled state sends the signals,
   * so each user gets one per switch. Null: not told yet.
   */
  usersToldEnabled?: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

export const PolicySchema = new EntitySchema<PolicyEntity>({
  name: 'Policy',
  tableName: 'policies',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'string', unique: 'policies_name_unique' },
    enabled: { type: 'boolean' },
    sourceConnectionId: { kind: 'm:1', entity: 'Connection', mapToPk: true, fieldName: 'source_connection_id', deleteRule: 'restrict', updateRule: 'cascade' },
    targetConnectionId: { kind: 'm:1', entity: 'Connection', mapToPk: true, fieldName: 'target_connection_id', deleteRule: 'restrict', updateRule: 'cascade' },
    rules: { type: 'json' },
    dataTypes: { type: 'json' },
    cycleIntervalSeconds: { type: 'integer' },
    targetDomain: { type: 'string' },
    usernameMapping: { type: 'string', length: 32 },
    storeSubjects: { type: 'boolean', default: false },
    calendarMonthsBack: { type: 'integer', default: 24 },
    calendarMonthsAhead: { type: 'integer', default: 36 },
    lastReconcileError: { type: 'json', nullable: true },
    usersToldEnabled: { type: 'boolean', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

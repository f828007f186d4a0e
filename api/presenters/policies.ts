import type { z } from '@hono/zod-openapi';
import type { PolicyView } from '../../store/index.js';
import { iso } from '../schemas/common.js';
import { toStoredError } from './stored-error.js';
import type { PolicySchema } from '../schemas/policies.js';

export function toPolicy(policy: PolicyView): z.infer<typeof PolicySchema> {
  return {
    id: policy.id,
    name: policy.name,
    enabled: policy.enabled,
    sourceConnectionId: policy.sourceConnectionId,
    targetConnectionId: policy.targetConnectionId,
    rules: structuredClone(policy.rules),
    dataTypes: [...policy.dataTypes],
    cycleIntervalSeconds: policy.cycleIntervalSeconds,
    targetDomain: policy.targetDomain,
    usernameMapping: policy.usernameMapping,
    storeSubjects: policy.storeSubjects,
    calendarMonthsBack: policy.calendarMonthsBack,
    calendarMonthsAhead: policy.calendarMonthsAhead,
    lastReconcileError: toStoredError(policy.lastReconcileError),
    createdAt: iso(policy.createdAt),
    updatedAt: iso(policy.updatedAt),
  };
}

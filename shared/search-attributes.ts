import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes for listing and filtering user workflows in
 * Temporal UI and visibility queries. They hold ids and codes only, never an
 * email address or a name: Temporal stores them unencrypted.
 */
export const SyncStatusKey = defineSearchAttributeKey('SyncStatus', SearchAttributeType.KEYWORD);
export const SyncStageKey = defineSearchAttributeKey('SyncStage', SearchAttributeType.KEYWORD);
export const SyncPolicyIdKey = defineSearchAttributeKey('SyncPolicyId', SearchAttributeType.KEYWORD);
export const SyncErrorCodeKey = defineSearchAttributeKey('SyncErrorCode', SearchAttributeType.KEYWORD);
export const SyncConnectionIdKey = defineSearchAttributeKey('SyncConnectionId', SearchAttributeType.KEYWORD);

export const customSearchAttributes = [SyncStatusKey, SyncStageKey, SyncPolicyIdKey, SyncErrorCodeKey, SyncConnectionIdKey] as const;

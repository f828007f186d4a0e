/**
 * The product's shared vocabulary (../shared/reference/product-spec.md): one
 * set of words for the workflow, the database, the API and the audit log.
 * Deterministic and dependency-free, so workflow code may import it.
 */
export const SyncStatus = {
  Pending: 'Pending',
  Provisioning: 'Provisioning',
  InitialSync: 'InitialSync',
  Syncing: 'Syncing',
  Synced: 'Synced',
  Failed: 'Failed',
  Paused: 'Paused',
  Excluded: 'Excluded',
  /**
   * Selected by this policy, but the mailbox pair (source connection and user
   * to target connection) is already synced under another policy: no second
   * workflow and no second copy. The row names the sync that carries it (syncedByUserId).
   */
  SyncedElsewhere: 'SyncedElsewhere',
} as const;
export type SyncStatus = (typeof SyncStatus)[keyof typeof SyncStatus];

export const SyncStage = {
  Provisioning: 'Provisioning',
  InitialSync: 'InitialSync',
  Recurring: 'Recurring',
} as const;
export type SyncStage = (typeof SyncStage)[keyof typeof SyncStage];

/** User- and connection-level errors: the user's status becomes Failed (or Excluded). */
export const UserErrorCode = {
  AuthTokenExpired: 'AUTH_TOKEN_EXPIRED',
  UserNotFound: 'USER_NOT_FOUND',
  RateLimited: 'RATE_LIMITED',
  GoogleUserCreationFailed: 'GOOGLE_USER_CREATION_FAILED',
  /** The service refused this one mailbox or account (application access policy, suspended Google account); the connection works for others. */
  MailboxAccessDenied: 'MAILBOX_ACCESS_DENIED',
  /** The source user has no Exchange Online mailbox (a guest, an unlicensed user): never provisioned, excluded on the next cycle. */
  NoMailbox: 'NO_MAILBOX',
  /** The Google account was just created and Google does not accept it yet; retried with back-off within the cycle. */
  TargetAccountNotReady: 'TARGET_ACCOUNT_NOT_READY',
  ConnectionUnavailable: 'CONNECTION_UNAVAILABLE',
  /**
   * Google refused a scope a data type needs (the contacts scope missing from the client id's
   * domain-wide delegation): that type stops, mail and the connection carry on.
   */
  ScopeNotAuthorized: 'SCOPE_NOT_AUTHORIZED',
  /**
   * Microsoft Graph refused a data type because the app registration lacks the application
   * permission it needs (Contacts.Read, Calendars.Read...): that type stops for the user, the
   * connection and the types copied before it carry on. Not MAILBOX_ACCESS_DENIED, which Graph's
   * same 403 ErrorAccessDenied means when the token does carry the permission.
   */
  PermissionNotGranted: 'PERMISSION_NOT_GRANTED',
} as const;
export type UserErrorCode = (typeof UserErrorCode)[keyof typeof UserErrorCode];

/** Item-level errors: listed in the items view, the user's status is unaffected. */
export const ItemErrorCode = {
  ItemTooLarge: 'ITEM_TOO_LARGE',
  EncryptedItem: 'ENCRYPTED_ITEM',
  UnsupportedFormat: 'UNSUPPORTED_FORMAT',
  ItemRejected: 'ITEM_REJECTED',
  /**
   * The message is in Gmail, but Gmail refused a later change to it (read
   * state, flag, categories, a move, the move to Trash of a deletion). Not
   * ITEM_REJECTED, which means no copy exists: here the copy exists and only
   * its labels are behind, which is what the administrator must know.
   */
  ChangeRejected: 'CHANGE_REJECTED',
  /** The contact is in Google Contacts, but Google refused its photo; tried again when the contact changes. */
  PhotoRejected: 'PHOTO_REJECTED',
  /** The event is in Google Calendar without its attachments (Google takes only Drive files on events; files sync is not built yet). */
  AttachmentsNotCopied: 'ATTACHMENTS_NOT_COPIED',
} as const;
export type ItemErrorCode = (typeof ItemErrorCode)[keyof typeof ItemErrorCode];

/** What the administrator should do, shown with each user-level error. */
export const recommendedAction: Record<UserErrorCode, string> = {
  AUTH_TOKEN_EXPIRED: 'Go to Connections, update the credentials, then run Test connection. Users resume as soon as the credentials work.',
  USER_NOT_FOUND: 'Verify the user in Microsoft 365. If the removal was intentional there is nothing to do: the user is excluded on the next cycle.',
  RATE_LIMITED: 'Nothing, unless it persists across several cycles: the next cycle carries on where this one stopped.',
  GOOGLE_USER_CREATION_FAILED: "Check the audit log entry for Google's error (domain, licence, name rules), fix it in Google Workspace, then retry the user.",
  MAILBOX_ACCESS_DENIED:
    'Grant the application access to this mailbox (Exchange Online application access policy, or unsuspend the Google Workspace account), or take the user out of the policy. The connection and the other users are not affected.',
  NO_MAILBOX: 'Nothing, unless the user should have a mailbox: assign an Exchange Online licence in Microsoft 365. The user is excluded on the next cycle and no Google account is created for them.',
  TARGET_ACCOUNT_NOT_READY: 'Nothing: Google is still setting up the new account and the sync retries on its own. If it persists past a few cycles, check the account in the Google Admin console.',
  CONNECTION_UNAVAILABLE: "Check the service's status page; nothing is lost, the sync retries on its own.",
  SCOPE_NOT_AUTHORIZED:
    "In the Google Admin console (Security > Access and data control > API controls > Domain-wide delegation), add the scope the message names to the sync's client ID, or take the data type out of the policy. Mail keeps syncing meanwhile, and the type carries on at the next cycle once the scope is added.",
  PERMISSION_NOT_GRANTED:
    "In the Microsoft Entra admin center (App registrations > the sync's app > API permissions), add the Microsoft Graph application permission the message names and grant admin consent for the tenant, or take the data type out of the policy. The connection and the data types synced before it keep syncing meanwhile, and the type carries on at the next cycle once consent is granted.",
};

export interface SyncError {
  code: UserErrorCode;
  message: string;
  at: string;
  /** The service's own error (status, code, message), for the audit log and the detail panel. */
  details?: Record<string, unknown>;
}

export interface ItemCounts {
  exported: number;
  imported: number;
  failed: number;
  skipped: number;
}

export const emptyCounts = (): ItemCounts => ({ exported: 0, imported: 0, failed: 0, skipped: 0 });

export function addCounts(a: ItemCounts, b: Partial<ItemCounts>): ItemCounts {
  return {
    exported: a.exported + (b.exported ?? 0),
    imported: a.imported + (b.imported ?? 0),
    failed: a.failed + (b.failed ?? 0),
    skipped: a.skipped + (b.skipped ?? 0),
  };
}

/**
 * Why a policy's membership pass failed (the policy's lastReconcileError).
 * The connection-level codes are the users' own (AUTH_TOKEN_EXPIRED,
 * RATE_LIMITED, CONNECTION_UNAVAILABLE); the others belong to the reconciler.
 */
export const ReconcileErrorCode = {
  /** A rule names a group Microsoft 365 no longer has: no user is excluded because of it. */
  GroupNotFound: 'GROUP_NOT_FOUND',
  /** A selected user's row was written but Temporal refused to start their workflow; retried at the next pass. */
  WorkflowStartFailed: 'WORKFLOW_START_FAILED',
  /** Anything else (the pass timed out, the database failed); retried at the next pass. */
  ReconcileFailed: 'RECONCILE_FAILED',
} as const;
export type ReconcileErrorCode =
  (typeof ReconcileErrorCode)[keyof typeof ReconcileErrorCode] | typeof UserErrorCode.AuthTokenExpired | typeof UserErrorCode.RateLimited | typeof UserErrorCode.ConnectionUnavailable;

/**
 * Membership audit codes (category 'membership'): USER_SELECTED, USER_RESELECTED,
 * USER_EXCLUDED, and for one sync per mailbox pair USER_SYNCED_ELSEWHERE (the
 * policy selects someone another policy's sync already carries: once, when the
 * row enters SyncedElsewhere) and USER_TAKEN_OVER (the pair's sync moved to this
 * policy, its id map with it); RECONCILE_FAILED / RECONCILE_RECOVERED for the policy's pass.
 */
export const MembershipAuditCode = {
  UserSelected: 'USER_SELECTED',
  UserReselected: 'USER_RESELECTED',
  UserExcluded: 'USER_EXCLUDED',
  UserSyncedElsewhere: 'USER_SYNCED_ELSEWHERE',
  UserTakenOver: 'USER_TAKEN_OVER',
  ReconcileFailed: 'RECONCILE_FAILED',
  ReconcileRecovered: 'RECONCILE_RECOVERED',
} as const;

/**
 * Words and numbers as the administrator reads them. The API speaks in
 * stable identifiers (InitialSync, NotTested, AUTH_TOKEN_EXPIRED); the pages
 * show these labels, and the codes themselves where support needs them.
 */

const statusLabels: Record<string, string> = { InitialSync: 'Initial Sync', SyncedElsewhere: 'Synced elsewhere' };
const connectionStatusLabels: Record<string, string> = { NotTested: 'Not tested' };
const kindLabels: Record<string, string> = { microsoft365: 'Microsoft 365', 'google-workspace': 'Google Workspace' };
const pausedReasonLabels: Record<string, string> = { operator: 'paused by an administrator', 'policy-disabled': 'the policy is disabled' };

/** The support article's names for the error codes, so the page and the article say the same thing. */
const errorTitles: Record<string, string> = {
  AUTH_TOKEN_EXPIRED: 'Authentication token expired',
  USER_NOT_FOUND: 'User not found in source',
  RATE_LIMITED: 'API rate limit exceeded',
  GOOGLE_USER_CREATION_FAILED: 'User creation failed in Google',
  MAILBOX_ACCESS_DENIED: 'Mailbox access denied',
  NO_MAILBOX: 'No mailbox in Microsoft 365',
  TARGET_ACCOUNT_NOT_READY: 'Google account not ready yet',
  CONNECTION_UNAVAILABLE: 'Service unavailable',
  SCOPE_NOT_AUTHORIZED: 'Scope not authorized in Google',
  PERMISSION_NOT_GRANTED: 'Permission not granted in Microsoft 365',
  ITEM_TOO_LARGE: 'Item too large',
  ENCRYPTED_ITEM: 'Encrypted item',
  UNSUPPORTED_FORMAT: 'Unsupported format',
  ITEM_REJECTED: 'Rejected by Google',
  CHANGE_REJECTED: 'Change refused by Google',
  PHOTO_REJECTED: 'Photo refused by Google',
  ATTACHMENTS_NOT_COPIED: 'Attachments not copied',
};

export const statusLabel = (status: string): string => statusLabels[status] ?? status;
export const stageLabel = statusLabel;
export const connectionStatusLabel = (status: string): string => connectionStatusLabels[status] ?? status;
export const kindLabel = (kind: string): string => kindLabels[kind] ?? kind;
export const pausedReasonLabel = (reason: string): string => pausedReasonLabels[reason] ?? reason;
export const errorTitle = (code: string): string => errorTitles[code] ?? code;
export const dataTypeLabel = (type: string): string => type.charAt(0).toUpperCase() + type.slice(1);

const numberFormat = new Intl.NumberFormat('en-US');
export const formatNumber = (value: number): string => numberFormat.format(value);

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Server-side text for a timestamp (UTC); the browser script rewrites it in the reader's time zone. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function formatInterval(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? 'every day' : `every ${seconds / 86_400} days`;
  if (seconds % 3_600 === 0) return seconds === 3_600 ? 'every hour' : `every ${seconds / 3_600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'every minute' : `every ${seconds / 60} minutes`;
  return `every ${seconds} seconds`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

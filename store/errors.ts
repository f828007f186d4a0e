/**
 * Typed errors of the store. Each carries a stable `code` the API maps to an
 * HTTP status (validation and cursor: 400, not found: 404, conflict: 409) and
 * a sentence an administrator can act on.
 */
export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that cannot be stored; `field` names the offending input (dotted path). */
export class StoreValidationError extends StoreError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('VALIDATION_FAILED', message);
  }
}

/** A pagination cursor that this store did not issue for this list, or that was altered. */
export class InvalidCursorError extends StoreError {
  constructor(message = 'The cursor is not valid for this list; start again from the first page.') {
    super('INVALID_CURSOR', message);
  }
}

export class StoreNotFoundError extends StoreError {
  constructor(
    readonly entity: string,
    readonly id: string | number,
  ) {
    super('NOT_FOUND', `${entity} ${id} does not exist.`);
  }
}

export type StoreConflictCode = 'CONNECTION_IN_USE' | 'POLICY_IN_USE' | 'ITEM_INTENT_MISSING';

/** The operation contradicts what is stored (something still depends on the row, or a step was skipped). */
export class StoreConflictError extends StoreError {
  constructor(
    override readonly code: StoreConflictCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** ENCRYPTION_KEY (or the key file) is not usable; shared with the payload codec's key. */
export { EncryptionKeyError } from '../shared/encryption-key.js';

/** Stored credentials cannot be decrypted: written with another key, or altered. */
export class CredentialsDecryptionError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CREDENTIALS_UNREADABLE', message, options);
  }
}

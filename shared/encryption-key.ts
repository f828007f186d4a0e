import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Loading a 32-byte key from the environment or a file in the data directory: the store's credential
// key (ENCRYPTION_KEY) and the Temporal payload codec's key (PAYLOAD_CODEC_KEY) both use it.

export const KEY_BYTES = 32;
export const KEY_FILE_NAME = 'encryption.key';

/** ENCRYPTION_KEY (or the key file) is not usable. */
export class EncryptionKeyError extends Error {
  readonly code = 'ENCRYPTION_KEY_INVALID';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Parses ENCRYPTION_KEY: base64 (standard or url-safe) of exactly 32 bytes. */
export function parseEncryptionKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new EncryptionKeyError(`${source} must be base64 of ${KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`).`);
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new EncryptionKeyError(`${source} decodes to ${key.length} bytes; it must be base64 of exactly ${KEY_BYTES} bytes (e.g. \`openssl rand -base64 32\`).`);
  }
  return key;
}

/**
 * The key given explicitly, else `${dataDir}/encryption.key` (or the file
 * named), created (mode 0600) on first use. Creation is atomic (write a
 * temporary file, then link it into place), so two processes starting
 * together agree on one key.
 */
export function loadEncryptionKey(options: { dataDir: string; encryptionKey?: string; fileName?: string; variable?: string }): Buffer {
  if (options.encryptionKey) return parseEncryptionKey(options.encryptionKey, options.variable ?? 'ENCRYPTION_KEY');
  const keyPath = path.join(options.dataDir, options.fileName ?? KEY_FILE_NAME);
  const existing = readKeyFile(keyPath);
  if (existing !== undefined) return parseEncryptionKey(existing, keyPath);

  mkdirSync(options.dataDir, { recursive: true });
  const temporaryPath = `${keyPath}.${randomUUID()}.tmp`;
  writeFileSync(temporaryPath, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(temporaryPath, 0o600);
    linkSync(temporaryPath, keyPath);
  } catch (error) {
    // Another process created the key first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporaryPath, { force: true });
  }
  const created = readKeyFile(keyPath);
  if (created === undefined) throw new EncryptionKeyError(`${keyPath} could not be created.`);
  return parseEncryptionKey(created, keyPath);
}

function readKeyFile(keyPath: string): string | undefined {
  try {
    return readFileSync(keyPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EncryptionKeyError(`${keyPath} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CredentialsDecryptionError, EncryptionKeyError } from './errors.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 'v1';
export const KEY_FILE_NAME = 'encryption.key';

/**
 * AES-256-GCM for secrets at rest. Ciphertext text format:
 * `v1:<iv>:<tag>:<data>` (base64 each). The context (e.g. the connection id)
 * is bound as additional authenticated data, so a ciphertext copied onto
 * another row does not decrypt.
 */
export interface CredentialCipher {
  encrypt(plaintext: string, context: string): string;
  decrypt(ciphertext: string, context: string): string;
}

export function createCredentialCipher(key: Buffer): CredentialCipher {
  if (key.length !== KEY_BYTES) throw new EncryptionKeyError(`The encryption key must be ${KEY_BYTES} bytes, got ${key.length}.`);
  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [FORMAT_VERSION, iv.toString('base64'), tag.toString('base64'), data.toString('base64')].join(':');
    },
    decrypt(ciphertext, context) {
      const parts = ciphertext.split(':');
      if (parts.length !== 4 || parts[0] !== FORMAT_VERSION) {
        throw new CredentialsDecryptionError(`Stored credentials of ${context} are not in a format this version can read (expected ${FORMAT_VERSION}).`);
      }
      const [, ivText, tagText, dataText] = parts as [string, string, string, string];
      const iv = Buffer.from(ivText, 'base64');
      const tag = Buffer.from(tagText, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new CredentialsDecryptionError(`Stored credentials of ${context} are damaged (bad nonce or tag length).`);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new CredentialsDecryptionError(
          `Stored credentials of ${context} cannot be decrypted with the current encryption key. ` +
            'Restore the key they were written with (ENCRYPTION_KEY or encryption.key in the data directory), or enter the credentials again.',
          { cause: error },
        );
      }
    },
  };
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

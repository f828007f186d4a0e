import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptionKeyError, KEY_BYTES } from '../shared/encryption-key.js';
import { CredentialsDecryptionError } from './errors.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 'v1';

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

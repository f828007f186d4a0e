import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { loadEncryptionKey } from './encryption-key.js';

// @temporalio/proto is CommonJS: its namespaces come through the default export under ESM.
const PayloadMessage = proto.temporal.api.common.v1.Payload;

/** The metadata that marks a payload this codec encrypted. */
export const encryptedEncoding = 'binary/encrypted';
const keyIdField = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload encrypted with another key than this process has: the operator must give every process the same key. */
export class PayloadKeyMismatchError extends Error {
  readonly code = 'PAYLOAD_KEY_MISMATCH';
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * Encrypts every payload that goes to Temporal (workflow inputs, activity
 * inputs and results, heartbeats, queries, failures' details) with
 * AES-256-GCM, so addresses, folder names and error texts are not stored
 * in Temporal in the clear. A payload without our encoding (written before
 * the codec, or by a tool without it) passes through decode unchanged.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    // Names the key without revealing it, so a mismatch says which key is which.
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      const plain = PayloadMessage.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8(encryptedEncoding), [keyIdField]: utf8(this.keyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (new TextDecoder().decode(payload.metadata?.encoding ?? new Uint8Array()) !== encryptedEncoding) return payload;
      const keyId = new TextDecoder().decode(payload.metadata?.[keyIdField] ?? new Uint8Array());
      if (keyId !== this.keyId) {
        throw new PayloadKeyMismatchError(
          `A Temporal payload was encrypted with key ${keyId || '(none named)'}, but this process has key ${this.keyId}: give every worker and the API the same PAYLOAD_CODEC_KEY (README, Payload encryption).`,
        );
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return PayloadMessage.decode(plain) as Payload;
    });
  }
}

/**
 * PAYLOAD_CODEC_KEY when set (base64 of 32 bytes; every worker and the API
 * need the same one), else `payload-codec.key` in the data directory,
 * created on first use (what `npm start`'s processes share).
 */
export function loadPayloadCodec(options: { dataDir: string; env?: NodeJS.ProcessEnv }): PayloadEncryptionCodec {
  const env = options.env ?? process.env;
  const key = loadEncryptionKey({ dataDir: options.dataDir, encryptionKey: env.PAYLOAD_CODEC_KEY || undefined, fileName: 'payload-codec.key', variable: 'PAYLOAD_CODEC_KEY' });
  return new PayloadEncryptionCodec(key);
}

export function dataConverterWith(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec] };
}

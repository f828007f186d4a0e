import { EntitySchema } from '@mikro-orm/core';
import type { ConnectionSettings } from '../repositories/connection-input.js';
import type { ConnectionKind, ConnectionStatus } from '../vocabulary.js';

/** Stored form of an error (JSON column): `at` is an ISO timestamp. */
export interface StoredErrorJson {
  code: string;
  message: string;
  at: string;
  details?: Record<string, unknown>;
}

export interface ConnectionEntity {
  id: string;
  kind: ConnectionKind;
  name: string;
  settings: ConnectionSettings;
  /** AES-256-GCM, see encryption.ts; never leaves the store except through readCredentials. */
  credentialsCiphertext: string;
  status: ConnectionStatus;
  lastError: StoredErrorJson | null;
  lastTestedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ConnectionSchema = new EntitySchema<ConnectionEntity>({
  name: 'Connection',
  tableName: 'connections',
  properties: {
    id: { type: 'uuid', primary: true },
    kind: { type: 'string', length: 32 },
    name: { type: 'string' },
    settings: { type: 'json' },
    credentialsCiphertext: { type: 'text', lazy: true },
    status: { type: 'string', length: 16 },
    lastError: { type: 'json', nullable: true },
    lastTestedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

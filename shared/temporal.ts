import { Connection, Client, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import proto from '@temporalio/proto';
import type { AppConfig } from './config.js';
import { customSearchAttributes } from './search-attributes.js';

type TemporalTarget = Pick<AppConfig, 'temporalAddress' | 'temporalTls' | 'temporalApiKey' | 'devServerPort'>;

export function temporalAddress(config: TemporalTarget): string {
  return config.temporalAddress ?? `127.0.0.1:${config.devServerPort}`;
}

function connectionOptions(config: TemporalTarget): ConnectionOptions & NativeConnectionOptions {
  return {
    address: temporalAddress(config),
    tls: config.temporalTls ? {} : undefined,
    apiKey: config.temporalApiKey,
  };
}

/** A client that encrypts and decrypts payloads with `dataConverter` (the payload codec; see shared/payload-codec.ts). */
export async function connectClient(config: TemporalTarget & Pick<AppConfig, 'temporalNamespace'>, dataConverter?: DataConverter): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.temporalNamespace, ...(dataConverter ? { dataConverter } : {}) });
}

export function connectWorkerConnection(config: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}

// @temporalio/proto is CommonJS: its namespaces come through the default export under ESM.
const keywordType = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/**
 * `--search-attribute` on the dev server applies only when the namespace is
 * created, so an existing database needs them registered through the
 * operator service. Attributes that already exist are fine.
 */
export async function registerSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = customSearchAttributes.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, keywordType])),
    });
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code !== 6 /* ALREADY_EXISTS */) throw err;
  }
}

/** Arguments for `temporal server start-dev --search-attribute`. */
export function searchAttributeArgs(): string[] {
  return customSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}

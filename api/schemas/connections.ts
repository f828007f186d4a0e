import { z } from '@hono/zod-openapi';
import { CONNECTION_STATUSES } from '../../store/index.js';
import { Timestamp } from './common.js';

const StoredErrorSchema = z
  .object({ code: z.string(), message: z.string(), at: Timestamp, details: z.record(z.string(), z.unknown()) })
  .openapi('ConnectionError');

const base = {
  id: z.guid(),
  name: z.string(),
  status: z.enum(CONNECTION_STATUSES),
  lastError: StoredErrorSchema.nullable(),
  lastTestedAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

const Microsoft365ConnectionSchema = z
  .object({
    ...base,
    kind: z.literal('microsoft365'),
    settings: z.object({ tenantId: z.string(), clientId: z.string(), authorityHost: z.string().optional(), graphBaseUrl: z.string().optional() }),
  })
  .openapi('Microsoft365Connection');

const GoogleWorkspaceConnectionSchema = z
  .object({
    ...base,
    kind: z.literal('google-workspace'),
    settings: z.object({ serviceAccountEmail: z.string(), adminSubject: z.string(), domain: z.string(), apiBaseUrl: z.string().optional() }),
  })
  .openapi('GoogleWorkspaceConnection');

/** Settings only: credentials never leave the server. */
export const ConnectionSchema = z.discriminatedUnion('kind', [Microsoft365ConnectionSchema, GoogleWorkspaceConnectionSchema]).openapi('Connection');

export const ConnectionListSchema = z.object({ items: z.array(ConnectionSchema) }).openapi('ConnectionList');

/**
 * The key file Google issues. Its fields are Google's, and Google adds some
 * now and then (universe_domain), so fields beyond these are kept, not refused.
 */
export const ServiceAccountKeySchema = z
  .looseObject({
    type: z.literal('service_account', { error: 'must be "service_account": paste the JSON key file of a service account' }),
    client_email: z.email({ error: 'must be the service account email from the key file' }).max(320),
    private_key: z
      .string()
      .max(16_384)
      .refine((key) => key.includes('PRIVATE KEY'), { error: 'must be the PEM private key from the key file' }),
  })
  .openapi('ServiceAccountKey');

const Microsoft365CredentialsBody = z
  .object({ clientSecret: z.string().min(1, { error: 'is required' }).max(1024).openapi({ description: 'The new client secret value (not its id).' }) })
  .strict()
  .openapi('Microsoft365Credentials');

const GoogleWorkspaceCredentialsBody = z
  .object({
    serviceAccountKey: z.union([ServiceAccountKeySchema, z.string().max(32_768).openapi({ description: 'The key file as text.' })]),
  })
  .strict()
  .openapi('GoogleWorkspaceCredentials');

export const CredentialsBody = z.union([Microsoft365CredentialsBody, GoogleWorkspaceCredentialsBody]);

export const ConnectionTestSchema = z
  .object({
    ok: z.boolean(),
    error: StoredErrorSchema.nullable(),
    connection: ConnectionSchema,
    signalledUsers: z.number().int().openapi({ description: 'User workflows told to run again at once (after a connection in Error tested fine).' }),
  })
  .openapi('ConnectionTest');

export const CredentialsUpdatedSchema = z
  .object({
    connection: ConnectionSchema,
    signalledUsers: z.number().int().openapi({ description: 'User workflows told that the credentials changed.' }),
  })
  .openapi('CredentialsUpdated');

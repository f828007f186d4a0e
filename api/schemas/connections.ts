import { z } from '@hono/zod-openapi';
import { CONNECTION_STATUSES } from '../../store/index.js';
import { StoredErrorBodySchema, Timestamp, timestampFields } from './common.js';

const StoredErrorSchema = StoredErrorBodySchema.openapi('ConnectionError');

const base = {
  id: z.guid(),
  name: z.string(),
  status: z.enum(CONNECTION_STATUSES),
  lastError: StoredErrorSchema.nullable(),
  lastTestedAt: Timestamp.nullable(),
  ...timestampFields,
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

/**
 * One object rather than a union, so a mistake is reported at its field
 * (body.serviceAccountKey.private_key), not as "matches no alternative".
 */
export const CredentialsBody = z
  .object({
    clientSecret: z.string().min(1, { error: 'is required' }).max(1024).optional().openapi({ description: 'microsoft365: the new client secret value (not its id).' }),
    serviceAccountKey: ServiceAccountKeySchema.optional().openapi({ description: 'google-workspace: the JSON key file of the service account, as an object.' }),
  })
  .strict()
  .refine((body) => (body.clientSecret === undefined) !== (body.serviceAccountKey === undefined), {
    error: 'send exactly one of clientSecret (Microsoft 365) or serviceAccountKey (Google Workspace)',
  })
  .openapi('Credentials');

export const ConnectionTestSchema = z
  .object({
    ok: z.boolean(),
    error: StoredErrorSchema.nullable(),
    connection: ConnectionSchema,
    signalledUsers: z.number().int().openapi({ description: 'User workflows told to run again at once (after a connection in Error tested fine).' }),
    missingPermissions: z.array(z.object({ permission: z.string(), neededFor: z.string() })).openapi({
      description:
        "Microsoft 365: Microsoft Graph application permissions the sync can use that the app registration's token lacks, with what needs each ('directory', or a data type). The test passes; users of such a type fail as PERMISSION_NOT_GRANTED. Always empty for Google Workspace.",
    }),
  })
  .openapi('ConnectionTest');

export const CredentialsUpdatedSchema = z
  .object({
    connection: ConnectionSchema,
    signalledUsers: z.number().int().openapi({ description: 'User workflows told that the credentials changed.' }),
  })
  .openapi('CredentialsUpdated');

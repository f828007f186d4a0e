import { StoreValidationError } from '../errors.js';
import { optionalHttpsUrl, requireDomain, requireEmail, requireObject, requireOneOf, requireText } from '../validate.js';
import { CONNECTION_KINDS, type ConnectionKind } from '../vocabulary.js';

/** Settings of a Microsoft 365 (Entra ID app, client credentials) connection. */
export interface Microsoft365Settings {
  tenantId: string;
  clientId: string;
  /** Default https://login.microsoftonline.com (an emulator or a national cloud otherwise). */
  authorityHost?: string;
  /** Default https://graph.microsoft.com. */
  graphBaseUrl?: string;
}

/** Settings of a Google Workspace (service account with domain-wide delegation) connection. */
export interface GoogleWorkspaceSettings {
  serviceAccountEmail: string;
  /** The administrator the service account impersonates for Directory calls. */
  adminSubject: string;
  /** The Workspace primary domain. */
  domain: string;
  /** Replaces every Google API host (an emulator); absent in production. */
  apiBaseUrl?: string;
}

export interface Microsoft365Credentials {
  clientSecret: string;
}

/** The JSON key file Google issues for a service account. */
export interface GoogleServiceAccountKey {
  type: string;
  client_email: string;
  private_key: string;
  project_id?: string;
  private_key_id?: string;
  client_id?: string;
  token_uri?: string;
  [field: string]: unknown;
}

export interface GoogleWorkspaceCredentials {
  serviceAccountKey: GoogleServiceAccountKey;
}

export type ConnectionSettings = Microsoft365Settings | GoogleWorkspaceSettings;
export type ConnectionCredentials = Microsoft365Credentials | GoogleWorkspaceCredentials;

export type NewConnection =
  | { kind: 'microsoft365'; name: string; settings: Microsoft365Settings; credentials: Microsoft365Credentials }
  | { kind: 'google-workspace'; name: string; settings: GoogleWorkspaceSettings; credentials: GoogleWorkspaceCredentials };

export function validateKind(value: unknown): ConnectionKind {
  return requireOneOf(value, CONNECTION_KINDS, 'kind');
}

export function validateConnectionName(value: unknown): string {
  return requireText(value, 'name');
}

/** Returns a clean copy: only known fields, trimmed, URLs without trailing slashes. */
export function validateSettings(kind: ConnectionKind, value: unknown): ConnectionSettings {
  const settings = requireObject(value, 'settings');
  if (kind === 'microsoft365') {
    const clean: Microsoft365Settings = {
      tenantId: requireText(settings.tenantId, 'settings.tenantId'),
      clientId: requireText(settings.clientId, 'settings.clientId'),
    };
    const authorityHost = optionalHttpsUrl(settings.authorityHost, 'settings.authorityHost');
    const graphBaseUrl = optionalHttpsUrl(settings.graphBaseUrl, 'settings.graphBaseUrl');
    if (authorityHost !== undefined) clean.authorityHost = authorityHost;
    if (graphBaseUrl !== undefined) clean.graphBaseUrl = graphBaseUrl;
    return clean;
  }
  const clean: GoogleWorkspaceSettings = {
    serviceAccountEmail: requireEmail(settings.serviceAccountEmail, 'settings.serviceAccountEmail'),
    adminSubject: requireEmail(settings.adminSubject, 'settings.adminSubject'),
    domain: requireDomain(settings.domain, 'settings.domain'),
  };
  const apiBaseUrl = optionalHttpsUrl(settings.apiBaseUrl, 'settings.apiBaseUrl');
  if (apiBaseUrl !== undefined) clean.apiBaseUrl = apiBaseUrl;
  return clean;
}

export function validateCredentials(kind: ConnectionKind, value: unknown): ConnectionCredentials {
  const credentials = requireObject(value, 'credentials');
  if (kind === 'microsoft365') {
    // Not trimmed: a secret is used exactly as given.
    const secret = credentials.clientSecret;
    if (typeof secret !== 'string' || secret === '') throw new StoreValidationError('credentials.clientSecret', 'credentials.clientSecret is required.');
    return { clientSecret: secret };
  }
  const key = requireObject(credentials.serviceAccountKey, 'credentials.serviceAccountKey');
  if (key.type !== 'service_account') {
    throw new StoreValidationError('credentials.serviceAccountKey', 'credentials.serviceAccountKey must be a service account JSON key ("type": "service_account").');
  }
  requireEmail(key.client_email, 'credentials.serviceAccountKey.client_email');
  if (typeof key.private_key !== 'string' || !key.private_key.includes('PRIVATE KEY')) {
    throw new StoreValidationError('credentials.serviceAccountKey.private_key', 'credentials.serviceAccountKey.private_key must be the PEM private key from the JSON key file.');
  }
  return { serviceAccountKey: { ...key } as GoogleServiceAccountKey };
}

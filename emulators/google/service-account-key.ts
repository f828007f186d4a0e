import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import type { ServiceAccountKeyJson } from '../../shared/google-service-account-key.js';

export type { ServiceAccountKeyJson };

export interface GeneratedServiceAccountKey {
  key: ServiceAccountKeyJson;
  publicKeyPem: string;
}

/** Google's numeric OAuth client ids are 21 digits. */
export function newNumericClientId(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 21) digits += String(randomInt(0, 10));
  return digits;
}

/**
 * A service-account key in the JSON shape Google issues, with an RSA key pair
 * generated now (never committed, never reused across runs unless persisted).
 */
export function createServiceAccountKey(input: { clientEmail: string; projectId: string; clientId?: string }): GeneratedServiceAccountKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key: ServiceAccountKeyJson = {
    type: 'service_account',
    project_id: input.projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: input.clientEmail,
    client_id: input.clientId ?? newNumericClientId(),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(input.clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
  return { key, publicKeyPem: publicKey };
}

import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { defaultGrantedPermissions } from './application-permissions.js';

/**
 * The one app registration of the emulated tenant: its client secret and the
 * access tokens issued for it. Tokens are HS256 JWTs signed with a key only
 * the emulator knows; a token "epoch" claim lets the control API invalidate
 * every issued token at once (expire-tokens, revoke) without tracking them.
 * The registration's granted application permissions go into each token's
 * `roles` claim when it is issued (application-permissions.ts).
 */
export type SecretCheck = 'valid' | 'missing' | 'invalid' | 'expired';

/** A live token carries the application permissions granted when it was issued. */
export type TokenCheck = { valid: true; roles: readonly string[] } | { valid: false; reason: 'missing' | 'malformed' | 'invalid' | 'expired' };

export interface CredentialsSnapshot {
  tenantId: string;
  clientId: string;
  clientSecret: string | null;
  secretExpired: boolean;
  tokenEpoch: number;
  signingKey: string;
  /** Absent in tenants saved before permissions were modelled: those get the defaults. */
  grantedPermissions?: string[];
}

export interface CredentialsInit {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Default: what the sync needs (defaultGrantedPermissions). */
  grantedPermissions?: readonly string[];
}

const algorithm = 'HS256';
const epochClaim = 'xms_emu_epoch';
const verifiedCacheLimit = 10_000;

export function generateClientSecret(): string {
  // Shaped after Entra secrets (a short prefix and a tilde), generated fresh on every run.
  return `emu${randomBytes(1).toString('hex').slice(0, 1)}~${randomBytes(27).toString('base64url')}`;
}

export class AppCredentials {
  private tenant: string;
  private client: string;
  private secret: string | null;
  private secretExpired = false;
  private tokenEpoch = 1;
  private signingKey: Uint8Array;
  private granted: Set<string>;
  /** Verified tokens, so the signature is checked once per token rather than once per request. */
  private readonly verified = new Map<string, { expiresAt: number; epoch: number; roles: readonly string[] }>();

  constructor(init: CredentialsInit = {}) {
    this.tenant = init.tenantId ?? randomUUID();
    this.client = init.clientId ?? randomUUID();
    this.secret = init.clientSecret ?? generateClientSecret();
    this.signingKey = randomBytes(32);
    this.granted = new Set(init.grantedPermissions ?? defaultGrantedPermissions);
  }

  get tenantId(): string {
    return this.tenant;
  }

  get clientId(): string {
    return this.client;
  }

  /** The secret that currently works, or null after a revoke (until the next rotate). */
  get clientSecret(): string | null {
    return this.secret;
  }

  checkSecret(presented: string | undefined): SecretCheck {
    if (!presented) return 'missing';
    if (this.secret === null) return 'invalid';
    const expected = Buffer.from(this.secret);
    const given = Buffer.from(presented);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return this.secretExpired ? 'expired' : 'valid';
  }

  /** A new secret replaces the old one; tokens already issued keep working, as in Entra ID. */
  rotateSecret(): string {
    this.secret = generateClientSecret();
    this.secretExpired = false;
    return this.secret;
  }

  /** The secret is deleted and every token issued with it stops working. */
  revokeSecret(): void {
    this.secret = null;
    this.expireTokens();
  }

  /** The secret passes its end date: token requests answer AADSTS7000222. */
  expireSecret(): void {
    this.secretExpired = true;
  }

  /** The application permissions with admin consent, in a stable order; new tokens carry them. */
  get grantedPermissions(): string[] {
    return [...this.granted].sort();
  }

  /**
   * Consent given or withdrawn for one permission. Tokens already issued keep
   * the roles they were issued with, as Entra's do until they expire.
   */
  setPermission(permission: string, granted: boolean): void {
    if (granted) this.granted.add(permission);
    else this.granted.delete(permission);
  }

  /** Control reset: back to the permissions the emulator started with. */
  resetPermissions(permissions: readonly string[]): void {
    this.granted = new Set(permissions);
  }

  expireTokens(): void {
    this.tokenEpoch++;
    this.verified.clear();
  }

  async issueAccessToken(options: { audience: string; issuer: string; lifetimeSeconds: number }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: this.tenantId, appid: this.clientId, idtyp: 'app', roles: this.grantedPermissions, [epochClaim]: this.tokenEpoch })
      .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(this.clientId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + options.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.signingKey);
  }

  async verifyAccessToken(token: string | undefined): Promise<TokenCheck> {
    if (!token) return { valid: false, reason: 'missing' };
    const now = Math.floor(Date.now() / 1000);
    const cached = this.verified.get(token);
    if (cached) return this.judge(cached, now);
    if (token.split('.').length !== 3) return { valid: false, reason: 'malformed' };
    try {
      const { payload } = await jwtVerify(token, this.signingKey, { algorithms: [algorithm] });
      const expiresAt = typeof payload.exp === 'number' ? payload.exp : 0;
      const epoch = typeof payload[epochClaim] === 'number' ? payload[epochClaim] : -1;
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === 'string') : [];
      const entry = { expiresAt, epoch, roles };
      if (this.verified.size >= verifiedCacheLimit) this.verified.clear();
      this.verified.set(token, entry);
      return this.judge(entry, now);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired || error instanceof joseErrors.JWTClaimValidationFailed) return { valid: false, reason: 'expired' };
      if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return { valid: false, reason: 'malformed' };
      return { valid: false, reason: 'invalid' };
    }
  }

  /** Back to a known secret (control reset); live tokens stay live, revoked ones stay revoked. */
  resetSecret(secret: string): void {
    this.secret = secret;
    this.secretExpired = false;
  }

  /** Persistence only: the app registration as saved. */
  restore(snapshot: CredentialsSnapshot): void {
    this.tenant = snapshot.tenantId;
    this.client = snapshot.clientId;
    this.secret = snapshot.clientSecret;
    this.secretExpired = snapshot.secretExpired;
    this.tokenEpoch = snapshot.tokenEpoch;
    this.signingKey = Buffer.from(snapshot.signingKey, 'base64');
    this.granted = new Set(snapshot.grantedPermissions ?? defaultGrantedPermissions);
    this.verified.clear();
  }

  toSnapshot(): CredentialsSnapshot {
    return {
      tenantId: this.tenantId,
      clientId: this.clientId,
      clientSecret: this.secret,
      secretExpired: this.secretExpired,
      tokenEpoch: this.tokenEpoch,
      signingKey: Buffer.from(this.signingKey).toString('base64'),
      grantedPermissions: this.grantedPermissions,
    };
  }

  private judge(token: { expiresAt: number; epoch: number; roles: readonly string[] }, now: number): TokenCheck {
    if (token.epoch !== this.tokenEpoch || token.expiresAt <= now) return { valid: false, reason: 'expired' };
    return { valid: true, roles: token.roles };
  }
}

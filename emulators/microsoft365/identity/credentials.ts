import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

/**
 * The one app registration of the emulated tenant: its client secret and the
 * access tokens issued for it. Tokens are HS256 JWTs signed with a key only
 * the emulator knows; a token "epoch" claim lets the control API invalidate
 * every issued token at once (expire-tokens, revoke) without tracking them.
 */
export type SecretCheck = 'valid' | 'missing' | 'invalid' | 'expired';

export type TokenCheck = { valid: true } | { valid: false; reason: 'missing' | 'malformed' | 'invalid' | 'expired' };

export interface CredentialsSnapshot {
  tenantId: string;
  clientId: string;
  clientSecret: string | null;
  secretExpired: boolean;
  tokenEpoch: number;
  signingKey: string;
}

export interface CredentialsInit {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
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
  /** Verified tokens, so the signature is checked once per token rather than once per request. */
  private readonly verified = new Map<string, { expiresAt: number; epoch: number }>();

  constructor(init: CredentialsInit = {}) {
    this.tenant = init.tenantId ?? randomUUID();
    this.client = init.clientId ?? randomUUID();
    this.secret = init.clientSecret ?? generateClientSecret();
    this.signingKey = randomBytes(32);
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

  expireTokens(): void {
    this.tokenEpoch++;
    this.verified.clear();
  }

  async issueAccessToken(options: { audience: string; issuer: string; lifetimeSeconds: number; roles: string[] }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: this.tenantId, appid: this.clientId, idtyp: 'app', roles: options.roles, [epochClaim]: this.tokenEpoch })
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
    if (cached) return this.judge(cached.expiresAt, cached.epoch, now);
    if (token.split('.').length !== 3) return { valid: false, reason: 'malformed' };
    try {
      const { payload } = await jwtVerify(token, this.signingKey, { algorithms: [algorithm] });
      const expiresAt = typeof payload.exp === 'number' ? payload.exp : 0;
      const epoch = typeof payload[epochClaim] === 'number' ? payload[epochClaim] : -1;
      if (this.verified.size >= verifiedCacheLimit) this.verified.clear();
      this.verified.set(token, { expiresAt, epoch });
      return this.judge(expiresAt, epoch, now);
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
    };
  }

  private judge(expiresAt: number, epoch: number, now: number): TokenCheck {
    if (epoch !== this.tokenEpoch || expiresAt <= now) return { valid: false, reason: 'expired' };
    return { valid: true };
  }
}

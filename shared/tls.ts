import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';
import { withDefaultTlsHostnames } from './tls-hostnames.js';

/**
 * The emulators speak HTTPS because the real client libraries insist on it
 * (the Graph client only attaches bearer tokens to https URLs, MSAL refuses
 * insecure authorities). A local CA is generated once into the data directory;
 * processes that call the emulators trust it through NODE_EXTRA_CA_CERTS.
 */
export interface LocalTls {
  caCertPath: string;
  cert: string;
  key: string;
}

export interface LocalTlsOptions {
  /**
   * Names the server certificate must carry besides localhost, 127.0.0.1 and
   * ::1 (host names or IP addresses), e.g. the Compose service name other
   * containers reach the emulators by.
   */
  hostnames?: readonly string[];
}

const validityYears = 10;

function newKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    privatePem: privateKey,
  };
}

function newCertificate(publicKey: forge.pki.rsa.PublicKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive serial: a leading 0x00-0x7f byte keeps the DER integer unsigned.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + validityYears * 365 * 24 * 3600 * 1000);
  return cert;
}

function createAuthority(): { certPem: string; cert: forge.pki.Certificate; privateKey: forge.pki.rsa.PrivateKey; keyPem: string } {
  const keys = newKeyPair();
  const cert = newCertificate(keys.publicKey);
  const subject = [{ name: 'commonName', value: 'm365-google-continuity local CA' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }, { name: 'subjectKeyIdentifier' }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), cert, privateKey: keys.privateKey, keyPem: keys.privatePem };
}

interface Authority {
  cert: forge.pki.Certificate;
  privateKey: forge.pki.rsa.PrivateKey;
}

// subjectAltName GeneralName tags (RFC 5280 §4.2.1.6): 2 is dNSName, 7 is iPAddress.
function altNameOf(name: string): { type: 2; value: string } | { type: 7; ip: string } {
  return isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name };
}

function createServerCertificate(ca: Authority, hostnames: readonly string[]): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const cert = newCertificate(keys.publicKey);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hostnames.map(altNameOf),
    },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** True when a TLS client checking the certificate by each of these names (RFC 6125, subjectAltName only) accepts it. */
export function certificateCovers(certPem: string, hostnames: readonly string[]): boolean {
  const cert = new X509Certificate(certPem);
  return hostnames.every((name) => (isIP(name) === 0 ? cert.checkHost(name, { subject: 'never', wildcards: false }) : cert.checkIP(name)) !== undefined);
}

function loadAuthority(caCertPath: string, caKeyPath: string): Authority {
  if (!existsSync(caKeyPath)) {
    throw new Error(
      `The local CA's key ${caKeyPath} is missing, so no certificate with new names can be issued; delete ${path.dirname(caKeyPath)} to create a new CA (processes that trust the old one must then be restarted).`,
    );
  }
  return {
    cert: forge.pki.certificateFromPem(readFileSync(caCertPath, 'utf8')),
    privateKey: forge.pki.privateKeyFromPem(readFileSync(caKeyPath, 'utf8')) as forge.pki.rsa.PrivateKey,
  };
}

/**
 * Creates the CA and a server certificate on first use; reuses them after.
 * When the certificate lacks a name asked for, a new one is issued by the
 * same CA, so whoever trusts ca.pem keeps trusting it.
 */
export function ensureLocalTls(dataDir: string, options: LocalTlsOptions = {}): LocalTls {
  const dir = path.join(dataDir, 'tls');
  const caCertPath = path.join(dir, 'ca.pem');
  const caKeyPath = path.join(dir, 'ca-key.pem');
  const certPath = path.join(dir, 'localhost.pem');
  const keyPath = path.join(dir, 'localhost-key.pem');
  const hostnames = withDefaultTlsHostnames(options.hostnames ?? []);
  const writeServerCertificate = (ca: Authority): void => {
    const server = createServerCertificate(ca, hostnames);
    writeFileSync(keyPath, server.keyPem, { mode: 0o600 });
    writeFileSync(certPath, server.certPem);
  };
  if (!existsSync(caCertPath) || !existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    const ca = createAuthority();
    writeFileSync(caKeyPath, ca.keyPem, { mode: 0o600 });
    writeFileSync(caCertPath, ca.certPem);
    writeServerCertificate(ca);
  } else if (!certificateCovers(readFileSync(certPath, 'utf8'), hostnames)) {
    writeServerCertificate(loadAuthority(caCertPath, caKeyPath));
  }
  return { caCertPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

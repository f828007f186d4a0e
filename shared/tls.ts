import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

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
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), cert, privateKey: keys.privateKey, keyPem: keys.privatePem };
}

function createServerCertificate(ca: { cert: forge.pki.Certificate; privateKey: forge.pki.rsa.PrivateKey }): { certPem: string; keyPem: string } {
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
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** Creates the CA and a localhost server certificate on first use; reuses them after. */
export function ensureLocalTls(dataDir: string): LocalTls {
  const dir = path.join(dataDir, 'tls');
  const caCertPath = path.join(dir, 'ca.pem');
  const certPath = path.join(dir, 'localhost.pem');
  const keyPath = path.join(dir, 'localhost-key.pem');
  if (!existsSync(caCertPath) || !existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    const ca = createAuthority();
    const server = createServerCertificate(ca);
    writeFileSync(path.join(dir, 'ca-key.pem'), ca.keyPem, { mode: 0o600 });
    writeFileSync(caCertPath, ca.certPem);
    writeFileSync(keyPath, server.keyPem, { mode: 0o600 });
    writeFileSync(certPath, server.certPem);
  }
  return { caCertPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

import { isIP } from 'node:net';

/**
 * The names a certificate of the local CA must carry. localhost and the
 * loopback addresses are always there (`npm start`, the tests); a container
 * setup adds the names other containers reach the emulators by, which in
 * Docker Compose are the service names (EMULATOR_TLS_HOSTNAMES).
 */
export const defaultTlsHostnames: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export class TlsHostnameError extends Error {
  readonly code = 'EMULATOR_TLS_HOSTNAME_INVALID';
}

// RFC 5280 §4.2.1.6: a dNSName is in the "preferred name syntax" of RFC 1034 §3.5 —
// labels of letters, digits and hyphens, neither starting nor ending with a hyphen,
// at most 63 characters each and 253 in all. An underscore (allowed in Compose
// service names) is not, so it is refused here rather than by a TLS client later.
const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

function isDnsName(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => dnsLabel.test(label));
}

/** A host name or an IP address, as it can stand in a certificate's subjectAltName. */
export function checkTlsHostname(variable: string, name: string): string {
  if (isIP(name) !== 0 || isDnsName(name)) return name.toLowerCase();
  throw new TlsHostnameError(
    `${variable} holds "${name}", which is neither an IP address nor a host name a certificate can carry: use letters, digits, hyphens and dots only (rename a Compose service that has an underscore).`,
  );
}

/** A comma- or space-separated list of names, e.g. EMULATOR_TLS_HOSTNAMES=graph-emulator,google-emulator; unset or empty is none. */
export function parseTlsHostnames(variable: string, raw: string | undefined): string[] {
  const names = (raw ?? '')
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return [...new Set(names.map((name) => checkTlsHostname(variable, name)))];
}

/** The defaults, then the extra names, each once. */
export function withDefaultTlsHostnames(extra: readonly string[]): string[] {
  return [...new Set([...defaultTlsHostnames, ...extra.map((name) => name.toLowerCase())])];
}

import { copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { checkTlsHostname, parseTlsHostnames } from '../shared/tls-hostnames.js';
import { writeDemoConnections, type DemoConnections } from '../shared/demo-connections.js';

/**
 * How the emulators are reached when the sync runs elsewhere, e.g. in other
 * containers of the Docker Compose demo profile. Every part is configuration:
 * the sync itself only ever sees URLs and a CA to trust.
 */
export interface EmulatorNetworkOptions {
  /** Address to listen on (EMULATOR_HOST). */
  host: string;
  /** Extra names for the certificate (EMULATOR_TLS_HOSTNAMES). */
  tlsHostnames: string[];
  /** Host name the demo connections' URLs name (EMULATOR_PUBLIC_HOST); unset, localhost. */
  publicHost: string | undefined;
  /** Directory that receives ca.pem and demo-connections.json for other processes (EMULATOR_SHARE_DIR). */
  shareDir: string | undefined;
}

export function emulatorNetworkOptionsFromEnv(env: NodeJS.ProcessEnv): EmulatorNetworkOptions {
  const publicHost = env.EMULATOR_PUBLIC_HOST?.trim();
  return {
    host: env.EMULATOR_HOST || '127.0.0.1',
    tlsHostnames: parseTlsHostnames('EMULATOR_TLS_HOSTNAMES', env.EMULATOR_TLS_HOSTNAMES),
    publicHost: publicHost ? checkTlsHostname('EMULATOR_PUBLIC_HOST', publicHost) : undefined,
    shareDir: env.EMULATOR_SHARE_DIR ? path.resolve(env.EMULATOR_SHARE_DIR) : undefined,
  };
}

/** The certificate must carry the public host too, or the URLs the demo hands out would fail verification. */
export function certificateHostnames(tlsHostnames: readonly string[], publicHost: string | undefined): string[] {
  return [...new Set([...tlsHostnames, ...(publicHost ? [publicHost] : [])])];
}

/** https://<publicHost>:<port>; the served (localhost) URL when no public host is set. */
export function advertisedUrl(servedUrl: string, publicHost: string | undefined): string {
  if (!publicHost) return servedUrl;
  const url = new URL(servedUrl);
  url.hostname = isIP(publicHost) === 6 ? `[${publicHost}]` : publicHost;
  return url.origin;
}

export interface SharedFiles {
  caCertPath: string;
  demoConnectionsPath: string;
}

/**
 * Copies what another process needs to reach the emulators into shareDir:
 * the CA certificate to trust (public) and the demo connection settings the
 * worker creates its first connections from. The CA's key, the server key and
 * the emulators' saved state stay in their own data directory.
 */
export function shareWithOtherProcesses(shareDir: string, caCertPath: string, connections: DemoConnections): SharedFiles {
  mkdirSync(shareDir, { recursive: true });
  const sharedCa = path.join(shareDir, 'ca.pem');
  // Aside, then renamed: a process starting meanwhile reads the old file or the new one, never half of one.
  const temporary = `${sharedCa}.${process.pid}.tmp`;
  copyFileSync(caCertPath, temporary);
  renameSync(temporary, sharedCa);
  return { caCertPath: sharedCa, demoConnectionsPath: writeDemoConnections(shareDir, connections) };
}

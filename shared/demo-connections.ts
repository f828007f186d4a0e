import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceAccountKeyJson } from './google-service-account-key.js';

/**
 * What the sync needs to create its two demo connections against the
 * emulators. The shapes match GraphConnectionSettings and
 * GoogleConnectionSettings (plus the Google domain users are created in), so
 * each half can be handed to its client factory as it is.
 */
export interface DemoMicrosoft365Connection {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  graphBaseUrl: string;
}

export interface DemoGoogleWorkspaceConnection {
  serviceAccountKey: ServiceAccountKeyJson;
  adminSubject: string;
  domain: string;
  apiBaseUrl: string;
}

export interface DemoConnections {
  microsoft365: DemoMicrosoft365Connection;
  googleWorkspace: DemoGoogleWorkspaceConnection;
}

const fileName = 'demo-connections.json';

/** DATA_DIR/emulators/demo-connections.json */
export function demoConnectionsPath(emulatorsDir: string): string {
  return path.join(emulatorsDir, fileName);
}

export function readDemoConnections(emulatorsDir: string): DemoConnections | undefined {
  const file = demoConnectionsPath(emulatorsDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as DemoConnections;
}

/** Owner-only, written aside then renamed: it holds a client secret and a private key. */
export function writeDemoConnections(emulatorsDir: string, connections: DemoConnections): string {
  mkdirSync(emulatorsDir, { recursive: true });
  const file = demoConnectionsPath(emulatorsDir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(connections, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  return file;
}

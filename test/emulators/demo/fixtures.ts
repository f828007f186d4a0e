import { cpSync, mkdtempSync } from 'node:fs';
import path from 'node:path';

/**
 * A fresh data directory for `startEmulators`, holding the test run's local
 * CA (the one NODE_EXTRA_CA_CERTS trusts) so the emulators serve certificates
 * the clients accept.
 */
export function freshDataDir(): string {
  const suiteDataDir = process.env.DATA_DIR;
  if (!suiteDataDir) throw new Error('DATA_DIR is not set: run the tests with `npm test`, which creates it and trusts its CA.');
  const dataDir = mkdtempSync(path.join(suiteDataDir, 'demo-emulators-'));
  cpSync(path.join(suiteDataDir, 'tls'), path.join(dataDir, 'tls'), { recursive: true });
  return dataDir;
}

interface ControlUser {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  messages: number;
}

/** GET /_control/users of the Microsoft 365 emulator: users with their message counts. */
export async function controlUsers(m365Url: string): Promise<ControlUser[]> {
  const response = await fetch(`${m365Url}/_control/users`);
  if (!response.ok) throw new Error(`GET /_control/users answered ${response.status}`);
  return ((await response.json()) as { users: ControlUser[] }).users;
}

export async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

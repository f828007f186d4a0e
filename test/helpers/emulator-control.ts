import { expect } from 'vitest';

/** POST to an emulator's control API (unauthenticated); the answer's JSON, or {} when it has none. */
export async function control<T = Record<string, unknown>>(baseUrl: string, path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}: ${await res.clone().text()}`).toBe(true);
  return (await res.json().catch(() => ({}))) as T;
}

/** GET from an emulator's control API. */
export async function controlGet<T>(baseUrl: string, path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`);
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

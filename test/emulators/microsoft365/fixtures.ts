import type { GraphError } from '@microsoft/microsoft-graph-client';
import type { RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';

/** The GraphError a call must end with; throws when it succeeds. */
export async function failureOf(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    return error as GraphError;
  }
  throw new Error('expected the call to fail');
}

/** POST to the emulator's control API; its JSON answer, or an error naming the route and status. */
export async function controlJson<T = Record<string, unknown>>(running: RunningMicrosoft365Emulator, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${running.url}/_control${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

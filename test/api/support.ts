import { inject } from 'vitest';
import { createApp, type ApiApp, type ApiDeps } from '../../api/app.js';
import type { Store } from '../../store/index.js';
import type { TestTemporal } from '../helpers/temporal.js';

export const apiToken = 'api-suite-token';
export const authHeaders = { authorization: `Bearer ${apiToken}` };

/** The app as main.ts wires it, on the suite's Temporal server and the given store. */
export function createApiApp(temporal: TestTemporal, store: Store, overrides: Partial<ApiDeps> = {}): ApiApp {
  return createApp({
    config: { temporalNamespace: temporal.namespace, temporalTaskQueue: temporal.taskQueue, temporalUiUrl: inject('temporalUiUrl') },
    temporal: temporal.client,
    temporalAddress: inject('temporalAddress'),
    apiToken,
    store,
    // Generous: two shared cores can hold a worker back; a missing workflow answers at once anyway.
    workflowQueryTimeoutMs: 5_000,
    ...overrides,
  });
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  contentType: string;
  body: T;
}

/** Authenticated JSON calls against an app, answers parsed. */
export function apiClient(app: ApiApp) {
  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...authHeaders, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'content-type': 'application/json', ...init.headers };
    }
    const res = await app.request(path, init);
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : null) as T };
  }
  return {
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body?: unknown) => call<T>('POST', path, body),
    put: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('PUT', path, body, headers),
    patch: <T = Record<string, unknown>>(path: string, body?: unknown) => call<T>('PATCH', path, body),
    delete: <T = Record<string, unknown>>(path: string) => call<T>('DELETE', path),
    call,
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export interface ProblemBody {
  code: string;
  detail: string;
  status: number;
  errors?: { path: string; message: string }[];
  serviceError?: { service: string; kind: string; status?: number; code?: string; message: string };
}

export const unknownId = '3f2b8c1e-6d4a-4f7e-9a51-2c8e0d7b4a10';

/** Walks a cursor-paginated list to the end. */
export async function readAllPages<T>(api: ApiClient, path: string, pageSize: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const res: ApiResponse<{ items: T[]; nextCursor: string | null }> = await api.get(`${path}${separator}limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages += 1;
  } while (cursor !== null && pages < 1000);
  return { items, pages };
}

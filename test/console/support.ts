import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { inject } from 'vitest';
import { createApp, type ApiApp, type ApiDeps } from '../../api/app.js';
import type { Store } from '../../store/index.js';
import type { TestTemporal } from '../helpers/temporal.js';

export const consoleApiToken = 'console-suite-token-0123456789';

export interface ConsoleStack {
  /** The API app with the console mounted, exactly as `npm start` serves it. */
  app: ApiApp;
  /** What the browser talks to. */
  fetch: (request: Request) => Response | Promise<Response>;
}

/** The API exactly as main.ts builds it (console included), on the suite's Temporal and the given store. */
export function createConsoleStack(temporal: TestTemporal, store: Store, options: { refreshSeconds?: number; api?: Partial<ApiDeps> } = {}): ConsoleStack {
  const app = createApp({
    config: { temporalNamespace: temporal.namespace, temporalTaskQueue: temporal.taskQueue, temporalUiUrl: inject('temporalUiUrl') },
    temporal: temporal.client,
    temporalAddress: inject('temporalAddress'),
    apiToken: consoleApiToken,
    store,
    workflowQueryTimeoutMs: 1_000,
    consoleRefreshSeconds: options.refreshSeconds ?? 1,
    ...options.api,
  });
  return { app, fetch: (request) => app.fetch(request) };
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Serves the stack over HTTP on a free port of 127.0.0.1, for Chromium. */
export async function serveConsole(stack: ConsoleStack): Promise<RunningConsole> {
  return new Promise((resolve) => {
    const server = serve({ fetch: stack.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Signs in through the form handler and returns the cookie header and the page's CSRF token. */
export async function signIn(stack: ConsoleStack): Promise<{ cookie: string; csrfToken: string }> {
  const res = await stack.fetch(
    new Request('http://console.test/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://console.test' },
      body: new URLSearchParams({ token: consoleApiToken, next: '/' }).toString(),
    }),
  );
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const page = await stack.fetch(new Request('http://console.test/', { headers: { cookie } }));
  const csrfToken = /<meta name="csrf-token" content="([^"]+)"/.exec(await page.text())?.[1];
  if (!cookie.startsWith('session=') || !csrfToken) throw new Error(`sign-in failed: ${res.status}`);
  return { cookie, csrfToken };
}

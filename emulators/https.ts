import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { LocalTls } from '../shared/tls.js';

export interface RunningEmulator {
  /** Base URL without a trailing slash, e.g. https://localhost:3001 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves an emulator's Hono app over HTTPS with the local CA's localhost
 * certificate; port 0 picks a free port (tests).
 */
export function serveHttps(app: Pick<Hono, 'fetch'>, options: { port: number; tls: Pick<LocalTls, 'cert' | 'key'>; hostname?: string }): Promise<RunningEmulator> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname: options.hostname ?? '127.0.0.1',
        createServer,
        serverOptions: { key: options.tls.key, cert: options.tls.cert },
      },
      (info: AddressInfo) => {
        resolve({
          url: `https://localhost:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}

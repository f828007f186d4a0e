import { serve } from '@hono/node-server';
import { loadConfig, ensureDataDir } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { connectClient, temporalAddress } from '../shared/temporal.js';
import { dataConverterWith, loadPayloadCodec } from '../shared/payload-codec.js';
import { openStore } from '../store/index.js';
import { createApp } from './app.js';
import { loadOrCreateApiToken } from './auth.js';
import { membershipRunRequester } from './services/membership.js';

const config = loadConfig();
const log = createLogger('api', config.logLevel);
ensureDataDir(config);
const { token, created } = loadOrCreateApiToken(config.dataDir);
if (created) log.info({ tokenFile: `${config.dataDir}/api-token` }, 'generated an API token; it is stored in the data directory');

const store = await openStore({ dataDir: config.dataDir, databaseUrl: process.env.DATABASE_URL, encryptionKey: process.env.ENCRYPTION_KEY });
const payloadCodec = loadPayloadCodec({ dataDir: config.dataDir });
const temporal = await connectClient(config, dataConverterWith(payloadCodec));
const app = createApp({
  config,
  temporal,
  temporalAddress: temporalAddress(config),
  apiToken: token,
  store,
  log,
  onPolicyChanged: membershipRunRequester(temporal, config.temporalTaskQueue),
  metricsToken: process.env.METRICS_TOKEN || undefined,
  payloadCodec,
});
const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST || '0.0.0.0' }, (info) => {
  log.info({ port: info.port }, 'API listening');
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // Ctrl-C reaches this process and `npm start`, which then sends SIGTERM too: stop once.
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down API');
    server.close(() => {
      void Promise.allSettled([temporal.connection.close(), store.close()]).finally(() => process.exit(0));
    });
    // An open console keeps keep-alive connections; close() alone would wait for them.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}

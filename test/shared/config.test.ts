import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dataDir: path.resolve('./data'),
      port: 3000,
      temporalAddress: undefined,
      temporalNamespace: 'default',
      temporalTaskQueue: 'm365-google-sync',
      temporalUiUrl: 'http://localhost:8233',
      devServerPort: 7233,
      devServerUiPort: 8233,
      m365EmulatorPort: 3001,
      googleEmulatorPort: 3002,
      startEmulators: true,
      temporalTls: false,
    });
  });

  it('reads overrides and turns TLS on with an API key', () => {
    const config = loadConfig({ PORT: '8080', TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k', DATA_DIR: '/tmp/x', START_EMULATORS: 'false' });
    expect(config).toMatchObject({ port: 8080, temporalAddress: 'ns.acct.tmprl.cloud:7233', temporalTls: true, dataDir: '/tmp/x', startEmulators: false });
  });

  it('names the variable and the value when one is malformed', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT must be a whole number between 0 and 65535, got "eighty"');
    expect(() => loadConfig({ START_EMULATORS: 'maybe' })).toThrow('START_EMULATORS must be true or false, got "maybe"');
  });

  it('reads the download budget in megabytes, and refuses a budget of nothing', () => {
    expect(loadConfig({}).workerDownloadBudgetBytes).toBeUndefined();
    expect(loadConfig({ WORKER_DOWNLOAD_BUDGET_MB: '64' }).workerDownloadBudgetBytes).toBe(64 * 1024 * 1024);
    expect(() => loadConfig({ WORKER_DOWNLOAD_BUDGET_MB: '0' })).toThrow('WORKER_DOWNLOAD_BUDGET_MB must be a whole number of megabytes from 1 to 1048576, got "0"');
    expect(() => loadConfig({ WORKER_DOWNLOAD_BUDGET_MB: '1.5' })).toThrow(/WORKER_DOWNLOAD_BUDGET_MB must be a whole number/);
  });

  it('reads the worker deployment version only from both variables, and names the missing one', () => {
    expect(loadConfig({}).workerDeployment).toBeUndefined();
    expect(loadConfig({ TEMPORAL_WORKER_DEPLOYMENT_NAME: 'm365-google-sync', TEMPORAL_WORKER_BUILD_ID: '2026-12-01.1' }).workerDeployment).toEqual({
      deploymentName: 'm365-google-sync',
      buildId: '2026-12-01.1',
    });
    expect(() => loadConfig({ TEMPORAL_WORKER_DEPLOYMENT_NAME: 'm365-google-sync' })).toThrow(
      /needs both TEMPORAL_WORKER_DEPLOYMENT_NAME and TEMPORAL_WORKER_BUILD_ID; TEMPORAL_WORKER_BUILD_ID is not set/,
    );
    expect(() => loadConfig({ TEMPORAL_WORKER_BUILD_ID: 'abc' })).toThrow(/TEMPORAL_WORKER_DEPLOYMENT_NAME is not set/);
    expect(() => loadConfig({ TEMPORAL_WORKER_DEPLOYMENT_NAME: 'a.b', TEMPORAL_WORKER_BUILD_ID: 'abc' })).toThrow(/must not contain a dot/);
  });
});

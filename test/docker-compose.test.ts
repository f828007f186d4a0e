import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Docker cannot run on the build machines, so the compose file is kept honest by reading it.
interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  container_name?: string;
  ports?: string[];
  profiles?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has the production topology with official images', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'worker', 'api']));
    expect(services.postgresql!.image).toMatch(/^postgres:\d+/);
    expect(services.temporal!.image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(services['temporal-ui']!.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
  });

  it('runs the worker and the API from this project, the worker scalable', () => {
    for (const name of ['worker', 'api']) {
      const service = services[name]!;
      expect(service.build).toBe('.');
      const entry = service.command?.at(-1);
      expect(entry && existsSync(entry), `${name} command points at ${entry}`).toBe(true);
      expect(service.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TASK_QUEUE: 'm365-google-sync' });
      expect(String(service.environment?.DATABASE_URL)).toMatch(/^postgres:\/\/.*@postgresql:5432\//);
    }
    // `--scale worker=N` fails with a fixed container name or a published port.
    expect(services.worker!.container_name).toBeUndefined();
    expect(services.worker!.ports).toBeUndefined();
    expect(existsSync('Dockerfile')).toBe(true);
  });

  it('mounts files that exist and keeps the emulators behind the demo profile', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(source), `${source} exists`).toBe(true);
      }
    }
    expect(services.emulators?.profiles).toEqual(['demo']);
  });

  it('names in README only services that exist', () => {
    const readme = readFileSync('README.md', 'utf8');
    const named = [...readme.matchAll(/compose[^\n]*?--scale (\w[\w-]*)=/g), ...readme.matchAll(/`compose service: ([\w-]+)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(Object.keys(services)).toContain(name);
  });
});

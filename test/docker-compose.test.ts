import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { certificateHostnames, emulatorNetworkOptionsFromEnv, shareWithOtherProcesses } from '../emulators/container.js';
import type { DemoConnections } from '../shared/demo-connections.js';
import { loadConfig } from '../shared/config.js';
import { demoConnectionsFile } from '../worker/bootstrap.js';
import { loadComposeValidator } from './helpers/compose-schema.js';

// Docker cannot run on the build machines, so the compose file is kept honest by reading it:
// against the Compose Specification's schema, then for what the schema cannot see.
interface ComposeDependency {
  condition?: string;
  required?: boolean;
}

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  container_name?: string;
  ports?: string[];
  expose?: string[];
  profiles?: string[];
  depends_on?: Record<string, ComposeDependency> | string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  healthcheck?: { test?: string[] };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const composeText = readFileSync('docker-compose.yml', 'utf8');
const readCompose = (): ComposeFile => parse(composeText, { merge: true }) as ComposeFile;
const compose = readCompose();
const services = compose.services;
const dockerfile = readFileSync('Dockerfile', 'utf8');

function dependenciesOf(service: ComposeService): Record<string, ComposeDependency> {
  const dependsOn = service.depends_on ?? {};
  return Array.isArray(dependsOn) ? Object.fromEntries(dependsOn.map((name) => [name, {}])) : dependsOn;
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  named: boolean;
}

function mountsOf(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((volume) => {
    const [source = '', target = '', mode = ''] = volume.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro'), named: !/^[./~]/.test(source) };
  });
}

/** Ports a service's container listens on, as the file declares them (`ports` container side, `expose`). */
function containerPortsOf(service: ComposeService): number[] {
  const published = (service.ports ?? []).map((port) => Number(port.split('/')[0]!.split(':').at(-1)));
  return [...published, ...(service.expose ?? []).map(Number)];
}

function publishedPorts(): number[] {
  return Object.values(services).flatMap((service) => (service.ports ?? []).map((port) => Number(port.split(':').at(-2))));
}

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value)]));
}

/** The Dockerfile's ENV for a name (the last one wins), e.g. DATA_DIR=/data. */
function dockerfileEnv(name: string): string | undefined {
  const values = [...dockerfile.matchAll(/^ENV\s+(.+)$/gm)].flatMap((line) => [...line[1]!.matchAll(/(\w+)=(\S+)/g)]).filter((match) => match[1] === name);
  return values.at(-1)?.[2];
}

const profileless = (service: ComposeService): boolean => (service.profiles ?? []).length === 0;

describe('docker-compose.yml against the Compose Specification schema', () => {
  const validator = loadComposeValidator();

  it('conforms to the published schema, validated with the draft the schema declares', () => {
    expect(validator.draft).toBe('draft-07');
    expect(validator.validate(readCompose())).toEqual([]);
  });

  it('fails a copy with an unknown service key, an unknown dependency condition or a misspelt top-level key, saying where', () => {
    const unknownKey = readCompose();
    (unknownKey.services.worker as Record<string, unknown>).healthchek = { test: ['CMD', 'true'] };
    expect(validator.validate(unknownKey)).toContain('/services/worker: must NOT have additional properties "healthchek"');

    const badCondition = parse(composeText.replace('condition: service_healthy\n  required: false', 'condition: service_ready\n  required: false'), { merge: true }) as ComposeFile;
    expect(validator.validate(badCondition)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/services\/worker\/depends_on\/emulators\/condition: must be equal to one of the allowed values/)]),
    );

    const misspelt = parse(composeText.replace(/^volumes:$/m, 'volume:'), { merge: true }) as ComposeFile;
    expect(validator.validate(misspelt)).toContain('/: must NOT have additional properties "volume"');
  });
});

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
      for (const mount of mountsOf(service)) {
        if (!mount.named) expect(existsSync(mount.source), `${mount.source} exists`).toBe(true);
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

describe('docker-compose.yml: what the schema cannot check', () => {
  it('depends only on services that exist, and on a profile-gated one only as required: false', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, options] of Object.entries(dependenciesOf(service))) {
        expect(Object.keys(services), `${name} depends on ${dependency}`).toContain(dependency);
        const target = services[dependency]!;
        // compose-go (loader/validate.go) refuses the whole project when a service depends on one its
        // active profiles leave out, unless the dependency says `required: false`.
        const canRunWithout = profileless(service) ? !profileless(target) : (service.profiles ?? []).some((profile) => !(target.profiles ?? []).includes(profile) && !profileless(target));
        if (canRunWithout) expect(options.required, `${name} → ${dependency} is behind a profile ${name} can run without`).toBe(false);
      }
    }
  });

  it('points every service URL and address in the environment at a service and a port it listens on, and browser links at published ports', () => {
    const checked: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, raw] of Object.entries(environmentOf(service))) {
        // Interpolations (${VAR:-default}) stand for user data, never for hosts here.
        const value = raw.replace(/\$\{[^}]*\}/g, 'x');
        const target = /^[a-z][a-z0-9+.-]*:\/\//.test(value) ? new URL(value) : /^[a-z][a-z0-9-]*:\d+$/.test(value) ? new URL(`tcp://${value}`) : undefined;
        if (!target) continue;
        checked.push(`${name}.${variable}`);
        const port = Number(target.port);
        if (target.hostname === 'localhost') {
          expect(publishedPorts(), `${name}.${variable}=${raw}: a port on localhost must be published`).toContain(port);
        } else {
          expect(Object.keys(services), `${name}.${variable}=${raw}: host is a service`).toContain(target.hostname);
          expect(containerPortsOf(services[target.hostname]!), `${name}.${variable}=${raw}: ${target.hostname} listens on ${port}`).toContain(port);
        }
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['worker.TEMPORAL_ADDRESS', 'worker.DATABASE_URL', 'api.TEMPORAL_UI_URL', 'temporal-ui.TEMPORAL_ADDRESS', 'temporal-ui.TEMPORAL_CORS_ORIGINS']));
  });

  it('declares every named volume it mounts, and mounts every one it declares', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const mounted = new Set(
      Object.values(services).flatMap((service) =>
        mountsOf(service)
          .filter((mount) => mount.named)
          .map((mount) => mount.source),
      ),
    );
    for (const volume of mounted) expect(declared, `volume ${volume}`).toContain(volume);
    expect([...mounted].sort()).toEqual([...declared].sort());
  });

  it('wires the demo across containers: names, ports, the shared volume and the CA the worker and the API trust', () => {
    const emulators = services.emulators!;
    const emulatorEnv = environmentOf(emulators);
    const network = emulatorNetworkOptionsFromEnv(emulatorEnv);
    // The demo URLs name the service itself, and the certificate carries that name.
    expect(network.publicHost).toBe('emulators');
    expect(network.tlsHostnames).toContain('emulators');
    expect(certificateHostnames(network.tlsHostnames, network.publicHost)).toContain('emulators');
    expect(network.host).toBe('0.0.0.0');
    // The ports the emulators listen on are the ones the compose file declares for them.
    const config = loadConfig(emulatorEnv);
    expect(containerPortsOf(emulators)).toEqual(expect.arrayContaining([config.m365EmulatorPort, config.googleEmulatorPort]));

    // The share: a named volume mounted writable at EMULATOR_SHARE_DIR in the emulators...
    const shareMount = mountsOf(emulators).find((mount) => mount.target === network.shareDir);
    expect(shareMount, `a volume mounted at EMULATOR_SHARE_DIR=${network.shareDir}`).toMatchObject({ named: true, readOnly: false });
    // ...holding the files the emulators write there (learned by writing them once).
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'compose-share-'));
    let written: { ca: string; connections: string };
    try {
      writeFileSync(path.join(scratch, 'ca-source.pem'), 'CA');
      const files = shareWithOtherProcesses(path.join(scratch, 'share'), path.join(scratch, 'ca-source.pem'), {} as DemoConnections);
      written = { ca: path.basename(files.caCertPath), connections: path.basename(files.demoConnectionsPath) };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    expect(emulators.healthcheck?.test?.join(' ')).toContain(`${network.shareDir}/${written.connections}`);

    for (const name of ['worker', 'api']) {
      const service = services[name]!;
      const env = environmentOf(service);
      // Mounted read-only where the worker's first start looks for demo-connections.json (DATA_DIR/emulators).
      const dataDir = env.DATA_DIR ?? dockerfileEnv('DATA_DIR');
      expect(dataDir, `${name} has a DATA_DIR`).toBeDefined();
      const expectedTarget = path.posix.dirname(demoConnectionsFile(dataDir!));
      expect(path.posix.basename(demoConnectionsFile(dataDir!))).toBe(written.connections);
      expect(mountsOf(service), `${name} mounts the share`).toContainEqual({ source: shareMount!.source, target: expectedTarget, readOnly: true, named: true });
      // Node reads NODE_EXTRA_CA_CERTS once, at start: the CA in the share, after the emulators are healthy.
      expect(env.NODE_EXTRA_CA_CERTS).toBe(`${expectedTarget}/${written.ca}`);
      expect(dependenciesOf(service).emulators).toEqual({ condition: 'service_healthy', required: false });
    }
  });

  it('builds one image whose Dockerfile fits the commands and mounts compose uses', () => {
    const built = Object.entries(services).filter(([, service]) => service.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(['api', 'emulators', 'worker']);
    const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    const runsAs = dockerfile.match(/^USER\s+(\S+)/m)?.[1];
    const volumeAt = dockerfile.search(/^VOLUME\s/m);
    const mkdirs = [...dockerfile.matchAll(/mkdir -p ([^&\n]+)/g)].flatMap((match) => match[1]!.trim().split(/\s+/));
    const chowned = [...dockerfile.matchAll(/chown -R (\S+) ([^&\n]+)/g)].flatMap((match) =>
      match[2]!
        .trim()
        .split(/\s+/)
        .map((dir) => ({ owner: match[1]!, dir })),
    );
    const preparedBeforeVolume = dockerfile.search(/mkdir -p /m) < volumeAt;
    for (const [name, service] of built) {
      expect(service.build).toBe('.');
      // `npm ci --omit=dev` in the image: what the command loads must be a runtime dependency.
      expect(service.command?.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
      expect(packageJson.dependencies.tsx, 'tsx is a dependency, not a devDependency').toBeDefined();
      expect(existsSync(service.command!.at(-1)!), `${name} command entry exists`).toBe(true);
      // A new named volume takes the owner of its mount point in the image; the processes run as ${runsAs}.
      for (const mount of mountsOf(service).filter((each) => each.named)) {
        expect(
          mkdirs.some((dir) => dir === mount.target || dir.startsWith(`${mount.target}/`)),
          `${name}: ${mount.target} is created in the image`,
        ).toBe(true);
        expect(
          chowned.some(({ owner, dir }) => owner.split(':')[0] === runsAs && (mount.target === dir || mount.target.startsWith(`${dir}/`))),
          `${name}: ${mount.target} belongs to ${runsAs}`,
        ).toBe(true);
      }
    }
    expect(runsAs).toBe('node');
    expect(preparedBeforeVolume, 'mount points are prepared before VOLUME, which freezes /data').toBe(true);
    expect(dockerfileEnv('DATA_DIR')).toBe('/data');
  });
});

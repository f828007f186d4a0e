import type { BenchDatabase } from './database.js';

/**
 * What one bench run measures, and how big. `--quick` shrinks every scenario
 * so the whole run takes a few minutes; the full sizes are the issue's.
 */
export const scenarioIds = ['throughput', 'overhead', 'history', 'idle', 'fleet', 'api', 'contacts', 'calendar'] as const;
export type ScenarioId = (typeof scenarioIds)[number];

export interface FleetSize {
  users: number;
  /** The user workflows' cycle interval during the run. */
  intervalSeconds: number;
}

export interface BenchOptions {
  quick: boolean;
  /** Scenarios to run; all when absent. History and idle cycles reuse the throughput run's mailbox. */
  only: ReadonlySet<ScenarioId>;
  /** Capture CPU profiles of the sync worker for the scenarios that run it. */
  profile: boolean;
  /** The sync's database for the scenarios that run the sync (not scenario 6, the API's own SQLite list). */
  database: BenchDatabase;
  throughput: { messages: number; quotaScale: number };
  overhead: { messages: number };
  idle: { cycles: number };
  /** firstSyncsTimeoutSeconds: how long the first syncs may take before the window is measured anyway. */
  /** cachedWorkflows: the worker's workflow cache (WORKER_MAX_CACHED_WORKFLOWS); null gives it one per user. */
  fleet: { sizes: FleetSize[]; messagesPerUser: number; measureSeconds: number; firstSyncsTimeoutSeconds: number; cachedWorkflows: number | null };
  api: { users: number; requests: number };
  /** quotaScale multiplies the People API's quotas and the sync's People pacing alike; idleCycles follow the initial sync. */
  contacts: { contacts: number; quotaScale: number; idleCycles: number };
  /** Outlook events to copy (four fifths in the default calendar, one fifth in a second); idleCycles follow the initial sync. */
  calendar: { events: number; idleCycles: number };
}

function fleetSizes(raw: string): FleetSize[] {
  return raw.split(',').map((part) => {
    const [users, interval] = part.split(':').map(Number);
    if (!users || !interval || users < 1 || interval < 1) throw new Error(`--fleet takes users:intervalSeconds pairs such as 2000:120,10000:300; got "${part}".`);
    return { users, intervalSeconds: interval };
  });
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const [name, value] = arg.replace(/^--/, '').split('=', 2) as [string, string | undefined];
    flags.set(name, value ?? 'true');
  }
  const known = new Set([
    'quick',
    'only',
    'profile',
    'database',
    'fleet',
    'fleet-measure-seconds',
    'fleet-first-syncs-timeout',
    'fleet-cache',
    'messages',
    'quota-scale',
    'contacts',
    'contacts-quota-scale',
    'events',
  ]);
  for (const name of flags.keys()) {
    if (!known.has(name))
      throw new Error(
        `Unknown option --${name}. Options: --quick, --only=${scenarioIds.join(',')}, --profile, --database=sqlite|postgres, --messages=N, --quota-scale=K, --contacts=N, --contacts-quota-scale=K, --events=N, --fleet=users:interval,..., --fleet-measure-seconds=N, --fleet-first-syncs-timeout=N, --fleet-cache=N.`,
      );
  }
  const quick = flags.has('quick');
  const database = flags.get('database') ?? 'sqlite';
  if (database !== 'sqlite' && database !== 'postgres') throw new Error(`--database takes sqlite or postgres; got "${database}".`);
  const onlyRaw = flags.get('only');
  const only = new Set<ScenarioId>(
    onlyRaw
      ? onlyRaw.split(',').map((id) => {
          if (!(scenarioIds as readonly string[]).includes(id)) throw new Error(`--only: unknown scenario "${id}"; choose from ${scenarioIds.join(', ')}.`);
          return id as ScenarioId;
        })
      : scenarioIds,
  );
  const events = flags.has('events') ? Number(flags.get('events')) : quick ? 500 : 5_000;
  if (!Number.isInteger(events) || events < 1 || events > 10_000) throw new Error(`--events takes a whole number from 1 to 10,000; got "${flags.get('events')}".`);
  const fleetCache = flags.has('fleet-cache') ? Number(flags.get('fleet-cache')) : null;
  if (fleetCache !== null && (!Number.isInteger(fleetCache) || fleetCache < 1)) throw new Error(`--fleet-cache takes a number of workflows, 1 or more; got "${flags.get('fleet-cache')}".`);
  const messages = flags.has('messages') ? Number(flags.get('messages')) : quick ? 2_000 : 20_000;
  return {
    quick,
    only,
    profile: flags.has('profile'),
    database,
    // k = 4: a 40 messages/s ceiling. At k = 10 (100/s) the copy needs more CPU than two cores have
    // (about 11 ms in the worker and 10 ms in the emulators per message), and the bench would measure the machine.
    throughput: { messages, quotaScale: flags.has('quota-scale') ? Number(flags.get('quota-scale')) : 4 },
    overhead: { messages },
    idle: { cycles: 12 },
    fleet: {
      // 2,000 users every 180 s ask for the cycle rate of 10,000 every 15 minutes (667 a minute);
      // then the target itself: 10,000 users every 15 minutes.
      sizes: flags.has('fleet')
        ? fleetSizes(flags.get('fleet')!)
        : quick
          ? [{ users: 200, intervalSeconds: 60 }]
          : [
              { users: 2_000, intervalSeconds: 180 },
              { users: 10_000, intervalSeconds: 900 },
            ],
      messagesPerUser: 2,
      measureSeconds: flags.has('fleet-measure-seconds') ? Number(flags.get('fleet-measure-seconds')) : quick ? 90 : 240,
      // About 4 first syncs a second fit on this machine: 10,000 users take some 45 minutes.
      firstSyncsTimeoutSeconds: flags.has('fleet-first-syncs-timeout') ? Number(flags.get('fleet-first-syncs-timeout')) : quick ? 300 : 3_600,
      cachedWorkflows: fleetCache,
    },
    api: { users: quick ? 2_000 : 10_000, requests: quick ? 100 : 300 },
    contacts: {
      contacts: flags.has('contacts') ? Number(flags.get('contacts')) : quick ? 1_000 : 5_000,
      // At the real 60 People writes a minute 5,000 contacts take half an hour or more; k = 4 keeps the
      // People quota the binding one (Graph, unscaled, allows about 16 contacts a second).
      quotaScale: flags.has('contacts-quota-scale') ? Number(flags.get('contacts-quota-scale')) : 4,
      // Twelve include the cycle that rereads the folder tree (folderDiscoveryEveryCycles).
      idleCycles: 12,
    },
    calendar: {
      // At the real 600 Calendar requests a minute, 5,000 events take about ten minutes: no scaling.
      events,
      // Twelve include the cycle that rereads the calendar list (folderDiscoveryEveryCycles).
      idleCycles: 12,
    },
  };
}

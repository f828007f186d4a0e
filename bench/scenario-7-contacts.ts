import { defaultPacing, type PacingSettings } from '../activities/pacing.js';
import { SOURCE_ID_KEY } from '../activities/contacts/person-mapping.js';
import { defaultQuota as graphDefaultQuota } from '../emulators/microsoft365/index.js';
import { defaultQuota as googleDefaultQuota } from '../emulators/google/options.js';
import type { BenchContext, ScenarioResult } from './harness/context.js';
import { sampleCounter, steadyRate, waitForInitialSync } from './harness/copy-progress.js';
import { benchDomain, googleRequests, microsoftRequests, startBenchEmulators } from './harness/emulators.js';
import { driveIdleCycles, summarizeIdleCycles } from './harness/idle-cycles.js';
import { peopleRequests } from './harness/people-requests.js';
import { count, decimal, percent } from './harness/report.js';
import { startBenchSync, type StartedUser } from './harness/sync-setup.js';
import type { BenchTemporal } from './harness/temporal.js';

/**
 * Scenario 7: one user's initial copy of Outlook contacts to Google Contacts,
 * then idle cycles. The policy copies contacts only, so every request is the
 * contacts'. Graph runs at its real quota (10,000 requests per mailbox per
 * 10 minutes, 4 in flight); the People API's per-user quotas (60 writes and
 * 90 reads a minute, the emulator's defaults) and the sync's People pacing
 * (60 a minute, its default) are multiplied by the same factor k, as an
 * operator would configure the sync for a raised quota, so the copy takes
 * minutes rather than an hour.
 *
 * Ceiling: the slower of the People write quota divided by the write
 * requests a contact actually cost (creates or batch creates, photo
 * uploads, group writes: measured, not assumed) and Graph's quota divided by
 * the Graph requests a contact cost. The fraction of the People ceiling
 * does not depend on k.
 */
const sessionIntervalSeconds = 3_600;
const deltaPageSize = 100;

export async function runContacts(ctx: BenchContext, temporal: BenchTemporal): Promise<ScenarioResult> {
  const { contacts, quotaScale: k, idleCycles } = ctx.options.contacts;
  const peopleWritesPerMinute = googleDefaultQuota.peopleWritesPerMinute * k;
  const peopleReadsPerMinute = googleDefaultQuota.peopleReadsPerMinute * k;
  const graphQuota = { ...graphDefaultQuota };
  const emulators = await startBenchEmulators({
    m365: { quota: graphQuota },
    google: { quota: { enabled: true, peopleWritesPerMinute, peopleReadsPerMinute } },
  });
  const user = emulators.m365.emulator.seed({ seed: 15, users: 1, messagesPerUser: 0, failingItemsPerUser: 0, groups: false, contactsPerUser: contacts }).users[0]!;
  const targetEmail = `${(user.mail ?? user.userPrincipalName).split('@')[0]}@${benchDomain}`;
  const pacing: PacingSettings = { ...defaultPacing, peopleUserRequestsPerMinute: defaultPacing.peopleUserRequestsPerMinute * k };
  const sync = await startBenchSync({
    bench: await ctx.syncPlacement('contacts'),
    temporal,
    emulators,
    pacing,
    deltaPageSize,
    dataTypes: ['contacts'],
    label: 'contacts',
  });
  let started: StartedUser | undefined;
  try {
    ctx.log(
      `contacts: ${count(contacts)} contacts, People quotas and pacing ×${k} (${peopleWritesPerMinute} writes/min), Graph at ${graphQuota.requestsPerWindow} per ${graphQuota.windowSeconds} s; copying...`,
    );
    // People write requests, not contacts created: a batch creates 200 at once, the photos follow one by one.
    const timeline = sampleCounter(() => peopleRequests(emulators).writes);
    const [one] = await sync.startUsers([user], { intervalSeconds: sessionIntervalSeconds });
    started = one!;
    // Allow for the slowest plausible cost: one create and one photo per contact at the scaled write quota.
    const cycle = await waitForInitialSync(sync.store, started.syncUserId, ((contacts * 2) / (peopleWritesPerMinute / 60)) * 2_000 + 300_000);
    timeline.stop();

    const people = peopleRequests(emulators);
    const microsoft = microsoftRequests(emulators);
    const google = googleRequests(emulators);
    const copied = emulators.google.emulator.contactsOf(targetEmail);
    const sourceIds = copied.map((person) => (person.clientData as Array<{ key?: string; value?: string }> | undefined)?.find((entry) => entry.key === SOURCE_ID_KEY)?.value);
    const distinctSourceIds = new Set(sourceIds.filter((id): id is string => Boolean(id))).size;
    const exactlyOnce = copied.length === contacts && distinctSourceIds === contacts;

    const rate = contacts / cycle.seconds;
    const writesPerContact = people.writes / contacts;
    const cruising = steadyRate(timeline.samples) / writesPerContact;
    const graphPerContact = microsoft.total / contacts;
    const peopleCeiling = peopleWritesPerMinute / 60 / writesPerContact;
    const graphCeiling = graphQuota.requestsPerWindow / graphQuota.windowSeconds / graphPerContact;
    const ceiling = Math.min(peopleCeiling, graphCeiling);
    const binding = peopleCeiling <= graphCeiling ? 'People writes' : 'Graph';
    const peopleTotal = people.writes + people.reads;
    const refusedShare = (people.refusedWrites + people.refusedReads) / Math.max(1, peopleTotal);
    ctx.log(
      `contacts: ${count(contacts)} in ${decimal(cycle.seconds)} s = ${decimal(rate, 2)}/s; ${decimal(writesPerContact, 3)} People writes and ${decimal(graphPerContact, 3)} Graph requests per contact; ceiling ${decimal(ceiling, 2)}/s (${binding}) → ${percent(rate / ceiling)}; ${copied.length} in Google, ${distinctSourceIds} distinct source ids`,
    );

    const idle = await driveIdleCycles(temporal.client, emulators, started, idleCycles);
    const folders = (await sync.store.containers.forType('contacts').list(started.syncUserId)).length;
    const { discoveryCycles, microsoftOrdinary, microsoftDiscovery, microsoftAverage, googleOrdinary, googleDiscovery } = summarizeIdleCycles(idle);
    ctx.log(`contacts idle: ${folders} folders; Microsoft ${microsoftOrdinary} per ordinary cycle, ${microsoftDiscovery} when rediscovering; Google ${googleOrdinary} / ${googleDiscovery}`);

    const details = {
      contacts,
      quotaScale: k,
      quotas: { peopleWritesPerMinute, peopleReadsPerMinute, graph: graphQuota },
      pacing,
      deltaPageSize,
      initialCycle: cycle,
      contactsPerSecond: { wholeInitialCycle: rate, cruising },
      requestsPerContact: { peopleWrites: writesPerContact, peopleReads: people.reads / contacts, graph: graphPerContact },
      ceilingContactsPerSecond: { people: peopleCeiling, graph: graphCeiling, binding: ceiling, bindingQuota: binding },
      fractionOfCeiling: { wholeInitialCycle: rate / ceiling, cruising: cruising / ceiling, ofPeopleCeiling: rate / peopleCeiling },
      requests: { people, microsoft, google },
      peopleRefusedShare: refusedShare,
      exactlyOnce: { expected: contacts, inGoogle: copied.length, distinctSourceIds, withoutSourceId: sourceIds.filter((id) => !id).length, ok: exactlyOnce },
      workerActivityFailures: sync.worker.activityFailures(),
      timeline: timeline.samples,
      idle: {
        folders,
        cycles: idle,
        microsoftPerOrdinaryCycle: microsoftOrdinary,
        microsoftPerOrdinaryCyclePerFolder: microsoftOrdinary / Math.max(1, folders),
        microsoftPerDiscoveryCycle: microsoftDiscovery,
        microsoftAveragePerCycle: microsoftAverage,
        googlePerOrdinaryCycle: googleOrdinary,
        googlePerDiscoveryCycle: googleDiscovery,
      },
    };
    const scenario = '7 Contacts';
    const rows = [
      {
        scenario,
        metric: `Initial sync of ${count(contacts)} contacts: contacts/s ÷ quota ceiling (${decimal(ceiling, 2)}/s, ${binding}; People ×${k})`,
        measured: `${decimal(rate, 2)}/s = ${percent(rate / ceiling)}`,
        target: '≥ 90 %',
        met: rate / ceiling >= 0.9,
      },
      {
        scenario,
        metric: 'Same, cruising (People writes/s between 10 % and 90 % of them ÷ writes per contact)',
        measured: `${decimal(cruising, 2)}/s = ${percent(cruising / ceiling)}`,
        target: '',
        met: null,
      },
      {
        scenario,
        metric: 'Requests per contact: People writes / Graph',
        measured: `${decimal(writesPerContact, 3)} / ${decimal(graphPerContact, 3)}`,
        target: '',
        met: null,
      },
      {
        scenario,
        metric: 'People requests refused with 429 ÷ all People requests',
        measured: `${count(people.refusedWrites + people.refusedReads)} of ${count(peopleTotal)} = ${percent(refusedShare, 2)}`,
        target: '< 1 %',
        met: refusedShare < 0.01,
      },
      {
        scenario,
        metric: 'Exactly once: contacts in Google / distinct m365ContactId',
        measured: `${count(copied.length)} / ${count(distinctSourceIds)}`,
        target: `${count(contacts)} / ${count(contacts)}`,
        met: exactlyOnce,
      },
      {
        scenario,
        metric: `Microsoft requests per ordinary idle cycle (${folders} contact folders)`,
        measured: `${microsoftOrdinary} (${decimal(microsoftOrdinary / Math.max(1, folders), 2)} per folder)`,
        target: `≤ ${folders} (one delta per folder)`,
        met: microsoftOrdinary <= folders,
      },
      {
        scenario,
        metric: `Microsoft requests averaged over ${idle.length} idle cycles (${discoveryCycles} rereads the folder tree: ${microsoftDiscovery} requests)`,
        measured: decimal(microsoftAverage),
        target: `≤ ${folders}`,
        met: microsoftAverage <= folders,
      },
      {
        scenario,
        metric: 'Google requests per idle cycle: ordinary / folder-rereading',
        measured: `${googleOrdinary} / ${googleDiscovery}`,
        target: '0 / 0',
        met: googleOrdinary === 0 && googleDiscovery === 0,
      },
    ];
    return { rows, details };
  } finally {
    await started?.handle.terminate('benchmark finished').catch(() => undefined);
    await sync.close();
    await emulators.close();
  }
}

import { windowDueAt } from '../activities/calendar/delta-window.js';
import { DEFAULT_CALENDAR_MONTHS_AHEAD, DEFAULT_CALENDAR_MONTHS_BACK } from '../store/index.js';
import { defaultPacing } from '../activities/pacing.js';
import { defaultQuota as graphDefaultQuota } from '../emulators/microsoft365/index.js';
import { defaultQuota as googleDefaultQuota } from '../emulators/google/options.js';
import { checkExactlyOnce, seedOutlookEvents, type OutlookCalendarPart } from './harness/calendar-corpus.js';
import { calendarRequests } from './harness/calendar-requests.js';
import type { BenchContext, ScenarioResult } from './harness/context.js';
import { sampleCounter, steadyRate, waitForInitialSync } from './harness/copy-progress.js';
import { benchDomain, googleRequests, microsoftRequests, startBenchEmulators } from './harness/emulators.js';
import { driveIdleCycles, summarizeIdleCycles } from './harness/idle-cycles.js';
import { count, decimal, percent } from './harness/report.js';
import { startBenchSync, type StartedUser } from './harness/sync-setup.js';
import type { BenchTemporal } from './harness/temporal.js';

/**
 * Scenario 8: one user's initial copy of Outlook events to Google Calendar,
 * then idle cycles. Four fifths of the events are in the default calendar
 * (to the primary Google calendar), one fifth in a second one ("Projects",
 * to a secondary calendar the sync creates); one in five of each is a weekly
 * series of ten. The policy copies the calendar only. Every quota is the
 * real one: Calendar 600 requests a minute per user (the emulator's and the
 * sync's pacing default alike), Graph 10,000 requests per mailbox per 10
 * minutes, 4 in flight.
 *
 * Ceiling: the slower of the Calendar quota divided by the Calendar
 * requests an event actually cost (the quota counts reads as well as
 * writes) and Graph's quota divided by the Graph requests an event cost,
 * both counted by the emulators.
 */
const sessionIntervalSeconds = 3_600;
const deltaPageSize = 100;
const defaultCalendar = 'Calendar';
const secondCalendar = 'Projects';
/** A generated series runs ten weeks from its first day. */
const seriesSpanDays = 9 * 7 + 1;

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

/** The generated events, three a day, each part starting a month into the window the sync reads (delta-window.ts). */
function corpusParts(events: number, window: { start: string; end: string }): OutlookCalendarPart[] {
  const second = Math.round(events / 5);
  const parts = [
    { calendar: defaultCalendar, count: events - second },
    { calendar: secondCalendar, count: second },
  ].filter((part) => part.count > 0);
  const from = new Date(window.start);
  from.setUTCMonth(from.getUTCMonth() + 1);
  for (const part of parts) {
    const last = addDays(from, Math.ceil(part.count / 3) + seriesSpanDays);
    if (last >= new Date(window.end)) throw new Error(`${count(part.count)} events at three a day do not fit in the sync's calendar window (${window.start} to ${window.end}); ask for fewer.`);
  }
  return parts.map((part) => ({ ...part, from: isoDate(from) }));
}

export async function runCalendar(ctx: BenchContext, temporal: BenchTemporal): Promise<ScenarioResult> {
  const { events, idleCycles } = ctx.options.calendar;
  const calendarPerMinute = googleDefaultQuota.calendarUserRequestsPerMinute;
  const graphQuota = { ...graphDefaultQuota };
  const emulators = await startBenchEmulators({
    m365: { quota: graphQuota },
    google: { quota: { enabled: true, calendarUserRequestsPerMinute: calendarPerMinute } },
  });
  const user = emulators.m365.emulator.seed({ seed: 16, users: 1, messagesPerUser: 0, failingItemsPerUser: 0, groups: false, contactsPerUser: 0 }).users[0]!;
  const targetEmail = `${(user.mail ?? user.userPrincipalName).split('@')[0]}@${benchDomain}`;
  const window = windowDueAt(new Date(), { monthsBack: DEFAULT_CALENDAR_MONTHS_BACK, monthsAhead: DEFAULT_CALENDAR_MONTHS_AHEAD });
  const parts = corpusParts(events, window);
  const outlook = await seedOutlookEvents(emulators, user.userPrincipalName, parts, window);
  // The seeding went through the control API: the sync's requests are counted from zero.
  emulators.m365.emulator.stats.reset();
  const series = outlook.events.filter((event) => event.type === 'seriesMaster').length;
  const pacing = { ...defaultPacing };
  const sync = await startBenchSync({
    bench: await ctx.syncPlacement('calendar'),
    temporal,
    emulators,
    pacing,
    deltaPageSize,
    dataTypes: ['calendar'],
    label: 'calendar',
  });
  let started: StartedUser | undefined;
  try {
    ctx.log(
      `calendar: ${count(outlook.events.length)} events (${count(series)} series, ${count(outlook.occurrencesInWindow)} occurrences in the window) in ${parts.length} calendars, Calendar ${calendarPerMinute}/min per user (pacing ${pacing.calendarUserRequestsPerMinute}), Graph ${graphQuota.requestsPerWindow} per ${graphQuota.windowSeconds} s; copying...`,
    );
    const timeline = sampleCounter(() => calendarRequests(emulators).writes);
    const [one] = await sync.startUsers([user], { intervalSeconds: sessionIntervalSeconds });
    started = one!;
    // Allow for three Calendar requests per event at the quota, twice over.
    const cycle = await waitForInitialSync(sync.store, started.syncUserId, ((events * 3) / (calendarPerMinute / 60)) * 2_000 + 300_000);
    timeline.stop();

    const calendar = calendarRequests(emulators);
    const microsoft = microsoftRequests(emulators);
    const graphCalendar = emulators.m365.emulator.stats.snapshot().calendar;
    const google = googleRequests(emulators);
    const exactlyOnce = checkExactlyOnce(emulators, targetEmail, outlook, window, defaultCalendar);

    const n = outlook.events.length;
    const rate = n / cycle.seconds;
    const calendarTotal = calendar.writes + calendar.reads;
    const calendarPerEvent = calendarTotal / n;
    const writesPerEvent = calendar.writes / n;
    const cruising = steadyRate(timeline.samples) / writesPerEvent;
    const graphPerEvent = microsoft.total / n;
    const calendarCeiling = calendarPerMinute / 60 / calendarPerEvent;
    const graphCeiling = graphQuota.requestsPerWindow / graphQuota.windowSeconds / graphPerEvent;
    const ceiling = Math.min(calendarCeiling, graphCeiling);
    const binding = calendarCeiling <= graphCeiling ? 'Calendar' : 'Graph';
    const refused = calendar.refusedWrites + calendar.refusedReads;
    const refusedShare = refused / Math.max(1, calendarTotal);
    ctx.log(
      `calendar: ${count(n)} in ${decimal(cycle.seconds)} s = ${decimal(rate, 2)}/s; ${decimal(calendarPerEvent, 3)} Calendar and ${decimal(graphPerEvent, 3)} Graph requests per event; ceiling ${decimal(ceiling, 2)}/s (${binding}) → ${percent(rate / ceiling)}; ${exactlyOnce.inGoogle} in Google, ${exactlyOnce.distinctSourceIds} distinct source ids, ${calendar.emailsSent} e-mails`,
    );

    const idle = await driveIdleCycles(temporal.client, emulators, started, idleCycles);
    const calendars = (await sync.store.containers.forType('calendar').list(started.syncUserId)).length;
    const { discoveryCycles, microsoftOrdinary, microsoftDiscovery, microsoftAverage, googleOrdinary, googleDiscovery } = summarizeIdleCycles(idle);
    const emailsAfterIdle = calendarRequests(emulators).emailsSent;
    ctx.log(`calendar idle: ${calendars} calendars; Microsoft ${microsoftOrdinary} per ordinary cycle, ${microsoftDiscovery} when rediscovering; Google ${googleOrdinary} / ${googleDiscovery}`);

    const details = {
      events: n,
      series,
      corpus: parts,
      window,
      quotas: { calendarUserRequestsPerMinute: calendarPerMinute, graph: graphQuota },
      pacing,
      deltaPageSize,
      initialCycle: cycle,
      eventsPerSecond: { wholeInitialCycle: rate, cruising },
      requestsPerEvent: { calendar: calendarPerEvent, calendarWrites: writesPerEvent, calendarReads: calendar.reads / n, graph: graphPerEvent },
      ceilingEventsPerSecond: { calendar: calendarCeiling, graph: graphCeiling, binding: ceiling, bindingQuota: binding },
      fractionOfCeiling: { wholeInitialCycle: rate / ceiling, cruising: cruising / ceiling },
      requests: { calendar, graphCalendar, microsoft, google },
      calendarRefusedShare: refusedShare,
      exactlyOnce,
      calendarEmailsSent: emailsAfterIdle,
      workerActivityFailures: sync.worker.activityFailures(),
      timeline: timeline.samples,
      idle: {
        calendars,
        cycles: idle,
        microsoftPerOrdinaryCycle: microsoftOrdinary,
        microsoftPerOrdinaryCyclePerCalendar: microsoftOrdinary / Math.max(1, calendars),
        microsoftPerDiscoveryCycle: microsoftDiscovery,
        microsoftAveragePerCycle: microsoftAverage,
        googlePerOrdinaryCycle: googleOrdinary,
        googlePerDiscoveryCycle: googleDiscovery,
      },
    };
    const scenario = '8 Calendar';
    const rows = [
      {
        scenario,
        metric: `Initial sync of ${count(n)} events (${count(series)} series): events/s ÷ quota ceiling (${decimal(ceiling, 2)}/s, ${binding})`,
        measured: `${decimal(rate, 2)}/s = ${percent(rate / ceiling)}`,
        target: '≥ 90 %',
        met: rate / ceiling >= 0.9,
      },
      {
        scenario,
        metric: 'Same, cruising (Calendar writes/s between 10 % and 90 % of them ÷ writes per event)',
        measured: `${decimal(cruising, 2)}/s = ${percent(cruising / ceiling)}`,
        target: '',
        met: null,
      },
      {
        scenario,
        metric: 'Requests per event: Calendar writes + reads / Graph',
        measured: `${decimal(writesPerEvent, 3)} + ${decimal(calendar.reads / n, 3)} / ${decimal(graphPerEvent, 3)}`,
        target: '',
        met: null,
      },
      {
        scenario,
        metric: 'Calendar requests refused (429, 403 rate or usage limit) ÷ all Calendar requests',
        measured: `${count(refused)} of ${count(calendarTotal)} = ${percent(refusedShare, 2)}`,
        target: '< 1 %',
        met: refusedShare < 0.01,
      },
      {
        scenario,
        metric: `Exactly once: events in Google / distinct m365EventId (series once; ${count(exactlyOnce.occurrences.outlookInWindow)} occurrences in Outlook's window, ${count(exactlyOnce.occurrences.googleInWindow)} in Google's)`,
        measured: `${count(exactlyOnce.inGoogle)} / ${count(exactlyOnce.distinctSourceIds)}`,
        target: `${count(n)} / ${count(n)}`,
        met: exactlyOnce.ok,
      },
      {
        scenario,
        metric: 'Invitation, update or cancellation e-mails Google would have sent',
        measured: count(emailsAfterIdle),
        target: '0',
        met: emailsAfterIdle === 0,
      },
      {
        scenario,
        metric: `Microsoft requests per ordinary idle cycle (${calendars} calendars)`,
        measured: `${microsoftOrdinary} (${decimal(microsoftOrdinary / Math.max(1, calendars), 2)} per calendar)`,
        target: `≤ ${calendars} (one delta per calendar)`,
        met: microsoftOrdinary <= calendars,
      },
      {
        scenario,
        metric: `Microsoft requests averaged over ${idle.length} idle cycles (${discoveryCycles} rereads the calendar list: ${microsoftDiscovery} requests)`,
        measured: decimal(microsoftAverage),
        target: `≤ ${calendars}`,
        met: microsoftAverage <= calendars,
      },
      {
        scenario,
        metric: 'Google requests per idle cycle: ordinary / calendar-rereading',
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

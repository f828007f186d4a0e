import type { BenchEmulators, RouteCounts } from './emulators.js';

/**
 * The People API's share of the Google emulator's requests: writes (every
 * method but GET on /v1/people… and /v1/contactGroups…: createContact,
 * batchCreateContacts, updateContact, updateContactPhoto, deleteContact,
 * contact-group writes) and reads, each with its 429s, plus the emulator's
 * own People counters (contacts created, photos set, group writes).
 */
export interface PeopleRequests {
  writes: number;
  reads: number;
  /** Answers 429 among the writes and the reads. */
  refusedWrites: number;
  refusedReads: number;
  writesByRoute: RouteCounts;
  readsByRoute: RouteCounts;
  events: ReturnType<BenchEmulators['google']['emulator']['stats']>['people'];
}

const isPeopleRoute = (route: string) => / \/v1\/(people|contactGroups)/.test(route);

export function peopleRequests(emulators: BenchEmulators): PeopleRequests {
  const stats = emulators.google.emulator.stats();
  const result: PeopleRequests = { writes: 0, reads: 0, refusedWrites: 0, refusedReads: 0, writesByRoute: {}, readsByRoute: {}, events: stats.people };
  for (const [route, statuses] of Object.entries(stats.requests)) {
    if (!isPeopleRoute(route)) continue;
    const made = Object.values(statuses).reduce((a, b) => a + b, 0);
    const refused = statuses['429'] ?? 0;
    if (route.startsWith('GET ')) {
      result.reads += made;
      result.refusedReads += refused;
      result.readsByRoute[route] = made;
    } else {
      result.writes += made;
      result.refusedWrites += refused;
      result.writesByRoute[route] = made;
    }
  }
  return result;
}

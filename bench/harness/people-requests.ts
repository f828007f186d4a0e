import type { BenchEmulators } from './emulators.js';
import { splitRoutes, type RouteSplit } from './route-split.js';

/**
 * The People API's share of the Google emulator's requests: writes (every
 * method but GET on /v1/people… and /v1/contactGroups…: createContact,
 * batchCreateContacts, updateContact, updateContactPhoto, deleteContact,
 * contact-group writes) and reads, each with its 429s, plus the emulator's
 * own People counters (contacts created, photos set, group writes).
 */
export interface PeopleRequests extends RouteSplit {
  events: ReturnType<BenchEmulators['google']['emulator']['stats']>['people'];
}

const isPeopleRoute = (route: string) => / \/v1\/(people|contactGroups)/.test(route);

export function peopleRequests(emulators: BenchEmulators): PeopleRequests {
  const stats = emulators.google.emulator.stats();
  return { ...splitRoutes(stats.requests, isPeopleRoute, (status) => status === '429'), events: stats.people };
}

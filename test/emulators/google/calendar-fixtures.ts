import type { ControlInstanceView } from '../../../emulators/google/calendar-control.js';
import { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import { createGoogleTransport, delegatedCredentials, type ServiceAccountKeyJson } from '../../../connectors/google/google-clients.js';
import type { GoogleEmulatorOptions } from '../../../emulators/google/index.js';
import { controlGet } from '../../helpers/emulator-control.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';

export const calendarScope = 'https://www.googleapis.com/auth/calendar';

/**
 * A Calendar API client for `email`, authorised as the product will be: a
 * domain-wide-delegated service-account token, www.googleapis.com/calendar/v3
 * reached at the emulator's URL through rootUrl.
 */
export function calendarFor(google: StartedGoogleEmulator, email: string, scopes: readonly string[] = [calendarScope], key?: ServiceAccountKeyJson): calendar_v3.Calendar {
  const transporter = createGoogleTransport(google.url);
  const auth = delegatedCredentials(key ?? google.googleSettings.serviceAccountKey, email, scopes, transporter);
  return new calendar_v3.Calendar({ auth, rootUrl: `${google.url}/` });
}

export const calendarUsers = [
  { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
  { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
];

/** The emulator the Calendar tests share: its admin and Ann, quotas off unless given. */
export function startCalendarEmulator(options: GoogleEmulatorOptions = {}): Promise<StartedGoogleEmulator> {
  return startGoogleEmulator({ users: calendarUsers, quota: { enabled: false }, ...options });
}

/** As the control API answers it (emulators/google/calendar-control.ts). */
export type ControlInstance = ControlInstanceView;

export function expandedInstances(google: StartedGoogleEmulator, email: string, from: string, to: string): Promise<{ instances: ControlInstance[] }> {
  return controlGet(google.url, `/_control/users/${encodeURIComponent(email)}/events?expand=true&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
}

/** A timed event starting at `start` (ISO with offset) lasting `minutes`. */
export function timedEvent(summary: string, start: string, minutes = 30, extra: calendar_v3.Schema$Event = {}): calendar_v3.Schema$Event {
  const end = new Date(new Date(start).getTime() + minutes * 60_000).toISOString();
  return { summary, start: { dateTime: start }, end: { dateTime: end }, ...extra };
}

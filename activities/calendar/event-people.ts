import type { Attendee, Event, ResponseType } from '@microsoft/microsoft-graph-types';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';

type GoogleAttendee = calendar_v3.Schema$EventAttendee;

/** Whose calendar the copy goes to: the source user's own addresses (primary, aliases) and the Google account. */
export interface EventOwner {
  sourceAddresses: readonly string[];
  targetEmail: string;
}

/**
 * Graph's response types as Google's attendee responseStatus (needsAction,
 * declined, tentative, accepted). Google has no "organizer" response: the
 * organizer has accepted their own meeting.
 */
const responses: Record<ResponseType, string> = {
  none: 'needsAction',
  notResponded: 'needsAction',
  organizer: 'accepted',
  accepted: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
};

export const responseStatusOf = (response: ResponseType | null | undefined): string => responses[response ?? 'none'] ?? 'needsAction';

export interface People {
  organizer: calendar_v3.Schema$Event['organizer'];
  attendees: GoogleAttendee[];
  lost: string[];
}

/**
 * Organizer and attendees with the source user's own addresses rewritten to
 * the Google account. events.import makes a private copy in the owner's
 * calendar and fails with participantIsNeitherOrganizerNorAttendee when the
 * owner is neither (GAM-team/GAM src/gam/__init__.py); CloudM Migrate
 * likewise rewrites the owner to the destination user
 * (support.cloudm.io 9274175569692). When the user is neither organizer nor
 * attendee in Outlook (invited through a distribution list, a forwarded
 * invitation), they are added as an attendee with their own response
 * (event.responseStatus): that is how the meeting is in their calendar, and
 * without it the import is refused.
 */
export function peopleOf(event: Event, owner: EventOwner): People {
  const own = new Set(owner.sourceAddresses.map((address) => address.toLowerCase()));
  own.add(owner.targetEmail.toLowerCase());
  const isOwn = (address: string | null | undefined): boolean => !!address && own.has(address.toLowerCase());
  const lost: string[] = [];
  const organizerAddress = event.organizer?.emailAddress?.address;
  const userOrganizes = event.isOrganizer === true || !organizerAddress || isOwn(organizerAddress);
  const organizer = userOrganizes
    ? { email: owner.targetEmail, displayName: event.organizer?.emailAddress?.name ?? undefined }
    : { email: organizerAddress!, displayName: event.organizer?.emailAddress?.name ?? undefined };
  const ownResponse = responseStatusOf(userOrganizes ? 'organizer' : event.responseStatus?.response);

  const attendees: GoogleAttendee[] = [];
  const seen = new Set<string>();
  let withoutAddress = 0;
  for (const attendee of event.attendees ?? []) {
    const address = attendee.emailAddress?.address;
    if (!address) {
      withoutAddress += 1;
      continue;
    }
    const email = isOwn(address) ? owner.targetEmail : address;
    if (seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    attendees.push(attendeeOf(attendee, email, isOwn(address) ? ownResponse : undefined));
  }
  if (withoutAddress > 0) lost.push(`attendees without an e-mail address (${withoutAddress})`);
  // A meeting with guests lists its organizer among them in Google; an appointment without guests stays without.
  if (attendees.length > 0 && !seen.has(organizer.email.toLowerCase())) {
    attendees.unshift({ email: organizer.email, displayName: organizer.displayName, responseStatus: 'accepted' });
    seen.add(organizer.email.toLowerCase());
  }
  if (!userOrganizes && !seen.has(owner.targetEmail.toLowerCase())) attendees.push({ email: owner.targetEmail, responseStatus: ownResponse });
  return { organizer, attendees, lost };
}

function attendeeOf(attendee: Attendee, email: string, ownResponse: string | undefined): GoogleAttendee {
  return {
    email,
    displayName: attendee.emailAddress?.name ?? undefined,
    responseStatus: ownResponse ?? responseStatusOf(attendee.status?.response),
    ...(attendee.type === 'optional' ? { optional: true } : {}),
    ...(attendee.type === 'resource' ? { resource: true } : {}),
  };
}

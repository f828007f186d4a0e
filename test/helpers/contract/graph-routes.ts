/**
 * The Graph v1.0 URLs the emulator serves, each with the kind of answer
 * Graph's documentation gives there. A new emulator route needs a line here,
 * or its successful responses are reported as undescribed.
 */
export type GraphResource = 'message' | 'mailFolder' | 'user' | 'group' | 'directoryObject' | 'contact' | 'contactFolder' | 'profilePhoto' | 'event' | 'calendar';

export type GraphAnswer =
  | { kind: 'entity'; resource: GraphResource }
  | { kind: 'collection'; resource: GraphResource }
  /** Delta query pages (learn.microsoft.com/graph/delta-query-overview): nextLink or deltaLink, @removed items. */
  | { kind: 'delta'; resource: GraphResource }
  /** Raw content ($value): not JSON, not described by the types. */
  | { kind: 'media' }
  | { kind: 'batch' };

export interface GraphRoute {
  method: string;
  /** Segments; `{}` stands for one key segment. */
  template: string;
  answer: GraphAnswer;
}

export const graphRoutes: readonly GraphRoute[] = [
  { method: 'GET', template: '/v1.0/users', answer: { kind: 'collection', resource: 'user' } },
  { method: 'GET', template: '/v1.0/users/{}', answer: { kind: 'entity', resource: 'user' } },
  { method: 'GET', template: '/v1.0/groups', answer: { kind: 'collection', resource: 'group' } },
  { method: 'GET', template: '/v1.0/groups/{}', answer: { kind: 'entity', resource: 'group' } },
  { method: 'GET', template: '/v1.0/groups/{}/members', answer: { kind: 'collection', resource: 'directoryObject' } },
  { method: 'GET', template: '/v1.0/groups/{}/transitiveMembers', answer: { kind: 'collection', resource: 'directoryObject' } },
  { method: 'GET', template: '/v1.0/users/{}/mailFolders', answer: { kind: 'collection', resource: 'mailFolder' } },
  { method: 'GET', template: '/v1.0/users/{}/mailFolders/{}', answer: { kind: 'entity', resource: 'mailFolder' } },
  { method: 'GET', template: '/v1.0/users/{}/mailFolders/{}/childFolders', answer: { kind: 'collection', resource: 'mailFolder' } },
  { method: 'GET', template: '/v1.0/users/{}/messages', answer: { kind: 'collection', resource: 'message' } },
  { method: 'GET', template: '/v1.0/users/{}/messages/{}', answer: { kind: 'entity', resource: 'message' } },
  { method: 'GET', template: '/v1.0/users/{}/messages/{}/$value', answer: { kind: 'media' } },
  { method: 'GET', template: '/v1.0/users/{}/mailFolders/{}/messages', answer: { kind: 'collection', resource: 'message' } },
  { method: 'GET', template: '/v1.0/users/{}/mailFolders/{}/messages/delta', answer: { kind: 'delta', resource: 'message' } },
  { method: 'GET', template: '/v1.0/users/{}/mailFolders/{}/messages/{}', answer: { kind: 'entity', resource: 'message' } },
  { method: 'GET', template: '/v1.0/users/{}/mailFolders/{}/messages/{}/$value', answer: { kind: 'media' } },
  { method: 'GET', template: '/v1.0/users/{}/contactFolders', answer: { kind: 'collection', resource: 'contactFolder' } },
  { method: 'GET', template: '/v1.0/users/{}/contactFolders/{}', answer: { kind: 'entity', resource: 'contactFolder' } },
  { method: 'GET', template: '/v1.0/users/{}/contactFolders/{}/childFolders', answer: { kind: 'collection', resource: 'contactFolder' } },
  { method: 'GET', template: '/v1.0/users/{}/contacts', answer: { kind: 'collection', resource: 'contact' } },
  { method: 'GET', template: '/v1.0/users/{}/contacts/{}', answer: { kind: 'entity', resource: 'contact' } },
  { method: 'GET', template: '/v1.0/users/{}/contacts/{}/photo', answer: { kind: 'entity', resource: 'profilePhoto' } },
  { method: 'GET', template: '/v1.0/users/{}/contacts/{}/photo/$value', answer: { kind: 'media' } },
  { method: 'GET', template: '/v1.0/users/{}/contactFolders/{}/contacts', answer: { kind: 'collection', resource: 'contact' } },
  { method: 'GET', template: '/v1.0/users/{}/contactFolders/{}/contacts/delta', answer: { kind: 'delta', resource: 'contact' } },
  { method: 'GET', template: '/v1.0/users/{}/contactFolders/{}/contacts/{}', answer: { kind: 'entity', resource: 'contact' } },
  { method: 'GET', template: '/v1.0/users/{}/contactFolders/{}/contacts/{}/photo', answer: { kind: 'entity', resource: 'profilePhoto' } },
  { method: 'GET', template: '/v1.0/users/{}/contactFolders/{}/contacts/{}/photo/$value', answer: { kind: 'media' } },
  { method: 'GET', template: '/v1.0/users/{}/calendars', answer: { kind: 'collection', resource: 'calendar' } },
  { method: 'GET', template: '/v1.0/users/{}/calendars/{}', answer: { kind: 'entity', resource: 'calendar' } },
  { method: 'GET', template: '/v1.0/users/{}/events/{}', answer: { kind: 'entity', resource: 'event' } },
  { method: 'GET', template: '/v1.0/users/{}/events/{}/instances', answer: { kind: 'collection', resource: 'event' } },
  { method: 'GET', template: '/v1.0/users/{}/calendarView/delta', answer: { kind: 'delta', resource: 'event' } },
  { method: 'GET', template: '/v1.0/users/{}/calendars/{}/calendarView/delta', answer: { kind: 'delta', resource: 'event' } },
  { method: 'POST', template: '/v1.0/$batch', answer: { kind: 'batch' } },
];

/** The route a request path takes: literal segments beat `{}` (so messages/delta is not a message id). Graph segment names are case-insensitive. */
export function graphRouteFor(method: string, path: string): GraphRoute | undefined {
  const segments = path.split('/').filter(Boolean);
  let best: { route: GraphRoute; literals: number } | undefined;
  for (const route of graphRoutes) {
    if (route.method !== method) continue;
    const template = route.template.split('/').filter(Boolean);
    if (template.length !== segments.length) continue;
    let literals = 0;
    const matches = template.every((part, index) => {
      if (part === '{}') return true;
      literals += 1;
      return part.toLowerCase() === segments[index]?.toLowerCase();
    });
    if (matches && (!best || literals > best.literals)) best = { route, literals };
  }
  return best?.route;
}

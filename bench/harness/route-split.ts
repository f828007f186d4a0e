import type { RouteCounts } from './emulators.js';

/** One API's requests out of an emulator's per-route counts, split into reads (GET) and writes, each with the answers that refused it. */
export interface RouteSplit {
  writes: number;
  reads: number;
  refusedWrites: number;
  refusedReads: number;
  writesByRoute: RouteCounts;
  readsByRoute: RouteCounts;
}

export function splitRoutes(requests: Record<string, Record<string, number>>, isApiRoute: (route: string) => boolean, isRefusal: (status: string) => boolean): RouteSplit {
  const split: RouteSplit = { writes: 0, reads: 0, refusedWrites: 0, refusedReads: 0, writesByRoute: {}, readsByRoute: {} };
  for (const [route, statuses] of Object.entries(requests)) {
    if (!isApiRoute(route)) continue;
    const made = Object.values(statuses).reduce((a, b) => a + b, 0);
    const refused = Object.entries(statuses).reduce((sum, [status, n]) => sum + (isRefusal(status) ? n : 0), 0);
    if (route.startsWith('GET ')) {
      split.reads += made;
      split.refusedReads += refused;
      split.readsByRoute[route] = made;
    } else {
      split.writes += made;
      split.refusedWrites += refused;
      split.writesByRoute[route] = made;
    }
  }
  return split;
}

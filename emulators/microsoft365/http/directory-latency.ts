import type { MiddlewareHandler } from 'hono';
import type { GraphEnv } from './env.js';

/**
 * A delay before each page of a directory listing (users, group members),
 * for tests of a client that must stay alive while it reads a large
 * directory. Graph gives no figure for how long a page takes; a page of 999
 * objects from a large tenant takes seconds in practice, so a test can make
 * each page slow enough that only a client that reports progress between
 * pages survives a short heartbeat timeout. Default 0 (no delay).
 */
export class DirectoryLatency {
  pageMs = 0;

  reset(): void {
    this.pageMs = 0;
  }
}

/** The paged directory collections the delay applies to. */
export const directoryPagePatterns = ['/v1.0/users', '/v1.0/groups/:groupId/members', '/v1.0/groups/:groupId/transitiveMembers'];

export function delayDirectoryPages(latency: DirectoryLatency): MiddlewareHandler<GraphEnv> {
  return async (_c, next) => {
    if (latency.pageMs > 0) await new Promise((resolve) => setTimeout(resolve, latency.pageMs));
    await next();
  };
}

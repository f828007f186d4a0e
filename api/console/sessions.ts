import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** One signed-in browser. The id travels in the `session` cookie; the CSRF token in a <meta> tag and the X-CSRF-Token header. */
export interface ConsoleSession {
  id: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionLifetimes {
  /** A session unused for this long ends. Default 8 hours. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. Default 24 hours. */
  absoluteMs: number;
}

const DEFAULT_LIFETIMES: SessionLifetimes = { idleMs: 8 * 60 * 60 * 1000, absoluteMs: 24 * 60 * 60 * 1000 };

/** 32 random bytes: unguessable, and the same length whatever produced it. */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares through digests so neither the length nor the content of the expected value leaks through timing. */
export function secretsMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Signed-in console sessions, in memory: a restart signs everyone out, which
 * is the safe failure. The session cookie and the page middleware read them;
 * so does the middleware that lets /api/* accept a session in place of the
 * bearer token, hence one instance shared by both (see mountConsole).
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly lifetimes: SessionLifetimes;

  constructor(
    lifetimes: Partial<SessionLifetimes> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.lifetimes = { ...DEFAULT_LIFETIMES, ...lifetimes };
  }

  create(): ConsoleSession {
    this.sweep();
    const at = this.now();
    const session: ConsoleSession = { id: newSecret(), csrfToken: newSecret(), createdAt: at, lastSeenAt: at };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, its idle clock reset; undefined when unknown or expired. */
  touch(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const at = this.now();
    if (this.isExpired(session, at)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = at;
    return session;
  }

  /** Whether `token` is this session's CSRF token. */
  csrfMatches(session: ConsoleSession, token: string | undefined): boolean {
    return token !== undefined && token.length > 0 && secretsMatch(token, session.csrfToken);
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private isExpired(session: ConsoleSession, at: number): boolean {
    return at - session.lastSeenAt > this.lifetimes.idleMs || at - session.createdAt > this.lifetimes.absoluteMs;
  }

  /** Drops expired sessions so abandoned ones do not pile up; runs on each sign-in, which is rare. */
  private sweep(): void {
    const at = this.now();
    for (const [id, session] of this.sessions) if (this.isExpired(session, at)) this.sessions.delete(id);
  }
}

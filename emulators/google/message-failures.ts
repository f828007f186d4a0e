import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { GoogleApiError, RawAnswer } from './errors.js';
import { normalizeMessageId } from './mailbox.js';

/** The Gmail methods a test can make refuse one message. */
export const armableMessageMethods = ['messages.import', 'messages.modify', 'messages.trash', 'messages.untrash'] as const;
export type ArmableMessageMethod = (typeof armableMessageMethods)[number];

/**
 * Set through POST /_control/message-failures: the listed methods refuse the
 * message with that Message-ID header in that mailbox, with Google's error
 * shape or, with `rawBody`, an answer that is not Google's shape at all.
 * For tests of "one poison item": real Gmail refuses single messages for
 * reasons a client cannot foresee, and must not wedge the mailbox.
 */
export interface MessageFailure {
  email: string;
  /** Normalised (no angle brackets). */
  rfc822MessageId: string;
  methods: ArmableMessageMethod[];
  status: number;
  reason: string;
  message: string;
  rawBody?: string;
  /** How many more calls fail; null = until reset. */
  remaining: number | null;
}

export class MessageFailures {
  private readonly armed: MessageFailure[] = [];

  constructor(private readonly onChange: () => void) {}

  arm(failure: MessageFailure): MessageFailure {
    const stored = { ...failure, email: failure.email.toLowerCase(), rfc822MessageId: normalizeMessageId(failure.rfc822MessageId) };
    this.armed.push(stored);
    this.onChange();
    return stored;
  }

  list(): MessageFailure[] {
    return this.armed.map((failure) => ({ ...failure, methods: [...failure.methods] }));
  }

  replaceAll(failures: readonly MessageFailure[]): void {
    this.armed.splice(0, this.armed.length, ...failures.map((failure) => ({ ...failure, methods: [...failure.methods] })));
  }

  /** Throws the armed answer when `method` on this message of this mailbox is meant to fail. */
  refuse(email: string, method: ArmableMessageMethod, messageIdHeader: string | null): void {
    if (this.armed.length === 0 || !messageIdHeader) return;
    const key = normalizeMessageId(messageIdHeader);
    const index = this.armed.findIndex((failure) => failure.email === email.toLowerCase() && failure.rfc822MessageId === key && failure.methods.includes(method));
    if (index < 0) return;
    const failure = this.armed[index]!;
    if (failure.remaining !== null && --failure.remaining <= 0) this.armed.splice(index, 1);
    this.onChange();
    const status = failure.status as ContentfulStatusCode;
    if (failure.rawBody !== undefined) throw new RawAnswer(status, failure.rawBody);
    throw new GoogleApiError({ status, message: failure.message, reason: failure.reason });
  }
}

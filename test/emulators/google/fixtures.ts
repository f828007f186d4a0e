import MailComposer from 'nodemailer/lib/mail-composer';
import { gaxios } from 'google-auth-library';
import { expect } from 'vitest';
import { classifyGoogleError, type GoogleFailure } from '../../../connectors/google/google-errors.js';

export interface TestMessage {
  subject?: string;
  messageId?: string;
  date?: Date;
  inReplyTo?: string;
  text?: string;
}

/** An RFC 822 message built with nodemailer's MailComposer. */
export function buildMessage(message: TestMessage = {}): Promise<Buffer> {
  return new MailComposer({
    from: 'Dana Reyes <dana@contoso.example>',
    to: 'ann@example.com',
    subject: message.subject ?? 'Quarterly figures',
    messageId: message.messageId ?? `<${Math.random().toString(36).slice(2)}@contoso.example>`,
    date: message.date ?? new Date('2023-10-02T09:30:00Z'),
    inReplyTo: message.inReplyTo,
    text: message.text ?? 'See attached.',
  })
    .compile()
    .build();
}

/** The error a Google call rejected with, classified, plus Google's raw answer. */
export async function failureOf(call: Promise<unknown>): Promise<GoogleFailure & { body: unknown; headers: Headers | undefined }> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: { data?: unknown; headers?: Headers } }).response;
    return { ...classifyGoogleError(error), body: response?.data, headers: response?.headers };
  }
  expect.fail('The Google call succeeded but was expected to fail');
}

/** A plain gaxios transport for requests the Google clients would never send (crafted tokens, bad bodies). */
export function rawTransport(): gaxios.Gaxios {
  return new gaxios.Gaxios({ retry: false, validateStatus: () => true, responseType: 'json' });
}

export const controlHeaders = { 'content-type': 'application/json' };

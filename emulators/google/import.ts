import { Hono, type Context } from 'hono';
import { gmailMethod, type GmailCall } from './api-auth.js';
import type { EmulatorContext } from './context.js';
import { badRequest, GoogleApiError, invalidArgument, payloadTooLarge } from './errors.js';
import type { Mailbox } from './mailbox.js';
import { parseMessage } from './message-parse.js';
import { readBodyWithin, parseMultipartRelated } from './upload-body.js';

interface ImportMetadata {
  labelIds?: unknown;
  threadId?: unknown;
  raw?: unknown;
}

interface ImportRequest {
  raw: Buffer;
  metadata: ImportMetadata;
}

/** Room for the JSON part of a multipart upload on top of the message itself. */
const metadataAllowance = 1024 * 1024;

const rawRequired = () => badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required");

function requireMessageMediaType(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (!mediaType.startsWith('message/')) {
    throw new GoogleApiError({
      status: 400,
      message: `Media type '${mediaType || 'application/octet-stream'}' is not supported. Valid media types: [message/*]`,
      reason: 'badContent',
    });
  }
}

async function readUpload(ctx: EmulatorContext, c: Context): Promise<ImportRequest> {
  const limit = ctx.options.maxImportBytes;
  const tooLarge = () => payloadTooLarge(limit);
  const uploadType = c.req.query('uploadType');
  if (uploadType === 'media') {
    requireMessageMediaType(c.req.header('content-type'));
    return { raw: await readBodyWithin(c.req.raw, limit, tooLarge), metadata: {} };
  }
  if (uploadType === 'multipart') {
    const contentType = c.req.header('content-type') ?? '';
    if (!/^multipart\/related/i.test(contentType)) throw badRequest('Invalid multipart request: expected Content-Type multipart/related.');
    const body = await readBodyWithin(c.req.raw, limit + metadataAllowance, tooLarge);
    const [metadataPart, mediaPart, ...extra] = parseMultipartRelated(body, contentType);
    if (!metadataPart || !mediaPart || extra.length > 0) throw badRequest('Invalid multipart request: expected a JSON part and a media part.');
    let metadata: ImportMetadata;
    try {
      metadata = JSON.parse(metadataPart.body.toString('utf8') || '{}') as ImportMetadata;
    } catch {
      throw badRequest('Invalid JSON payload received in the metadata part.');
    }
    requireMessageMediaType(mediaPart.contentType);
    if (mediaPart.body.length > limit) throw tooLarge();
    return { raw: mediaPart.body, metadata };
  }
  // googleapis never sends resumable uploads (api-facts C); the emulator does not offer them.
  throw badRequest(uploadType ? `uploadType=${uploadType} is not supported; use multipart or media.` : 'Upload requests must include an uploadType URL parameter.');
}

async function readJsonRaw(ctx: EmulatorContext, c: Context): Promise<ImportRequest> {
  const limit = ctx.options.maxImportBytes;
  // base64url grows the message by a third
  const body = await readBodyWithin(c.req.raw, Math.ceil((limit * 4) / 3) + metadataAllowance, () => payloadTooLarge(limit));
  let metadata: ImportMetadata;
  try {
    metadata = JSON.parse(body.toString('utf8') || '{}') as ImportMetadata;
  } catch {
    throw badRequest('Invalid JSON payload received.');
  }
  if (typeof metadata.raw !== 'string' || metadata.raw === '') throw rawRequired();
  const raw = Buffer.from(metadata.raw, 'base64url');
  if (raw.length > limit) throw payloadTooLarge(limit);
  return { raw, metadata };
}

let lastMessageId = 0n;

/** Gmail-like ids: 16 hex digits growing with time. */
function newMessageId(now: number, mailbox: Mailbox): string {
  let candidate = BigInt(now) << 20n;
  if (candidate <= lastMessageId) candidate = lastMessageId + 1n;
  while (mailbox.messages.has(candidate.toString(16))) candidate++;
  lastMessageId = candidate;
  return candidate.toString(16);
}

function internalDateSource(c: Context, fallback: 'dateHeader' | 'receivedTime'): 'dateHeader' | 'receivedTime' {
  const value = c.req.query('internalDateSource') ?? fallback;
  if (value !== 'dateHeader' && value !== 'receivedTime') {
    throw invalidArgument(`Invalid value at 'internal_date_source' (type.googleapis.com/gmail.ImportMessageRequest.InternalDateSource), "${value}"`);
  }
  return value;
}

async function storeMessage(ctx: EmulatorContext, c: Context, call: GmailCall, request: ImportRequest, defaultDateSource: 'dateHeader' | 'receivedTime'): Promise<Response> {
  const dateSource = internalDateSource(c, defaultDateSource);
  const labelIds = call.mailbox.checkLabelIds(request.metadata.labelIds);
  if (request.raw.length === 0) throw rawRequired();
  const parsed = await parseMessage(request.raw);
  const merged = call.mailbox.mergeTarget(parsed.messageIdHeader);
  if (merged) {
    // Gmail keeps one message per Message-ID (google/import-mailbox-to-gmail#56; rgladwell/imap-upload#22):
    // the import answers with the message it merged into, which keeps its own date, headers and thread.
    const target = call.mailbox.mergeImport(merged, labelIds);
    return c.json({ id: target.id, threadId: target.threadId, labelIds: [...target.labelIds] });
  }
  const now = ctx.state.mailNow();
  const id = newMessageId(now, call.mailbox);
  const requestedThread = typeof request.metadata.threadId === 'string' ? request.metadata.threadId : undefined;
  const threadKnown = requestedThread !== undefined && [...call.mailbox.messages.values()].some((message) => message.threadId === requestedThread);
  const stored = call.mailbox.addMessage({
    id,
    threadId: threadKnown && requestedThread ? requestedThread : call.mailbox.threadFor(parsed.references, id),
    labelIds,
    // Gmail falls back to the receive time when the Date header is missing or unreadable.
    internalDate: dateSource === 'dateHeader' && parsed.date !== null ? parsed.date : now,
    sizeEstimate: request.raw.length,
    sha256: parsed.sha256,
    headers: parsed.headers,
    subject: parsed.subject,
    messageIdHeader: parsed.messageIdHeader,
    mimeType: parsed.mimeType,
    ...(ctx.options.keepRawMessages ? { raw: Buffer.from(request.raw) } : {}),
  });
  return c.json({ id: stored.id, threadId: stored.threadId, labelIds: [...stored.labelIds] });
}

/**
 * messages.import (import default internalDateSource=dateHeader) and
 * messages.insert (default receivedTime), by media upload or with `raw` JSON.
 */
export function importRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  const userPath = '/gmail/v1/users/:userId/messages';
  const uploadPath = '/upload/gmail/v1/users/:userId/messages';

  app.post(`${uploadPath}/import`, gmailMethod(ctx, 'messages.import', async (c, call) => storeMessage(ctx, c, call, await readUpload(ctx, c), 'dateHeader')));
  app.post(`${userPath}/import`, gmailMethod(ctx, 'messages.import', async (c, call) => storeMessage(ctx, c, call, await readJsonRaw(ctx, c), 'dateHeader')));
  app.post(uploadPath, gmailMethod(ctx, 'messages.insert', async (c, call) => storeMessage(ctx, c, call, await readUpload(ctx, c), 'receivedTime')));
  app.post(userPath, gmailMethod(ctx, 'messages.insert', async (c, call) => storeMessage(ctx, c, call, await readJsonRaw(ctx, c), 'receivedTime')));
  return app;
}

import { Hono, type Context } from 'hono';
import { gmailMethod, type GmailCall } from './api-auth.js';
import type { EmulatorContext } from './context.js';
import { badRequest, GoogleApiError, invalidArgument, payloadTooLarge } from './errors.js';
import type { Mailbox } from './mailbox.js';
import { parseMessage } from './message-parse.js';
import { ResumableSessions } from './resumable-upload.js';
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
  throw badRequest(uploadType ? `uploadType=${uploadType} is not supported; use media, multipart or resumable.` : 'Upload requests must include an uploadType URL parameter.');
}

/** The metadata JSON of a resumable upload's initiating request (it may be empty). */
async function readSessionMetadata(c: Context): Promise<ImportMetadata> {
  const body = await readBodyWithin(c.req.raw, metadataAllowance, () => badRequest('The metadata of a resumable upload is too large.'));
  try {
    return JSON.parse(body.toString('utf8') || '{}') as ImportMetadata;
  } catch {
    throw badRequest('Invalid JSON payload received.');
  }
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

async function storeMessage(ctx: EmulatorContext, c: Context, call: GmailCall, request: ImportRequest, method: 'messages.import' | 'messages.insert'): Promise<Response> {
  const defaultDateSource = method === 'messages.import' ? 'dateHeader' : 'receivedTime';
  const dateSource = internalDateSource(c, defaultDateSource);
  const labelIds = call.mailbox.checkLabelIds(request.metadata.labelIds);
  if (request.raw.length === 0) throw rawRequired();
  const parsed = await parseMessage(request.raw);
  if (method === 'messages.import') ctx.state.messageFailures.refuse(call.mailbox.email, 'messages.import', parsed.messageIdHeader);
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
    // A client can only tell such a copy from another by its bytes (crash recovery does), so they are always kept.
    ...(ctx.options.keepRawMessages || parsed.messageIdHeader === null ? { raw: Buffer.from(request.raw) } : {}),
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
  const sessions = new ResumableSessions<ImportMetadata>(() => ctx.options.maxImportBytes);

  /** uploadType=resumable opens a session (resumable-upload.ts); the other upload types store at once. */
  const upload = (method: 'messages.import' | 'messages.insert') => async (c: Context, call: GmailCall) => {
    if (c.req.query('uploadType') === 'resumable') return sessions.start(c, call, await readSessionMetadata(c));
    return storeMessage(ctx, c, call, await readUpload(ctx, c), method);
  };
  /** PUT to a session URI: a chunk, the whole message, or a status query. */
  const resumeUpload = (method: 'messages.import' | 'messages.insert') => async (c: Context) => {
    const uploadId = c.req.query('upload_id');
    if (c.req.query('uploadType') !== 'resumable' || !uploadId) throw badRequest('PUT is only for resumable upload sessions (uploadType=resumable&upload_id=...).');
    const session = sessions.session(uploadId);
    const step = await sessions.put(c, session);
    if (!step.done) return step.response;
    return storeMessage(ctx, c, session.call, { raw: step.raw, metadata: session.metadata }, method);
  };

  app.post(`${uploadPath}/import`, gmailMethod(ctx, 'messages.import', upload('messages.import')));
  app.put(`${uploadPath}/import`, resumeUpload('messages.import'));
  app.post(
    `${userPath}/import`,
    gmailMethod(ctx, 'messages.import', async (c, call) => storeMessage(ctx, c, call, await readJsonRaw(ctx, c), 'messages.import')),
  );
  app.post(uploadPath, gmailMethod(ctx, 'messages.insert', upload('messages.insert')));
  app.put(uploadPath, resumeUpload('messages.insert'));
  app.post(
    userPath,
    gmailMethod(ctx, 'messages.insert', async (c, call) => storeMessage(ctx, c, call, await readJsonRaw(ctx, c), 'messages.insert')),
  );
  return app;
}

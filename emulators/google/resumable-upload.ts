import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { GmailCall } from './api-auth.js';
import { badRequest, GoogleApiError, notFound, payloadTooLarge } from './errors.js';
import { readBodyWithin } from './upload-body.js';

/**
 * Resumable uploads as Google's upload guide for the Gmail API describes them
 * (developers.google.com/gmail/api/guides/uploads, "Resumable upload"):
 * 1. POST .../upload/...?uploadType=resumable with the metadata JSON and
 *    X-Upload-Content-Type / X-Upload-Content-Length: 200 OK, empty body, and
 *    the session URI in Location (the same path with an upload_id parameter).
 * 2. PUT the bytes to the session URI, whole or in chunks with
 *    Content-Range: bytes first-last/total. A chunk that leaves the upload
 *    incomplete answers 308 Resume Incomplete with Range: bytes=0-last; the
 *    last one answers 200 with the Message resource.
 * 3. PUT with no body and Content-Range: bytes * /total asks for the status.
 * 4. An unknown or expired session answers 404: the upload starts over.
 * Quota and auth are checked once, on the initiating POST (it is that call
 * that is the messages.import); the session URI itself is the credential.
 */
export interface UploadSession<Metadata> {
  id: string;
  call: GmailCall;
  metadata: Metadata;
  contentType: string;
  /** X-Upload-Content-Length when the client declared it. */
  declaredLength: number | undefined;
  chunks: Buffer[];
  received: number;
}

export type ResumableStep = { done: false; response: Response } | { done: true; raw: Buffer };

/** Chunks other than the last must be multiples of 256 KiB (upload guide). */
const chunkGranularity = 256 * 1024;

export class ResumableSessions<Metadata> {
  private readonly sessions = new Map<string, UploadSession<Metadata>>();

  constructor(private readonly limitBytes: () => number) {}

  clear(): void {
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Step 1: opens a session and answers with its URI. */
  start(c: Context, call: GmailCall, metadata: Metadata): Response {
    const contentType = (c.req.header('x-upload-content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
    if (!contentType.startsWith('message/')) {
      throw new GoogleApiError({
        status: 400,
        message: `Media type '${contentType || 'application/octet-stream'}' is not supported. Valid media types: [message/*]`,
        reason: 'badContent',
      });
    }
    const lengthHeader = c.req.header('x-upload-content-length');
    const declaredLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
    if (declaredLength !== undefined && (!Number.isInteger(declaredLength) || declaredLength < 0)) throw badRequest('Invalid X-Upload-Content-Length header.');
    if (declaredLength !== undefined && declaredLength > this.limitBytes()) throw payloadTooLarge(this.limitBytes());
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { id, call, metadata, contentType, declaredLength, chunks: [], received: 0 });
    const location = new URL(c.req.url);
    location.searchParams.set('upload_id', id);
    c.header('Location', location.toString());
    c.header('X-GUploader-UploadID', id);
    return c.body(null, 200);
  }

  session(id: string): UploadSession<Metadata> {
    const session = this.sessions.get(id);
    // Google's guide: a 404 means the session expired; start the upload over.
    if (!session) throw notFound('The upload session does not exist or has expired; start the upload again.');
    return session;
  }

  /** Steps 2 and 3: takes a chunk (or a status query) and says whether the upload is complete. */
  async put(c: Context, session: UploadSession<Metadata>): Promise<ResumableStep> {
    const range = parseContentRange(c.req.header('content-range'));
    const total = range?.total ?? session.declaredLength;
    const limit = this.limitBytes();
    if (total !== undefined && total > limit) {
      this.sessions.delete(session.id);
      throw payloadTooLarge(limit);
    }
    if (range?.first === undefined) {
      // No Content-Range: the body is the whole message. "bytes */N": a status query.
      if (range === undefined) {
        const body = await readBodyWithin(c.req.raw, limit, () => payloadTooLarge(limit));
        if (session.received > 0) throw badRequest('The upload already has bytes; send the rest with a Content-Range header.');
        session.chunks.push(body);
        session.received = body.length;
        return this.finish(session);
      }
      await c.req.raw.body?.cancel().catch(() => undefined);
      if (total !== undefined && session.received === total) return this.finish(session);
      return { done: false, response: this.incomplete(c, session) };
    }
    if (range.first !== session.received) {
      // Not the next byte: say what the server has so the client resumes from there.
      await c.req.raw.body?.cancel().catch(() => undefined);
      return { done: false, response: this.incomplete(c, session) };
    }
    const expected = (range.last ?? -1) - range.first + 1;
    const body = await readBodyWithin(c.req.raw, expected, () => badRequest('The chunk is longer than its Content-Range says.'));
    if (body.length !== expected) throw badRequest(`The chunk has ${body.length} bytes; its Content-Range says ${expected}.`);
    const isLast = total !== undefined && range.first + body.length === total;
    if (!isLast && body.length % chunkGranularity !== 0) throw badRequest('Every chunk but the last must be a multiple of 256 KiB (262144 bytes).');
    session.chunks.push(body);
    session.received += body.length;
    if (isLast) return this.finish(session);
    return { done: false, response: this.incomplete(c, session) };
  }

  private finish(session: UploadSession<Metadata>): ResumableStep {
    this.sessions.delete(session.id);
    const raw = Buffer.concat(session.chunks, session.received);
    if (session.declaredLength !== undefined && raw.length !== session.declaredLength) {
      throw badRequest(`The upload has ${raw.length} bytes; X-Upload-Content-Length said ${session.declaredLength}.`);
    }
    return { done: true, raw };
  }

  private incomplete(c: Context, session: UploadSession<Metadata>): Response {
    if (session.received > 0) c.header('Range', `bytes=0-${session.received - 1}`);
    // 308 "Resume Incomplete", as the upload guide names it.
    return c.body(null, 308 as never);
  }
}

interface ContentRange {
  first?: number;
  last?: number;
  total?: number;
}

/** "bytes 0-524287/2000000", "bytes 524288-999999/*" or "bytes * /2000000" (no space). */
function parseContentRange(header: string | undefined): ContentRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(header.trim());
  if (!match) throw badRequest(`Invalid Content-Range header: ${header}`);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (match[1] === undefined) return { ...(total !== undefined ? { total } : {}) };
  const first = Number(match[1]);
  const last = Number(match[2]);
  if (last < first) throw badRequest(`Invalid Content-Range header: ${header}`);
  return { first, last, ...(total !== undefined ? { total } : {}) };
}

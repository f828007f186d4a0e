import { badRequest } from './errors.js';

/**
 * Reads a request body, giving up as soon as it passes `limitBytes`, so an
 * oversized upload is refused without holding it all in memory.
 */
export async function readBodyWithin(request: Request, limitBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, total);
}

export interface RelatedPart {
  contentType: string;
  body: Buffer;
}

function boundaryOf(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw badRequest('Invalid multipart request: the Content-Type has no boundary.');
  return boundary;
}

function partContentType(headerBlock: string): string {
  for (const line of headerBlock.split(/\r?\n/)) {
    const match = /^content-type\s*:\s*(.+)$/i.exec(line);
    if (match?.[1]) return match[1].trim();
  }
  return 'text/plain';
}

/** Splits a multipart/related body (the media-upload "multipart" protocol) into its parts. */
export function parseMultipartRelated(body: Buffer, contentType: string): RelatedPart[] {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const parts: RelatedPart[] = [];
  let cursor = body.indexOf(delimiter);
  if (cursor < 0) throw badRequest('Invalid multipart request: no part found.');
  for (;;) {
    cursor += delimiter.length;
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) break; // closing delimiter "--"
    const lineEnd = body.indexOf('\n', cursor);
    if (lineEnd < 0) throw badRequest('Invalid multipart request: a part has no header section.');
    const next = body.indexOf(Buffer.concat([Buffer.from('\n'), delimiter]), lineEnd);
    if (next < 0) throw badRequest('Invalid multipart request: the closing boundary is missing.');
    let part = body.subarray(lineEnd + 1, next);
    if (part[part.length - 1] === 0x0d) part = part.subarray(0, part.length - 1);
    const separator = /\r?\n\r?\n/.exec(part.subarray(0, Math.min(part.length, 8192)).toString('latin1'));
    const headerEnd = separator ? separator.index : -1;
    const headerBlock = headerEnd >= 0 ? part.subarray(0, headerEnd).toString('latin1') : '';
    const content = headerEnd >= 0 && separator ? part.subarray(headerEnd + separator[0].length) : part;
    parts.push({ contentType: partContentType(headerBlock), body: content });
    cursor = next + 1;
  }
  return parts;
}

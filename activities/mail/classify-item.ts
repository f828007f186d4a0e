import { ItemErrorCode } from '../../shared/vocabulary.js';

export interface ItemVerdict {
  code: ItemErrorCode;
  reason: string;
}

/** Gmail's import limit (api-facts B3: 150 MB on the reference page); configurable per installation. */
export const defaultMaxImportBytes = 150 * 1024 * 1024;

export function checkSize(sizeBytes: number | undefined, maxImportBytes: number): ItemVerdict | null {
  if (sizeBytes === undefined || sizeBytes <= maxImportBytes) return null;
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  return { code: ItemErrorCode.ItemTooLarge, reason: `The message is ${mb(sizeBytes)}; Gmail imports messages up to ${mb(maxImportBytes)}.` };
}

/** The top-level header block, unfolded, as lower-case "name: value" lines. */
function topLevelHeaders(raw: Buffer): string[] {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = end === -1 ? head : head.slice(0, end);
  return block
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.toLowerCase());
}

/**
 * A header field: a name of printable ASCII but colon (RFC 5322 3.6.8), then
 * the colon. RFC 5322 4.5 (obsolete syntax, which must be accepted when
 * reading) allows white space before the colon: "Subject : x" is a field.
 */
const headerFieldPattern = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

/**
 * Decides from the exported MIME whether Gmail could hold a usable copy.
 * Only headers and part markers are read, not the whole message: this runs
 * for every message and must stay cheap.
 */
export function classifyMime(raw: Buffer): ItemVerdict | null {
  const headers = topLevelHeaders(raw);
  const contentType = headers.find((line) => /^content-type[ \t]*:/.test(line)) ?? '';
  if (headers.length === 0 || !headers.some((line) => headerFieldPattern.test(line))) {
    return { code: ItemErrorCode.UnsupportedFormat, reason: 'The exported item has no RFC 822 headers, so it is not a mail message Gmail can import.' };
  }
  if (/application\/(x-)?pkcs7-mime/.test(contentType)) {
    return {
      code: ItemErrorCode.EncryptedItem,
      reason: "The message is S/MIME encrypted; only the recipient's private key can open it, so a copy in Gmail would be unreadable.",
    };
  }
  if (/application\/(vnd\.)?ms-tnef/.test(contentType)) {
    return {
      code: ItemErrorCode.UnsupportedFormat,
      reason: 'The message body is only a TNEF (winmail.dat) attachment, an Outlook-only format Gmail cannot display.',
    };
  }
  // Rights-protected (IRM / Purview) mail carries its real content in message.rpmsg.
  const sample = raw
    .subarray(0, Math.min(raw.length, 4 * 1024 * 1024))
    .toString('latin1')
    .toLowerCase();
  if (sample.includes('application/x-microsoft-rpmsg-message') || sample.includes('name="message.rpmsg"') || sample.includes('filename="message.rpmsg"')) {
    return {
      code: ItemErrorCode.EncryptedItem,
      reason: 'The message is protected by Microsoft Information Protection (message.rpmsg); its content can only be opened by Outlook.',
    };
  }
  return null;
}

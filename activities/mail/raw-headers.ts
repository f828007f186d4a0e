interface SplitMessage {
  /** Unfolded header fields, in order, not decoded. */
  fields: Array<{ name: string; value: string }>;
  body: Buffer;
}

function splitMessage(raw: Buffer): SplitMessage {
  // The header section ends at the first empty line; a bare-LF message has no CRLF one.
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.subarray(0, crlf >= 0 ? crlf : raw.length).indexOf('\n\n');
  const end = lf >= 0 ? lf : crlf >= 0 ? crlf : raw.length;
  const bodyStart = lf >= 0 ? lf + 2 : crlf >= 0 ? crlf + 4 : raw.length;
  const fields: SplitMessage['fields'] = [];
  for (const line of raw.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line)) {
      if (last) last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
  }
  for (const field of fields) field.value = field.value.trim();
  return { fields, body: raw.subarray(bodyStart) };
}

/**
 * Reads one header field from a message's header section, as the bytes carry
 * it (unfolded, not decoded). Used to tell whether an exported message has a
 * Message-ID of its own: Gmail merges imports by that header, not by what
 * Graph reports as internetMessageId.
 */
export function rawHeaderField(raw: Buffer, name: string): string | null {
  const wanted = name.toLowerCase();
  return splitMessage(raw).fields.find((field) => field.name === wanted)?.value ?? null;
}

/** A Message-ID without its angle brackets and surrounding space; case kept (ids are case-sensitive). */
export function bareMessageId(value: string): string {
  return value.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
}

const fieldKey = (field: { name: string; value: string }) => `${field.name}:${field.value.replace(/\s+/g, ' ')}`;
const normalizedBody = (body: Buffer) => body.toString('latin1').replace(/\r\n/g, '\n').replace(/\s+$/, '');

/**
 * Whether `copy`, as Gmail returns it, holds the message `source`: the same
 * body and every header field of the source. Gmail may add fields of its own
 * to what it stores and may store other line endings (nothing documents that
 * it keeps the bytes as imported), so the comparison allows both and nothing
 * else.
 */
export function holdsSameMessage(source: Buffer, copy: Buffer): boolean {
  const ours = splitMessage(source);
  const theirs = splitMessage(copy);
  if (normalizedBody(ours.body) !== normalizedBody(theirs.body)) return false;
  const available = new Map<string, number>();
  for (const field of theirs.fields) available.set(fieldKey(field), (available.get(fieldKey(field)) ?? 0) + 1);
  for (const field of ours.fields) {
    const left = available.get(fieldKey(field)) ?? 0;
    if (left === 0) return false;
    available.set(fieldKey(field), left - 1);
  }
  return true;
}

/**
 * Reads one header field from a message's header section, as the bytes carry
 * it (unfolded, not decoded). Used to tell whether an exported message has a
 * Message-ID of its own: Gmail merges imports by that header, not by what
 * Graph reports as internetMessageId.
 */
export function rawHeaderField(raw: Buffer, name: string): string | null {
  // The header section ends at the first empty line; a bare-LF message has no CRLF one.
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.subarray(0, crlf >= 0 ? crlf : raw.length).indexOf('\n\n');
  const end = lf >= 0 ? lf : crlf >= 0 ? crlf : raw.length;
  const section = raw.subarray(0, end).toString('latin1');
  const wanted = name.toLowerCase();
  let value: string | null = null;
  for (const line of section.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      if (value !== null) value += ` ${line.trim()}`;
      continue;
    }
    if (value !== null) return value.trim();
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) value = line.slice(colon + 1).trim();
  }
  return value === null ? null : value.trim();
}

/** A Message-ID without its angle brackets and surrounding space; case kept (ids are case-sensitive). */
export function bareMessageId(value: string): string {
  return value.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
}

/**
 * Reads one header field from a message's header section, as the bytes carry
 * it (unfolded, not decoded). Used to tell whether an exported message has a
 * Message-ID of its own: Gmail merges imports by that header, not by what
 * Graph reports as internetMessageId.
 */
export function rawHeaderField(raw: Buffer, name: string): string | null {
  const end = [raw.indexOf('\r\n\r\n'), raw.indexOf('\n\n')].filter((index) => index >= 0);
  const section = raw.subarray(0, end.length > 0 ? Math.min(...end) : raw.length).toString('latin1');
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

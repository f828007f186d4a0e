import { createHash } from 'node:crypto';

/** base32hex (RFC 4648 section 7), the alphabet Google allows in a client-chosen event id: "characters allowed ... are those used in base32hex encoding, i.e. lowercase letters a-v and digits 0-9" (Event schema id). */
const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/**
 * A deterministic Google event id for a source event: the SHA-256 of its
 * immutable id in base32hex, 52 characters (Google: 5-1024). The same source
 * event always gets the same id, so a write left unfinished by a crash is
 * found again with events.get, and a second insert is refused (409) rather
 * than duplicated.
 */
export function googleEventIdOf(sourceEventId: string): string {
  const digest = createHash('sha256').update(sourceEventId, 'utf8').digest();
  let bits = 0;
  let value = 0;
  let id = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      id += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) id += BASE32HEX[(value << (5 - bits)) & 31];
  return id;
}

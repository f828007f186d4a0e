import { describe, expect, it } from 'vitest';
import { googleEventIdOf } from '../../../activities/calendar/event-ids.js';
import { ianaTimeZoneOf } from '../../../activities/calendar/time-zones.js';

describe('ianaTimeZoneOf', () => {
  it('maps Windows names through CLDR windowsZones (the territory-001 zone)', () => {
    expect(ianaTimeZoneOf('W. Europe Standard Time', 'UTC')).toEqual({ timeZone: 'Europe/Berlin', fellBack: false });
    expect(ianaTimeZoneOf('Pacific Standard Time', 'UTC')).toEqual({ timeZone: 'America/Los_Angeles', fellBack: false });
    expect(ianaTimeZoneOf('Tokyo Standard Time', 'UTC')).toEqual({ timeZone: 'Asia/Tokyo', fellBack: false });
  });

  it('passes IANA names through and takes every spelling of UTC as UTC', () => {
    expect(ianaTimeZoneOf('America/New_York', 'Europe/Paris')).toEqual({ timeZone: 'America/New_York', fellBack: false });
    for (const name of ['UTC', 'tzone://Microsoft/Utc', 'Etc/UTC']) expect(ianaTimeZoneOf(name, 'Europe/Paris')).toEqual({ timeZone: 'UTC', fellBack: false });
  });

  it('sends Europe/Kiev for Kyiv, the name Google has always taken', () => {
    expect(ianaTimeZoneOf('FLE Standard Time', 'UTC').timeZone).toBe('Europe/Kiev');
    expect(ianaTimeZoneOf('Europe/Kyiv', 'UTC').timeZone).toBe('Europe/Kiev');
  });

  it('gives the caller’s fallback, flagged, for tzone://Microsoft/Custom and unknown names', () => {
    expect(ianaTimeZoneOf('tzone://Microsoft/Custom', 'Europe/Paris')).toEqual({ timeZone: 'Europe/Paris', fellBack: true });
    expect(ianaTimeZoneOf('Not A Zone', 'Asia/Tokyo')).toEqual({ timeZone: 'Asia/Tokyo', fellBack: true });
    expect(ianaTimeZoneOf(undefined, 'nonsense')).toEqual({ timeZone: 'UTC', fellBack: true });
  });
});

describe('googleEventIdOf', () => {
  it('is deterministic, base32hex (a-v, 0-9) and 5-1024 characters long, and differs per source id', () => {
    const id = googleEventIdOf('AAMkAGI2TG93AAA=');
    expect(id).toMatch(/^[a-v0-9]{5,1024}$/);
    expect(id).toHaveLength(52);
    expect(googleEventIdOf('AAMkAGI2TG93AAA=')).toBe(id);
    expect(googleEventIdOf('AAMkAGI2TG93AAB=')).not.toBe(id);
  });
});

/**
 * A small seeded pseudo-random generator (mulberry32) so that seeded mail is
 * identical on every run and every machine: the same seed gives the same
 * users, messages and MIME bytes. Not for anything security related.
 */
export interface SeededRandom {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** Log-normal sample around `median`; `spread` is the sigma of the underlying normal. */
  logNormal(median: number, spread: number): number;
  bytes(length: number): Buffer;
}

/** Mixes several integers into one 32-bit seed (order matters). */
export function mixSeed(...parts: number[]): number {
  let hash = 0x811c9dc5;
  const feed = (word: number): void => {
    for (let shift = 0; shift < 32; shift += 8) {
      hash ^= (word >>> shift) & 0xff;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  for (const part of parts) {
    const whole = Math.floor(Math.abs(part));
    feed(whole >>> 0);
    feed(Math.floor(whole / 0x1_0000_0000) >>> 0);
  }
  // Final avalanche so that neighbouring inputs give unrelated seeds.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export function createRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / 0x1_0000_0000;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick() needs at least one item');
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (probability) => next() < probability,
    logNormal(median, spread) {
      // Box-Muller; 1 - next() keeps the logarithm finite.
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(spread * normal);
    },
    bytes(length) {
      const out = Buffer.allocUnsafe(length);
      let offset = 0;
      for (; offset + 4 <= length; offset += 4) out.writeUInt32LE(nextUint32(), offset);
      for (; offset < length; offset++) out[offset] = nextUint32() & 0xff;
      return out;
    },
  };
}

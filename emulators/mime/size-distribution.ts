import type { SeededRandom } from './random.js';

/**
 * Message sizes as a real mailbox has them: mostly a few kilobytes, a good
 * share of messages with office attachments, and a long tail of large ones.
 */
const tiers = [
  { share: 0.7, median: 9 * 1024, spread: 0.6, min: 1536, max: 60 * 1024 },
  { share: 0.25, median: 120 * 1024, spread: 1.0, min: 20 * 1024, max: 3 * 1024 * 1024 },
  { share: 0.05, median: 2 * 1024 * 1024, spread: 0.9, min: 500 * 1024, max: 25 * 1024 * 1024 },
] as const;

export function sampleMessageSize(random: SeededRandom): number {
  let roll = random.next();
  for (const tier of tiers) {
    if (roll < tier.share) return Math.round(Math.min(tier.max, Math.max(tier.min, random.logNormal(tier.median, tier.spread))));
    roll -= tier.share;
  }
  return tiers[0].median;
}

import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { classifyGoogleError, type GoogleFailure } from '../../connectors/google/google-errors.js';
import { alternativeSegments, labelNameAlternatives, withinLengthLimit } from './gmail-label-rules.js';

/** A label as the sync uses it: its id and the name it has in Gmail (which may differ from the one asked for). */
export interface EnsuredLabel {
  id: string;
  name: string;
}

/**
 * Gmail refused the name asked for and every alternative: the label cannot be
 * created. Carries Google's answer to the last try; the name stays out of the
 * message, since errors can end up in Temporal.
 */
export class LabelUnavailableError extends Error {
  constructor(
    readonly wanted: string,
    readonly lastRefusal: GoogleFailure,
  ) {
    super(`Gmail refused the label name and ${labelNameAlternatives} alternatives to it; its last answer: ${lastRefusal.message}`);
    this.name = 'LabelUnavailableError';
  }
}

/**
 * The user labels of one mailbox, created on demand (parents first, as Gmail
 * nests "A/B" under "A" only when "A" exists) and remembered for the life of
 * the worker, so a cycle with nothing new sends nothing to Google.
 *
 * A name Gmail refuses (400 "Invalid label name", or 409 "Label name exists or
 * conflicts" with no label of that name to be seen, i.e. a hidden or reserved
 * one) is replaced by the first of a fixed series of alternatives Gmail takes,
 * for that part of the name and everything under it. The series is the same
 * for every attempt, so a retried or restarted sync lands on the same label.
 */
export class GmailLabels {
  /** User labels by lower-cased name (Gmail compares names without case). */
  private byName: Map<string, string> | null = null;
  /** Names Gmail refused, lower-cased, so they are not asked again while the worker lives. */
  private readonly refused = new Map<string, GoogleFailure>();

  constructor(
    private readonly gmail: gmail_v1.Gmail,
    private readonly userId: string,
    private readonly pace: <T>(cost: number, task: () => Promise<T>) => Promise<T>,
  ) {}

  private async load(): Promise<Map<string, string>> {
    if (this.byName) return this.byName;
    const { data } = await this.pace(1, () => this.gmail.users.labels.list({ userId: this.userId }));
    // System labels are never a folder's label: a folder named "Inbox" must not land in INBOX by its name.
    this.byName = new Map((data.labels ?? []).filter((label) => label.type !== 'system').map((label) => [label.name!.toLowerCase(), label.id!]));
    return this.byName;
  }

  /** The id of an existing label named `name` (any case), without creating it. */
  async find(name: string): Promise<string | undefined> {
    return (await this.load()).get(name.toLowerCase());
  }

  /** The label id for `name`, creating it and its parents when missing. */
  async ensure(name: string): Promise<string> {
    return (await this.ensureNamed(name)).id;
  }

  /**
   * The label for `wanted`, creating it and its parents when missing; when
   * Gmail refuses a part of the name, under the alternative it accepted.
   * Throws LabelUnavailableError when no alternative is accepted either.
   */
  async ensureNamed(wanted: string): Promise<EnsuredLabel> {
    const known = await this.load();
    const direct = known.get(wanted.toLowerCase());
    if (direct) return { id: direct, name: wanted };
    let used = '';
    let id = '';
    for (const segment of wanted.split('/')) {
      const under = (part: string) => withinLengthLimit(used ? `${used}/${part}` : part);
      let refusal: GoogleFailure | null = null;
      let found: EnsuredLabel | null = null;
      for (const candidate of [segment, ...alternativeSegments(segment)].map(under)) {
        const outcome = await this.findOrCreate(candidate);
        if ('id' in outcome) {
          found = { id: outcome.id, name: candidate };
          break;
        }
        refusal = outcome.refusal;
      }
      if (!found) throw new LabelUnavailableError(wanted, refusal!);
      ({ id, name: used } = found);
    }
    return { id, name: used };
  }

  private async findOrCreate(name: string): Promise<{ id: string } | { refusal: GoogleFailure }> {
    const known = await this.load();
    const key = name.toLowerCase();
    const existing = known.get(key);
    if (existing) return { id: existing };
    const refusedBefore = this.refused.get(key);
    if (refusedBefore) return { refusal: refusedBefore };
    try {
      const { data } = await this.pace(5, () => this.gmail.users.labels.create({ userId: this.userId, requestBody: { name, labelListVisibility: 'labelShow', messageListVisibility: 'show' } }));
      known.set(key, data.id!);
      return { id: data.id! };
    } catch (err) {
      const failure = classifyGoogleError(err);
      if (failure.kind === 'conflict') {
        // Another attempt (a retried activity) created it first: read it back.
        this.byName = null;
        const id = (await this.load()).get(key);
        if (id) return { id };
      } else if (failure.kind !== 'invalid') {
        throw err;
      }
      this.refused.set(key, failure);
      return { refusal: failure };
    }
  }
}

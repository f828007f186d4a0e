import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { classifyGoogleError } from './google-errors.js';
import { labelNameWithParents } from '../mail/labels.js';

/**
 * The user labels of one mailbox, created on demand (parents first, as Gmail
 * nests "A/B" under "A" only when "A" exists) and remembered for the life of
 * the worker, so a cycle with nothing new sends nothing to Google.
 */
export class GmailLabels {
  private byName: Map<string, string> | null = null;

  constructor(
    private readonly gmail: gmail_v1.Gmail,
    private readonly userId: string,
    private readonly pace: <T>(cost: number, task: () => Promise<T>) => Promise<T>,
  ) {}

  private async load(): Promise<Map<string, string>> {
    if (this.byName) return this.byName;
    const { data } = await this.pace(1, () => this.gmail.users.labels.list({ userId: this.userId }));
    this.byName = new Map((data.labels ?? []).map((label) => [label.name!.toLowerCase(), label.id!]));
    return this.byName;
  }

  /** The id of an existing label named `name` (any case), without creating it. */
  async find(name: string): Promise<string | undefined> {
    return (await this.load()).get(name.toLowerCase());
  }

  /** The label id for `name`, creating it and its parents when missing. */
  async ensure(name: string): Promise<string> {
    const known = await this.load();
    let id = known.get(name.toLowerCase());
    if (id) return id;
    for (const part of labelNameWithParents(name)) {
      if (known.has(part.toLowerCase())) continue;
      id = await this.create(part);
      known.set(part.toLowerCase(), id);
    }
    return known.get(name.toLowerCase())!;
  }

  private async create(name: string): Promise<string> {
    try {
      const { data } = await this.pace(5, () =>
        this.gmail.users.labels.create({ userId: this.userId, requestBody: { name, labelListVisibility: 'labelShow', messageListVisibility: 'show' } }),
      );
      return data.id!;
    } catch (err) {
      // Another attempt (a retried activity) created it first: read it back.
      if (classifyGoogleError(err).kind !== 'conflict') throw err;
      this.byName = null;
      const id = (await this.load()).get(name.toLowerCase());
      if (!id) throw err;
      return id;
    }
  }
}

import type { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import { classifyGoogleError } from '../../connectors/google/google-errors.js';

type Pace = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * The user's contact groups by name, read once per worker and user and kept
 * current by what this worker creates and renames. Outlook folders (other
 * than the default Contacts folder) and categories both become groups;
 * groups are flat, so a nested folder's group is named by its path.
 */
export class ContactGroups {
  private byName: Map<string, string> | null = null;

  constructor(
    private readonly people: people_v1.People,
    private readonly pace: Pace,
  ) {}

  /** The group's resource name, created when the user has none of that name. */
  async ensure(name: string): Promise<string> {
    const known = (await this.load()).get(name);
    if (known) return known;
    try {
      const { data } = await this.pace(() => this.people.contactGroups.create({ requestBody: { contactGroup: { name } } }));
      this.byName!.set(name, data.resourceName!);
      return data.resourceName!;
    } catch (err) {
      // Made meanwhile (another worker, or an attempt that died after creating it): read the groups again.
      if (classifyGoogleError(err).kind !== 'conflict') throw err;
      this.byName = null;
      const found = (await this.load()).get(name);
      if (!found) throw err;
      return found;
    }
  }

  /** A folder renamed in Outlook: its group follows; a group of the new name already there is used instead. */
  async rename(resourceName: string, newName: string): Promise<string> {
    const groups = await this.load();
    const existing = groups.get(newName);
    if (existing) return existing;
    const { data: current } = await this.pace(() => this.people.contactGroups.get({ resourceName, maxMembers: 0 }));
    const { data } = await this.pace(() => this.people.contactGroups.update({ resourceName, requestBody: { contactGroup: { name: newName, etag: current.etag } } }));
    for (const [name, id] of groups) if (id === resourceName) groups.delete(name);
    groups.set(newName, data.resourceName ?? resourceName);
    return data.resourceName ?? resourceName;
  }

  private async load(): Promise<Map<string, string>> {
    if (this.byName) return this.byName;
    const byName = new Map<string, string>();
    let pageToken: string | undefined;
    do {
      const { data } = await this.pace(() => this.people.contactGroups.list({ pageSize: 1000, pageToken, groupFields: 'name,groupType' }));
      for (const group of data.contactGroups ?? []) {
        if (group.groupType === 'USER_CONTACT_GROUP' && group.name && group.resourceName) byName.set(group.name, group.resourceName);
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    this.byName = byName;
    return byName;
  }
}

import type { ConnectionClients } from '../../connectors/connection-clients.js';
import { selectUsers, GroupNotFoundError, type SelectedSourceUser } from '../../connectors/microsoft365/select-users.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { cursorCodec, DEFAULT_PAGE_SIZE, type PolicyView } from '../../store/index.js';
import { ApiProblem } from '../problem.js';
import { describeFailure } from './connections.js';

export interface PreviewPage {
  items: SelectedSourceUser[];
  nextCursor: string | null;
  total: number;
}

const cursors = cursorCodec('policy-preview', 'string', 'string');

/**
 * The users a policy's rules select right now, read from Microsoft 365 with
 * the policy's source connection: the same selectUsers the reconciler runs.
 * Each page evaluates the rules again, so a page is always current; the
 * cursor is a position in the (userPrincipalName, id) order.
 */
export class PolicyPreview {
  constructor(private readonly clients: ConnectionClients) {}

  async page(policy: PolicyView, request: { limit?: number; cursor?: string }): Promise<PreviewPage> {
    const after = request.cursor === undefined ? undefined : cursors.decode(request.cursor);
    const users = await this.select(policy);
    const remaining = after === undefined ? users : users.filter((user) => isAfter(user, after.key, after.id));
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const items = remaining.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor = remaining.length > limit && last ? cursors.encode({ key: last.userPrincipalName.toLowerCase(), id: last.id }) : null;
    return { items, nextCursor, total: users.length };
  }

  private async select(policy: PolicyView): Promise<SelectedSourceUser[]> {
    try {
      return await selectUsers(await this.clients.graph(policy.sourceConnectionId), policy.rules);
    } catch (err) {
      if (err instanceof GroupNotFoundError) {
        throw new ApiProblem(422, err.code, err.message, { errors: [{ path: 'rules.groupIds', message: `${err.groupId} does not exist in Microsoft 365` }] });
      }
      const failure = classifyGraphError(err);
      const serviceError = {
        service: 'microsoft365' as const,
        kind: failure.kind,
        message: failure.message,
        ...(failure.status ? { status: failure.status } : {}),
        ...(failure.code ? { code: failure.code } : {}),
      };
      const { code, message } = describeFailure(serviceError);
      throw new ApiProblem(502, code, `The users could not be read from Microsoft 365: ${message}`, { serviceError });
    }
  }
}

function isAfter(user: SelectedSourceUser, key: string, id: string): boolean {
  const principal = user.userPrincipalName.toLowerCase();
  return principal > key || (principal === key && user.id > id);
}

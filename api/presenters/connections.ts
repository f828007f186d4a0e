import type { z } from '@hono/zod-openapi';
import type { ConnectionView } from '../../store/index.js';
import { iso, isoOrNull } from '../schemas/common.js';
import type { ConnectionSchema } from '../schemas/connections.js';
import { toStoredError } from './stored-error.js';

export type ConnectionBody = z.infer<typeof ConnectionSchema>;

/** Settings are copied field by field: nothing stored beside them can slip into a response. */
export function toConnection(view: ConnectionView): ConnectionBody {
  const base = {
    id: view.id,
    name: view.name,
    status: view.status,
    lastError: toStoredError(view.lastError),
    lastTestedAt: isoOrNull(view.lastTestedAt),
    createdAt: iso(view.createdAt),
    updatedAt: iso(view.updatedAt),
  };
  if (view.kind === 'microsoft365') {
    const { tenantId, clientId, authorityHost, graphBaseUrl } = view.settings;
    return { ...base, kind: 'microsoft365', settings: { tenantId, clientId, ...(authorityHost ? { authorityHost } : {}), ...(graphBaseUrl ? { graphBaseUrl } : {}) } };
  }
  const { serviceAccountEmail, adminSubject, domain, apiBaseUrl } = view.settings;
  return { ...base, kind: 'google-workspace', settings: { serviceAccountEmail, adminSubject, domain, ...(apiBaseUrl ? { apiBaseUrl } : {}) } };
}

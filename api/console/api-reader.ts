import type { Problem } from '../problem.js';

/** Anything that answers requests like a Hono app: the API app itself. */
export interface RequestHandler {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

export type Query = Record<string, string | number | undefined>;

/** A read whose refusal is shown in place rather than as an error page. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: ConsoleApiError };

/** The API refused a read; `problem` is its problem+json answer. */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Pick<Problem, 'code' | 'detail'>,
  ) {
    super(`${problem.code}: ${problem.detail}`);
    this.name = 'ConsoleApiError';
  }
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * How the console's pages read data: GET requests to the REST API, in
 * process, with the API token. The pages see exactly what any other API
 * client sees, and never touch the store.
 */
export class ApiReader {
  constructor(
    private readonly api: RequestHandler,
    private readonly apiToken: string,
  ) {}

  async get<T>(path: string, query?: Query): Promise<T> {
    const res = await this.api.request(withQuery(path, query), { headers: { authorization: `Bearer ${this.apiToken}`, accept: 'application/json' } });
    const text = await res.text();
    const body: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) throw new ConsoleApiError(res.status, toProblem(res.status, body));
    return body as T;
  }

  /** Like get, but a refusal comes back as a value, for page parts that can show it in place. */
  async attempt<T>(path: string, query?: Query): Promise<Attempt<T>> {
    try {
      return { ok: true, value: await this.get<T>(path, query) };
    } catch (err) {
      if (err instanceof ConsoleApiError) return { ok: false, error: err };
      throw err;
    }
  }
}

function toProblem(status: number, body: unknown): Pick<Problem, 'code' | 'detail'> {
  if (body && typeof body === 'object' && 'code' in body && 'detail' in body) {
    const { code, detail } = body as { code: unknown; detail: unknown };
    if (typeof code === 'string' && typeof detail === 'string') return { code, detail };
  }
  return { code: 'API_ERROR', detail: `The API answered with status ${status}.` };
}

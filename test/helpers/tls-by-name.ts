import { request } from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * Resolves the given names to 127.0.0.1 and nothing else, so a test can reach
 * a local server by a Compose service name without DNS.
 */
export function loopbackLookup(names: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    if (!names.includes(hostname)) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    // net.connect asks for every address (all: true) when it may try several families.
    if ((options as { all?: boolean }).all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
}

export interface ByNameResponse {
  status: number;
  body: string;
}

/**
 * GET https://<name>:<port><path>, trusting only `ca` (no system store, no
 * NODE_EXTRA_CA_CERTS) and verifying the certificate for <name>. Rejects with
 * the TLS error (its `code`, e.g. ERR_TLS_CERT_ALTNAME_INVALID) when it fails.
 */
export function getByName(options: { name: string; port: number; path?: string; ca: string; lookupNames: readonly string[] }): Promise<ByNameResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: options.name, port: options.port, path: options.path ?? '/', method: 'GET', ca: options.ca, agent: false, lookup: loopbackLookup(options.lookupNames) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Ajv } from 'ajv';
import type { ObservedResponse } from '../../../emulators/response-observer.js';
import { createAjv, describeErrors } from './ajv.js';
import { googleErrorSchema, oauthErrorSchema, oauthTokenSchema } from './envelopes.js';
import { describedMethods, documentJsonSchema, documentSchemaId, type DescribedMethod, type DiscoveryDocument } from './google-discovery.js';
import { discoveryDocumentFiles } from './google-discovery-source.js';
import { parseJsonBody } from './json-body.js';

const tokenPaths = new Set(['/token', '/oauth2/v4/token']);

/**
 * Checks a Google emulator response against the discovery documents of
 * Gmail v1, Admin SDK Directory v1, People v1 and Calendar v3: the request is matched to the
 * discovery method it calls (verb and URL template, upload paths included)
 * and the body validated against that method's response schema; errors
 * against Google's JSON error body; the token endpoint against RFC 6749.
 * The control API (/_control) is the emulator's own and is not checked.
 */
export class GoogleContract {
  private readonly ajv: Ajv = createAjv();
  private readonly methods: DescribedMethod[];

  constructor(documents: readonly DiscoveryDocument[]) {
    for (const document of documents) this.ajv.addSchema(documentJsonSchema(document));
    this.ajv.addSchema(googleErrorSchema, 'google-error');
    this.ajv.addSchema(oauthTokenSchema, 'oauth-token');
    this.ajv.addSchema(oauthErrorSchema, 'oauth-error');
    this.methods = documents.flatMap(describedMethods).sort((a, b) => b.literalLength - a.literalLength);
  }

  static fromDirectory(dir: string): GoogleContract {
    return new GoogleContract(discoveryDocumentFiles.map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as DiscoveryDocument));
  }

  /** Problems with one response; empty when it matches the description. */
  check(response: ObservedResponse): string[] {
    if (response.path.startsWith('/_control')) return [];
    if (tokenPaths.has(response.path)) return this.validateJson(response, response.status < 400 ? 'oauth-token' : 'oauth-error');
    if (response.status >= 400) {
      const problems = this.validateJson(response, 'google-error');
      const code = (parseJsonBody(response).value as { error?: { code?: unknown } } | undefined)?.error?.code;
      if (problems.length === 0 && code !== response.status) problems.push(`error.code ${String(code)} differs from the HTTP status ${response.status}`);
      return problems;
    }
    const query = new URLSearchParams(response.search);
    const resumable = query.get('uploadType') === 'resumable' || query.has('upload_id');
    // Resumable-upload steps answer with no body (200 + Location, or 308) until the last, which carries the method's resource.
    if (resumable && (response.status === 308 || response.body === '')) return [];
    const method = this.methods.find((candidate) => (resumable || candidate.httpMethod === response.method) && candidate.patterns.some((pattern) => pattern.test(response.path)));
    if (!method) return [`no method of Gmail v1, Admin SDK Directory v1, People v1 or Calendar v3 answers ${response.method} ${response.path}`];
    if (!method.responseRef) return response.body === '' ? [] : [`${method.id} has no response body in the discovery document, but one was sent`];
    return this.validateJson(response, `${documentSchemaId(method.document)}#/definitions/${method.responseRef}`, method.id);
  }

  private validateJson(response: ObservedResponse, schemaRef: string, label = schemaRef): string[] {
    const parsed = parseJsonBody(response);
    if (parsed.problem) return [parsed.problem];
    const validate = this.ajv.getSchema(schemaRef);
    if (!validate) throw new Error(`No schema ${schemaRef} in the Google contract.`);
    if (validate(parsed.value)) return [];
    return describeErrors(validate.errors).map((problem) => `${label}: ${problem}`);
  }
}

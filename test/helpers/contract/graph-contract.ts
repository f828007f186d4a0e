import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import type { ObservedResponse } from '../../../emulators/response-observer.js';
import { describeErrors } from './ajv.js';
import { graphBatchSchema, graphErrorSchema, oauthErrorSchema, oauthTokenSchema } from './envelopes.js';
import { graphRouteFor, type GraphResource } from './graph-routes.js';
import { parseJsonBody } from './json-body.js';
import { cachedValidators } from './validator-cache.js';

const typesId = 'microsoft-graph-types';
const definitionOf: Record<GraphResource, string> = {
  message: 'Message',
  mailFolder: 'MailFolder',
  user: 'User',
  group: 'Group',
  directoryObject: 'DirectoryObject',
  contact: 'Contact',
  contactFolder: 'ContactFolder',
  profilePhoto: 'ProfilePhoto',
  event: 'Event',
  calendar: 'Calendar',
};
/** Derived types a collection of the base may hold, told apart by @odata.type. */
const derivedTypes: Partial<Record<GraphResource, readonly GraphResource[]>> = { directoryObject: ['user', 'group'] };

/**
 * OData control information an entity or complex value may carry
 * (OData JSON Format 4.01 §4.5: odata.type, odata.etag, odata.id, and
 * odata.mediaContentType of a media entity such as profilePhoto); the
 * types package describes properties only, so every closed object admits these.
 */
const annotationPattern = '^@odata\\.(type|etag|id|mediaContentType)$';

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function admitAnnotations(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) admitAnnotations(item);
    return;
  }
  if (!isObject(node)) return;
  if (node.type === 'object' && node.additionalProperties === false) node.patternProperties = { [annotationPattern]: { type: 'string' } };
  for (const value of Object.values(node)) admitAnnotations(value);
}

/**
 * Checks a Microsoft 365 emulator response against Graph's published
 * description: resources against JSON Schema generated from
 * @microsoft/microsoft-graph-types (closed: an undeclared property is a
 * divergence), wrapped in the OData envelope Graph uses (entity:
 * `@odata.context` beside the properties; collection: `value` plus
 * `@odata.context`, `@odata.nextLink`, `@odata.count`; delta pages: exactly
 * one of `@odata.nextLink`/`@odata.deltaLink`, removed items as
 * `{id, "@removed": {reason: changed|deleted}}`), errors against Graph's error
 * body, $batch against the JSON batching envelope, the token endpoint
 * against RFC 6749. The control API and the identity platform's metadata
 * endpoints are not Graph and are not checked.
 */
export class GraphContract {
  private readonly validators: Record<string, ValidateFunction>;

  constructor(generatedSchema: JsonObject) {
    const schema = structuredClone(generatedSchema);
    admitAnnotations(schema.definitions);
    delete schema.$ref;
    this.validators = cachedValidators({
      schemas: { [typesId]: schema, 'graph-error': graphErrorSchema, 'graph-batch': graphBatchSchema, 'oauth-token': oauthTokenSchema, 'oauth-error': oauthErrorSchema },
      exports: {
        ...Object.fromEntries(Object.values(definitionOf).map((name) => [name, `${typesId}#/definitions/${name}`])),
        'graph-error': 'graph-error',
        'graph-batch': 'graph-batch',
        'oauth-token': 'oauth-token',
        'oauth-error': 'oauth-error',
      },
    });
  }

  static fromFile(file: string): GraphContract {
    return new GraphContract(JSON.parse(readFileSync(file, 'utf8')) as JsonObject);
  }

  /** Problems with one response; empty when it matches the description. */
  check(response: ObservedResponse): string[] {
    if (/^\/[^/]+\/oauth2\/v2\.0\/token$/.test(response.path)) return this.validate(response, response.status < 400 ? 'oauth-token' : 'oauth-error');
    if (!response.path.startsWith('/v1.0/')) return [];
    if (response.status >= 400) return this.validate(response, 'graph-error');
    const route = graphRouteFor(response.method, response.path);
    if (!route) return [`no Graph v1.0 answer is described for ${response.method} ${response.path} (add it to test/helpers/contract/graph-routes.ts)`];
    const answer = route.answer;
    if (answer.kind === 'media') return /^application\/json/i.test(response.contentType) ? ['$value answers with JSON where Graph answers the raw content'] : [];
    const parsed = parseJsonBody(response);
    if (parsed.problem) return [parsed.problem];
    const body = parsed.value;
    if (answer.kind === 'batch') return this.checkBatch(body);
    if (!isObject(body)) return ['(body) must be a JSON object'];
    if (answer.kind === 'entity') {
      const { '@odata.context': context, ...entity } = body;
      return [...checkContext(context), ...this.checkEntity(entity, answer.resource, '')];
    }
    return this.checkCollection(body, answer.resource, answer.kind === 'delta');
  }

  private checkCollection(body: JsonObject, resource: GraphResource, delta: boolean): string[] {
    const problems: string[] = [];
    const allowed = new Set(['value', '@odata.context', '@odata.nextLink', '@odata.count', ...(delta ? ['@odata.deltaLink'] : [])]);
    for (const key of Object.keys(body)) if (!allowed.has(key)) problems.push(`(body) has a member the OData collection envelope lacks: "${key}"`);
    problems.push(...checkContext(body['@odata.context']));
    for (const link of ['@odata.nextLink', '@odata.deltaLink'] as const) {
      if (link in body && !isAbsoluteUrl(body[link])) problems.push(`${link} must be an absolute URL`);
    }
    if ('@odata.count' in body && !Number.isInteger(body['@odata.count'])) problems.push('@odata.count must be an integer');
    if (delta && '@odata.nextLink' in body === '@odata.deltaLink' in body) problems.push('a delta page carries exactly one of @odata.nextLink and @odata.deltaLink');
    if (!Array.isArray(body.value)) return [...problems, '/value must be an array'];
    body.value.forEach((item, index) => {
      const where = `/value/${index}`;
      if (!isObject(item)) {
        problems.push(`${where} must be an object`);
        return;
      }
      if (delta && '@removed' in item) {
        const { '@removed': removed, ...rest } = item;
        const reason = isObject(removed) ? removed.reason : undefined;
        if (!isObject(removed) || Object.keys(removed).length !== 1 || (reason !== 'changed' && reason !== 'deleted')) problems.push(`${where}/@removed must be {"reason": "changed" | "deleted"}`);
        if (typeof rest.id !== 'string') problems.push(`${where} is a removed item without an id`);
        problems.push(...this.checkEntity(rest, resource, where));
        return;
      }
      problems.push(...this.checkEntity(item, resource, where));
    });
    return problems;
  }

  private checkEntity(entity: JsonObject, resource: GraphResource, where: string): string[] {
    const odataType = entity['@odata.type'];
    let actual = resource;
    if (odataType !== undefined) {
      const named = [resource, ...(derivedTypes[resource] ?? [])].find((candidate) => odataType === `#microsoft.graph.${candidate}`);
      if (!named) return [`${where || '(body)'}/@odata.type is ${JSON.stringify(odataType)}, not a ${resource}`];
      actual = named;
    }
    const validate = this.validators[definitionOf[actual]];
    if (!validate) throw new Error(`No schema for ${actual} in the generated Graph types.`);
    if (validate(entity)) return [];
    // Ajv paths are relative to the entity; put them under its place in the body.
    return describeErrors(validate.errors).map(
      (problem) => `${definitionOf[actual]}: ${problem.startsWith('(body)') ? `${where || '(body)'}${problem.slice('(body)'.length)}` : `${where}${problem}`}`,
    );
  }

  private checkBatch(body: unknown): string[] {
    const problems = this.validateValue(body, 'graph-batch');
    if (problems.length > 0) return problems;
    // Successful parts were checked as responses of their own (the emulator dispatches them to itself); error parts are built in place.
    for (const [index, part] of (body as { responses: { status: number; body?: unknown }[] }).responses.entries()) {
      if (part.status >= 400) problems.push(...this.validateValue(part.body, 'graph-error').map((problem) => `responses/${index}/body: ${problem}`));
    }
    return problems;
  }

  private validate(response: ObservedResponse, schemaRef: string): string[] {
    const parsed = parseJsonBody(response);
    return parsed.problem ? [parsed.problem] : this.validateValue(parsed.value, schemaRef);
  }

  private validateValue(value: unknown, schemaRef: string): string[] {
    const validate = this.validators[schemaRef];
    if (!validate) throw new Error(`No schema ${schemaRef} in the Graph contract.`);
    return validate(value) ? [] : describeErrors(validate.errors).map((problem) => `${schemaRef}: ${problem}`);
  }
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** @odata.context, when present, is the service's $metadata URL with a fragment (OData JSON Format 4.01 §10). */
function checkContext(context: unknown): string[] {
  if (context === undefined) return [];
  return typeof context === 'string' && /^https?:\/\/[^#]+\/\$metadata#.+/.test(context) ? [] : [`@odata.context ${JSON.stringify(context)} is not a $metadata URL with a fragment`];
}

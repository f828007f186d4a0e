/**
 * The JSON around the resources, which neither Graph's types nor Google's
 * discovery documents describe, written from the services' documentation.
 * Closed where the documentation lists the members, open where a standard
 * says unknown members are to be ignored (OAuth 2.0 token responses).
 */

type JsonSchema = Record<string, unknown>;

/**
 * Graph's error body (learn.microsoft.com/graph/errors; Microsoft's OpenAPI
 * description names it microsoft.graph.ODataErrors.ODataError with
 * MainError {code, message, target, details, innerError}).
 */
export const graphErrorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', minLength: 1 },
        message: { type: 'string' },
        target: { type: ['string', 'null'] },
        details: {
          type: 'array',
          items: {
            type: 'object',
            required: ['code', 'message'],
            additionalProperties: false,
            properties: { code: { type: 'string' }, message: { type: 'string' }, target: { type: ['string', 'null'] } },
          },
        },
        innerError: {
          type: 'object',
          additionalProperties: false,
          properties: {
            code: { type: 'string' },
            date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}' },
            'request-id': { type: 'string' },
            'client-request-id': { type: 'string' },
            innerError: { type: 'object' },
          },
        },
      },
    },
  },
};

/**
 * A JSON batch answer (learn.microsoft.com/graph/json-batching): `responses`,
 * each with the request's id, a status, headers and a body; JSON bodies
 * inline, others base64-encoded strings; `@odata.nextLink` when Graph
 * returns only some.
 */
export const graphBatchSchema: JsonSchema = {
  type: 'object',
  required: ['responses'],
  additionalProperties: false,
  properties: {
    responses: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'status'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          status: { type: 'integer', minimum: 100, maximum: 599 },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          body: {},
        },
      },
    },
    '@odata.nextLink': { type: 'string' },
  },
};

/**
 * Google's JSON error body (developers.google.com/gmail/api/guides/handle-errors;
 * cloud.google.com/apis/design/errors): error.code is the HTTP status,
 * errors[] the legacy per-error entries, status the canonical code name.
 */
export const googleErrorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'integer', minimum: 400, maximum: 599 },
        message: { type: 'string' },
        status: { type: 'string', pattern: '^[A-Z_]+$' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['reason'],
            additionalProperties: false,
            properties: { message: { type: 'string' }, domain: { type: 'string' }, reason: { type: 'string' }, location: { type: 'string' }, locationType: { type: 'string' } },
          },
        },
        details: { type: 'array', items: { type: 'object', required: ['@type'], properties: { '@type': { type: 'string' } } } },
      },
    },
  },
};

/** RFC 6749 §5.1: a token answer; clients must ignore members they do not know, so it stays open. */
export const oauthTokenSchema: JsonSchema = {
  type: 'object',
  required: ['access_token', 'token_type'],
  properties: { access_token: { type: 'string', minLength: 1 }, token_type: { type: 'string' }, expires_in: { type: 'integer', minimum: 0 }, scope: { type: 'string' } },
};

/** RFC 6749 §5.2: a token-endpoint error (Entra adds error_codes, trace_id... which the RFC allows). */
export const oauthErrorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', pattern: '^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+$' }, error_description: { type: 'string' }, error_uri: { type: 'string' } },
};

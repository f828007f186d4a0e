/**
 * Google discovery documents (https://developers.google.com/discovery/v1/reference/apis)
 * turned into what a response check needs: each method's HTTP verb, URL
 * patterns (path, plus media-upload paths) and response schema, and the
 * document's schemas as JSON Schema for Ajv.
 */

export interface DiscoverySchema {
  id?: string;
  type?: string;
  $ref?: string;
  format?: string;
  enum?: string[];
  default?: string;
  properties?: Record<string, DiscoverySchema>;
  additionalProperties?: DiscoverySchema;
  items?: DiscoverySchema;
  required?: boolean;
}

interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  flatPath?: string;
  response?: { $ref: string };
  mediaUpload?: { protocols?: Record<string, { path: string }> };
}

interface DiscoveryResource {
  methods?: Record<string, DiscoveryMethod>;
  resources?: Record<string, DiscoveryResource>;
}

export interface DiscoveryDocument {
  name: string;
  version: string;
  revision: string;
  rootUrl: string;
  servicePath: string;
  schemas: Record<string, DiscoverySchema>;
  resources: Record<string, DiscoveryResource>;
}

export interface DescribedMethod {
  /** e.g. gmail.users.messages.import */
  id: string;
  httpMethod: string;
  patterns: RegExp[];
  /** How specific the path is: literal characters in its template (more wins when two match). */
  literalLength: number;
  /** The response schema's $ref into this document, or undefined for methods that answer no body. */
  responseRef: string | undefined;
  document: DiscoveryDocument;
}

/** A URI template of discovery (`{name}` one segment, `{+name}` reserved expansion, may span slashes) as an anchored RegExp. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{\+?[^}]+\})/)
    .map((part) => {
      if (part.startsWith('{+')) return '.+';
      if (part.startsWith('{')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** Every method of a document, with the paths it is served at. */
export function describedMethods(document: DiscoveryDocument): DescribedMethod[] {
  const base = new URL(document.servicePath, document.rootUrl).pathname;
  const methods: DescribedMethod[] = [];
  const visit = (resource: DiscoveryResource): void => {
    for (const method of Object.values(resource.methods ?? {})) {
      // flatPath, where given, names each segment ("v1/people/{peopleId}" against "v1/{+resourceName}"),
      // which tells apart methods whose paths differ only in their parameter's pattern (people.get, contactGroups.get).
      const template = method.flatPath ?? method.path;
      const templates = [`${base}${template}`];
      // Media uploads are served at their own absolute paths (e.g. /upload/gmail/v1/users/{userId}/messages/import).
      for (const protocol of Object.values(method.mediaUpload?.protocols ?? {})) templates.push(protocol.path);
      methods.push({
        id: method.id,
        httpMethod: method.httpMethod,
        patterns: [...new Set(templates)].map(templatePattern),
        literalLength: template.replace(/\{[^}]+\}/g, '').length,
        responseRef: method.response?.$ref,
        document,
      });
    }
    for (const child of Object.values(resource.resources ?? {})) visit(child);
  };
  for (const resource of Object.values(document.resources)) visit(resource);
  return methods.sort((a, b) => b.literalLength - a.literalLength);
}

type JsonSchema = Record<string, unknown>;

/**
 * One discovery schema as JSON Schema (draft-07). Discovery's dialect is JSON
 * Schema draft 3 with Google's formats: 64-bit integers travel as decimal
 * strings (int64, uint64), `byte` is base64 (either alphabet), `any` is
 * anything. An object that lists its properties and names no
 * additionalProperties is taken as closed: the stricter reading, so a
 * property Google does not describe is a divergence. `kind`, which Google
 * always sets to its documented default, must equal it.
 */
export function toJsonSchema(schema: DiscoverySchema, documentId: string): JsonSchema {
  if (schema.$ref) return { $ref: `${documentId}#/definitions/${schema.$ref}` };
  switch (schema.type) {
    case 'any':
    case undefined:
      return {};
    case 'string': {
      const result: JsonSchema = { type: 'string' };
      if (schema.enum) result.enum = schema.enum;
      if (schema.format === 'int64') result.pattern = '^-?[0-9]+$';
      if (schema.format === 'uint64') result.pattern = '^[0-9]+$';
      if (schema.format === 'byte') result.pattern = '^[A-Za-z0-9+/_-]*={0,2}$';
      if (schema.format === 'date-time' || schema.format === 'google-datetime') result.pattern = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
      if (schema.format === 'date') result.pattern = '^\\d{4}-\\d{2}-\\d{2}$';
      return result;
    }
    case 'integer': {
      const result: JsonSchema = { type: 'integer' };
      if (schema.format === 'int32') Object.assign(result, { minimum: -2147483648, maximum: 2147483647 });
      if (schema.format === 'uint32') Object.assign(result, { minimum: 0, maximum: 4294967295 });
      return result;
    }
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
      return { type: 'array', ...(schema.items ? { items: toJsonSchema(schema.items, documentId) } : {}) };
    case 'object': {
      const result: JsonSchema = { type: 'object' };
      if (schema.properties) {
        const properties: Record<string, JsonSchema> = {};
        const required: string[] = [];
        for (const [name, property] of Object.entries(schema.properties)) {
          properties[name] = toJsonSchema(property, documentId);
          if (name === 'kind' && property.type === 'string' && property.default) properties[name] = { type: 'string', const: property.default };
          if (property.required === true) required.push(name);
        }
        result.properties = properties;
        if (required.length > 0) result.required = required;
      }
      result.additionalProperties = schema.additionalProperties ? toJsonSchema(schema.additionalProperties, documentId) : schema.properties ? false : true;
      return result;
    }
    default:
      throw new Error(`Discovery schema type "${schema.type}" is not handled.`);
  }
}

/** The whole document's schemas as one JSON Schema whose definitions are the discovery schemas by id. */
export function documentJsonSchema(document: DiscoveryDocument): JsonSchema {
  const id = documentSchemaId(document);
  return {
    $id: id,
    definitions: Object.fromEntries(Object.entries(document.schemas).map(([name, schema]) => [name, toJsonSchema({ type: 'object', ...schema }, id)])),
  };
}

export const documentSchemaId = (document: DiscoveryDocument): string => `google-discovery-${document.name}-${document.version}`;

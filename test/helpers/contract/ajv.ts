import { Ajv, type ErrorObject, type Options } from 'ajv';

/** One Ajv for a contract: every error reported, no coercion, unknown keywords refused (our converters emit only standard ones). */
export const ajvOptions: Readonly<Options> = { allErrors: true, strict: true, allowUnionTypes: true, validateFormats: false };

export function createAjv(extra: Options = {}): Ajv {
  return new Ajv({ ...ajvOptions, ...extra });
}

/** Ajv's errors as short sentences naming the JSON path, e.g. `/value/0 has a property the description lacks: "size"`. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, limit = 8): string[] {
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const where = error.instancePath === '' ? '(body)' : error.instancePath;
    let sentence: string;
    if (error.keyword === 'additionalProperties') sentence = `${where} has a property the description lacks: "${String(error.params.additionalProperty)}"`;
    else if (error.keyword === 'required') sentence = `${where} lacks the required property "${String(error.params.missingProperty)}"`;
    else if (error.keyword === 'enum') sentence = `${where} must be one of ${JSON.stringify(error.params.allowedValues)}`;
    else sentence = `${where} ${error.message ?? error.keyword}`;
    seen.add(sentence);
    if (seen.size >= limit) break;
  }
  return [...seen];
}

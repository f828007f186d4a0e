import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { ajvOptions, createAjv } from './ajv.js';
import { contractCacheDir } from './cache-dir.js';

const require = createRequire(import.meta.url);
const ajvVersion = (require('ajv/package.json') as { version: string }).version;

export interface SchemaSet {
  /** Schemas to register, each with its $id (or under the given key). */
  schemas: Record<string, Record<string, unknown>>;
  /** Exported validator name → schema reference. */
  exports: Record<string, string>;
}

/**
 * Validators for a schema set, compiled once per machine and reused (keyed by the schemas, Ajv's version and options): Graph's
 * User type reaches over a thousand definitions, which takes Ajv seconds to
 * compile, in every test worker otherwise. The compiled code (Ajv's
 * standalone output) is cached under a hash of the schemas and Ajv's version.
 */
export function cachedValidators(set: SchemaSet): Record<string, ValidateFunction> {
  const key = createHash('sha256').update(JSON.stringify({ ajvVersion, ajvOptions, set })).digest('hex').slice(0, 24);
  const file = contractCacheDir('validators', `${key}.cjs`);
  let code: string;
  if (existsSync(file)) {
    code = readFileSync(file, 'utf8');
  } else {
    const ajv = createAjv({ code: { source: true } });
    for (const [id, schema] of Object.entries(set.schemas)) ajv.addSchema(schema, id);
    code = standaloneCode.default(ajv, set.exports);
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.partial-${process.pid}`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  // The code requires Ajv's runtime helpers, resolved from here.
  const module = { exports: {} as Record<string, ValidateFunction> };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports;
}

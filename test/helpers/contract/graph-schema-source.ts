import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';
import { contractCacheDir } from './cache-dir.js';

const require = createRequire(import.meta.url);
const rootsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'graph-roots.ts');

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

/**
 * JSON Schema for the Graph resources in graph-roots.ts, generated from the
 * installed @microsoft/microsoft-graph-types with ts-json-schema-generator.
 * Every interface is closed (additionalProperties: false): a property the
 * types do not declare is a divergence. Cached per package versions, since
 * building the 2 MB declaration file takes seconds.
 */
const generatorConfig = { type: 'GraphContractRoots', additionalProperties: false, skipTypeCheck: true, expose: 'export', topRef: true, jsDoc: 'none' } as const;

export function resolveGraphSchemaFile(log: (line: string) => void): string {
  // The roots and the generator's settings are part of the key: a type added to graph-roots.ts regenerates the schema.
  const inputs = createHash('sha256').update(readFileSync(rootsFile, 'utf8')).update(JSON.stringify(generatorConfig)).digest('hex').slice(0, 12);
  const key = `graph-types-${versionOf('@microsoft/microsoft-graph-types')}-generator-${versionOf('ts-json-schema-generator')}-${inputs}`;
  const file = contractCacheDir('graph-schemas', `${key}.json`);
  if (existsSync(file)) return file;
  log(`Generating JSON Schema from @microsoft/microsoft-graph-types (${key}, first run only)...`);
  const generator = createGenerator({ path: rootsFile, ...generatorConfig });
  const schema = generator.createSchema('GraphContractRoots');
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  writeFileSync(partial, JSON.stringify(schema));
  renameSync(partial, file);
  return file;
}

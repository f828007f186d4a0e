import { resolveGoogleDiscoveryDir } from './google-discovery-source.js';
import { GraphContract } from './graph-contract.js';
import { resolveGraphSchemaFile } from './graph-schema-source.js';

/** Where the published descriptions are on this machine, resolved once per test run (test/global-setup.ts). */
export interface ContractSources {
  /** Holds gmail.v1.json, admin.directory_v1.json and people.v1.json. */
  googleDiscoveryDir: string;
  /** JSON Schema generated from @microsoft/microsoft-graph-types. */
  graphSchemaFile: string;
}

export function resolveContractSources(log: (line: string) => void): ContractSources {
  const sources = { googleDiscoveryDir: resolveGoogleDiscoveryDir(log), graphSchemaFile: resolveGraphSchemaFile(log) };
  // Compiles (and caches) the Graph validators once here rather than in two test workers at the same time.
  GraphContract.fromFile(sources.graphSchemaFile);
  return sources;
}

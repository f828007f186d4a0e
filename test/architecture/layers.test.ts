import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UserSyncWorkflow } from '../../shared/contracts/user-sync.js';
import type { userSyncWorkflow } from '../../workflows/user-sync/workflow.js';
import { findCycle, folderImports } from './import-graph.js';

/**
 * The layers of README's "Architecture", the same rules eslint.config.js
 * enforces per folder: each folder may import the ones listed (type-only
 * where marked). scripts/, bench/ and test/ may import anything.
 */
const allowed: Record<string, { imports: string[]; typeOnly?: string[] }> = {
  shared: { imports: [] },
  store: { imports: ['shared'] },
  connectors: { imports: ['shared', 'store'] },
  activities: { imports: ['shared', 'store', 'connectors'] },
  workflows: { imports: ['shared', 'store', 'connectors'], typeOnly: ['activities'] },
  worker: { imports: ['shared', 'store', 'connectors', 'activities', 'workflows'] },
  api: { imports: ['shared', 'store', 'connectors'], typeOnly: ['workflows'] },
  emulators: { imports: ['shared'] },
};
const anythingGoes = new Set(['scripts', 'bench', 'test']);

// Clients start the user-sync workflow by name with shared's signature: it must stay the workflow's own.
const signatureMatches: typeof userSyncWorkflow extends UserSyncWorkflow ? (UserSyncWorkflow extends typeof userSyncWorkflow ? true : false) : false = true;

describe('the layers between top-level folders', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const imports = folderImports(root).filter((edge) => !anythingGoes.has(edge.from));

  it('finds the imports it checks (a parser that saw none would prove nothing)', () => {
    expect(imports.some((edge) => edge.from === 'activities' && edge.to === 'connectors')).toBe(true);
    expect(imports.some((edge) => edge.from === 'workflows' && edge.to === 'activities' && edge.typeOnly)).toBe(true);
    expect(signatureMatches).toBe(true);
  });

  it('lets each folder import only the layers before it', () => {
    const breaches = imports
      .filter((edge) => {
        const rule = allowed[edge.from];
        if (!rule) return true; // a new top-level folder must be given its place here and in eslint.config.js
        return !rule.imports.includes(edge.to) && !(edge.typeOnly && rule.typeOnly?.includes(edge.to));
      })
      .map((edge) => `${edge.file} imports ${edge.specifier}${edge.typeOnly ? ' (type only)' : ''}: ${edge.from}/ may not import ${edge.to}/`);
    expect(breaches).toEqual([]);
  });

  it('has no cycle between folders, counting type-only imports too', () => {
    const edges = new Map<string, Set<string>>();
    for (const edge of imports) {
      if (anythingGoes.has(edge.to)) continue;
      edges.set(edge.from, (edges.get(edge.from) ?? new Set()).add(edge.to));
    }
    expect(findCycle(edges)).toBeNull();
  });

  it('would see a cycle if there were one', () => {
    const edges = new Map([
      ['shared', new Set(['store'])],
      ['store', new Set(['shared'])],
    ]);
    expect(findCycle(edges)).toEqual(['shared', 'store', 'shared']);
  });
});

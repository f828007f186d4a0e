import * as rruleModule from 'rrule';

/**
 * The rrule library however it was loaded: Node's ESM loader gives its
 * CommonJS build (everything on the default export), Vite's test runner its
 * ES module build (named exports, no default). Only the import is shared;
 * the product and the Google emulator each expand with their own code.
 */
type RRuleLibrary = typeof import('rrule');
const namespace = rruleModule as RRuleLibrary & { default?: RRuleLibrary };
export const rruleLibrary: RRuleLibrary = namespace.RRule ? namespace : namespace.default!;

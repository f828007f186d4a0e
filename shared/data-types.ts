/** Every data type a policy may name; only the syncable ones below are copied today. */
export const DATA_TYPES = ['mail', 'calendar', 'contacts', 'files'] as const;
export type DataType = (typeof DATA_TYPES)[number];

/**
 * The data types the sync can copy today, and the activities that copy each
 * one. Each data type is a module behind the engine (activities/engine/);
 * the workflow calls a type's two activities by these names, so that Temporal
 * UI reads "discoverMailFolders", "syncMailFolders" rather than a generic
 * step. Deterministic and dependency-free: workflow code imports it.
 */
export const dataTypeActivityNames = {
  mail: { discover: 'discoverMailFolders', sync: 'syncMailFolders', containers: 'mail folders' },
  contacts: { discover: 'discoverContactFolders', sync: 'syncContactFolders', containers: 'contact folders' },
  calendar: { discover: 'discoverCalendars', sync: 'syncCalendars', containers: 'calendars' },
} as const satisfies Partial<Record<DataType, { discover: string; sync: string; containers: string }>>;

export type SyncableDataType = keyof typeof dataTypeActivityNames;

/** In the order a cycle copies them. */
export const SYNCABLE_DATA_TYPES = Object.keys(dataTypeActivityNames) as SyncableDataType[];

export function isSyncableDataType(type: string): type is SyncableDataType {
  return Object.hasOwn(dataTypeActivityNames, type);
}

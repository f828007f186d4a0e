/**
 * The counter columns of the rows that keep ItemCounts (sync users, containers):
 * whole numbers, 0 when the row is created. A function, so each entity gets
 * property objects of its own (MikroORM's discovery works on them).
 */
export function itemCountColumns() {
  return {
    exported: { type: 'integer', default: 0 },
    imported: { type: 'integer', default: 0 },
    failed: { type: 'integer', default: 0 },
    skipped: { type: 'integer', default: 0 },
  } as const;
}

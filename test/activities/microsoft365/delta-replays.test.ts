import { describe, expect, it } from 'vitest';
import { latestPerId } from '../../../activities/microsoft365/delta-replays.js';

describe('latestPerId: one entry per id within a delta page', () => {
  it('keeps the last state, merged over an earlier change, where the id last appeared', () => {
    const page = [
      { id: 'a', isRead: false, categories: ['Red'] },
      { id: 'b', isRead: true },
      { id: 'a', isRead: true, categories: undefined },
    ];
    expect(latestPerId(page)).toEqual([
      { id: 'b', isRead: true },
      { id: 'a', isRead: true, categories: ['Red'] },
    ]);
  });

  it('lets a removal replace a change and a change replace a removal', () => {
    const removed = { '@removed': { reason: 'deleted' } };
    expect(
      latestPerId([
        { id: 'a', isRead: true },
        { id: 'a', ...removed },
      ]),
    ).toEqual([{ id: 'a', ...removed }]);
    expect(
      latestPerId([
        { id: 'a', ...removed },
        { id: 'a', isRead: true },
      ]),
    ).toEqual([{ id: 'a', isRead: true }]);
    expect(
      latestPerId([
        { id: 'a', ...removed },
        { id: 'a', ...removed },
      ]),
    ).toEqual([{ id: 'a', ...removed }]);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { defaultPacing, MailboxPacers } from '../../activities/pacing.js';

// Fast buckets, so that one used a moment ago is full again by the time it is idle.
const fast = { ...defaultPacing, graphRequestsPerTenMinutes: 600_000, gmailUserUnitsPerMinute: 600_000 };

describe('MailboxPacers', () => {
  it('drops the pacers of a user who has been idle, and keeps those with a call in flight', async () => {
    const pacers = new MailboxPacers(fast, 200);
    const idle = pacers.graphFor('idle@contoso.com');
    await idle.run(1, async () => undefined);
    const busy = pacers.gmailFor('busy@contoso.com');
    let finish!: () => void;
    const inFlight = busy.run(1, () => new Promise<void>((resolve) => (finish = resolve)));
    expect(pacers.size).toBe(2);

    await sleep(300);
    pacers.dropIdle();
    expect(pacers.size).toBe(1);
    expect(pacers.gmailFor('busy@contoso.com')).toBe(busy);
    expect(pacers.graphFor('idle@contoso.com')).not.toBe(idle);
    finish();
    await inFlight;
  });

  it('keeps a pacer that was used within the idle time', async () => {
    const pacers = new MailboxPacers(fast, 200);
    const graph = pacers.graphFor('ann@contoso.com');
    await sleep(300);
    await graph.run(1, async () => undefined);
    pacers.dropIdle();
    expect(pacers.graphFor('ann@contoso.com')).toBe(graph);
  });
});

import { describe, expect, it } from 'vitest';
import { DownloadBudget } from '../../activities/download-budget.js';
import { syncMetricsRegistry } from '../../shared/metrics/sync-metrics.js';

/** A piece of work that runs until the test lets it finish, noting the budget's bytes while it runs. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

async function metric(name: string): Promise<number> {
  const found = (await syncMetricsRegistry.getMetricsAsJSON()).find((m) => m.name === name);
  return Number(found?.values[0]?.value ?? 0);
}

describe('DownloadBudget', () => {
  it('never holds more than its capacity, and lets waiting downloads in as bytes come back', async () => {
    const budget = new DownloadBudget(100);
    const started: string[] = [];
    const gates = { a: gate(), b: gate(), c: gate() };
    const run = (name: keyof typeof gates, bytes: number) =>
      budget.hold(bytes, async () => {
        started.push(name);
        expect(budget.heldBytes).toBeLessThanOrEqual(100);
        await gates[name].opened;
        return name;
      });
    const a = run('a', 60);
    const b = run('b', 50); // 60 + 50 > 100: waits for a
    const c = run('c', 30); // would fit beside a, but b is first in line
    await Promise.resolve();
    expect(started).toEqual(['a']);
    expect(budget.heldBytes).toBe(60);
    gates.a.open();
    expect(await a).toBe('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b', 'c']);
    expect(budget.heldBytes).toBe(80);
    gates.b.open();
    gates.c.open();
    await Promise.all([b, c]);
    expect(budget.heldBytes).toBe(0);
  });

  it('lets an item larger than the whole budget go alone', async () => {
    const budget = new DownloadBudget(100);
    const small = gate();
    const order: string[] = [];
    const first = budget.hold(10, async () => {
      order.push('small');
      await small.opened;
    });
    const huge = budget.hold(5_000, async () => {
      order.push(`huge while holding ${budget.heldBytes}`);
    });
    await Promise.resolve();
    expect(order).toEqual(['small']);
    small.open();
    await Promise.all([first, huge]);
    expect(order).toEqual(['small', 'huge while holding 100']);
    expect(budget.heldBytes).toBe(0);
  });

  it('gives the bytes back when the work fails', async () => {
    const budget = new DownloadBudget(100);
    await expect(
      budget.hold(100, async () => {
        throw new Error('Graph said no');
      }),
    ).rejects.toThrow('Graph said no');
    expect(budget.heldBytes).toBe(0);
    expect(await budget.hold(100, async () => budget.heldBytes)).toBe(100);
  });

  it('keeps a waiting activity alive, and counts the wait', async () => {
    const budget = new DownloadBudget(10);
    const waitsBefore = await metric('continuity_download_budget_waits_total');
    const holder = gate();
    const first = budget.hold(10, () => holder.opened);
    let ticks = 0;
    const threeTicks = gate();
    const second = budget.hold(
      10,
      async () => 'done',
      () => {
        ticks += 1;
        if (ticks === 3) threeTicks.open();
      },
      20,
    );
    await threeTicks.opened;
    expect(await metric('continuity_download_budget_bytes_in_use')).toBe(10);
    holder.open();
    await first;
    expect(await second).toBe('done');
    expect(await metric('continuity_download_budget_waits_total')).toBe(waitsBefore + 1);
    expect(await metric('continuity_download_budget_bytes_in_use')).toBe(0);
  });

  it('refuses a budget of nothing', () => {
    expect(() => new DownloadBudget(0)).toThrow('at least one byte');
  });
});

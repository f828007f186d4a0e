import type { FC } from 'hono/jsx';
import type { Attempt } from '../api-reader.js';
import type { ItemList, SyncUserDetail } from '../api-types.js';
import { Code, EmptyState, Notice, TableScroll, Time } from '../views/components.js';
import { dataTypeLabel, errorTitle, formatBytes, formatNumber, stageLabel } from '../views/format.js';

/** The numbers of the detail panel: counts per data type, the items that could not be copied, the recent cycles. */

export const Counts: FC<{ user: SyncUserDetail }> = ({ user }) => {
  const rows = Object.entries(user.countsByType).filter((entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== undefined);
  const stageOf = (type: string) => user.dataTypes.find((state) => state.dataType === type)?.stage;
  return (
    <section class="panel__section" aria-labelledby="counts-title">
      <h3 id="counts-title">Items by data type</h3>
      <TableScroll label="Items by data type">
        <table class="table table--compact" data-testid="counts-by-type">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Stage</th>
              <th scope="col" class="num">
                Exported
              </th>
              <th scope="col" class="num">
                Imported
              </th>
              <th scope="col" class="num">
                Failed
              </th>
              <th scope="col" class="num">
                Skipped
              </th>
            </tr>
          </thead>
          <tbody>
            {(rows.length > 0 ? rows : [['all', user.counts] as const]).map(([type, counts]) => (
              <tr>
                <th scope="row">{type === 'all' ? 'All' : dataTypeLabel(type)}</th>
                <td>{stageLabel(stageOf(type) ?? user.stage)}</td>
                <td class="num">{formatNumber(counts.exported)}</td>
                <td class="num">{formatNumber(counts.imported)}</td>
                <td class="num">{formatNumber(counts.failed)}</td>
                <td class="num">{formatNumber(counts.skipped)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
};

export const RecentCycles: FC<{ user: SyncUserDetail }> = ({ user }) => (
  <section class="panel__section" aria-labelledby="cycles-title">
    <h3 id="cycles-title">Recent cycles</h3>
    {user.recentCycles.length === 0 ? (
      <p class="muted">No cycle has run yet.</p>
    ) : (
      <TableScroll label="Recent cycles">
        <table class="table table--compact">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Kind</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {user.recentCycles.map((cycle) => (
              <tr>
                <td>
                  <Time iso={cycle.startedAt} />
                </td>
                <td>
                  {cycle.kind === 'initial' ? 'Initial' : 'Delta'} <span class="muted small">({cycle.trigger.replace('-', ' ')})</span>
                </td>
                <td>
                  {cycle.outcome === 'failed' ? <strong class="text-danger">Failed</strong> : cycle.outcome === 'running' ? 'Running' : 'Succeeded'}
                  {cycle.errorCode ? (
                    <>
                      {' '}
                      <Code value={cycle.errorCode} />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    )}
  </section>
);

export const ItemsView: FC<{ user: SyncUserDetail; items: Attempt<ItemList>; moreItemsHref: string | null }> = ({ user, items, moreItemsHref }) => {
  const byCode = Object.entries(user.itemErrorsByCode).filter(([, count]) => count > 0);
  return (
    <section class="panel__section" aria-labelledby="items-title">
      <h3 id="items-title">Items that could not be copied</h3>
      {byCode.length > 0 ? (
        <ul class="chips">
          {byCode.map(([code, count]) => (
            <li class="chip">
              {errorTitle(code)}: {formatNumber(count)}
            </li>
          ))}
        </ul>
      ) : null}
      {!items.ok ? (
        <Notice tone="warning">The items could not be read: {items.error.problem.detail}</Notice>
      ) : items.value.items.length === 0 ? (
        <EmptyState title="Every item was copied">Items that cannot be copied (too large, encrypted, unsupported) are listed here; they do not change the user's status.</EmptyState>
      ) : (
        <TableScroll label="Items that could not be copied">
          <table class="table table--compact" data-testid="failed-items">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Reason</th>
                <th scope="col" class="num">
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {items.value.items.map((item) => (
                <tr>
                  <td>
                    {item.subject ?? <span class="muted">(subject not kept)</span>}
                    <div class="muted small">
                      {dataTypeLabel(item.type)} · {item.folderName} · {item.status}
                    </div>
                  </td>
                  <td>
                    <strong>{errorTitle(item.errorCode)}</strong> <Code value={item.errorCode} className="small" />
                    <div class="small">{item.reason}</div>
                  </td>
                  <td class="num">{formatBytes(item.sizeBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {moreItemsHref ? <a href={moreItemsHref}>More items</a> : null}
    </section>
  );
};

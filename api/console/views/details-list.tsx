import type { FC } from 'hono/jsx';

function humanKey(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const Value: FC<{ value: unknown }> = ({ value }) => {
  if (value === null || value === undefined) return <span class="muted">—</span>;
  if (typeof value === 'object') return <pre class="code-block">{JSON.stringify(value, null, 2)}</pre>;
  return <span>{String(value)}</span>;
};

/** Free-form details (a service's own error, an audit entry's facts) as a readable list; nested values as JSON. */
export const DetailsList: FC<{ details: Record<string, unknown>; empty?: string }> = ({ details, empty = 'No further details.' }) => {
  const entries = Object.entries(details);
  if (entries.length === 0) return <p class="muted">{empty}</p>;
  return (
    <dl class="details">
      {entries.map(([key, value]) => (
        <div class="details__row">
          <dt>{humanKey(key)}</dt>
          <dd>
            <Value value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
};

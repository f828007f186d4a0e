import type { FC } from 'hono/jsx';

export type MenuItem = { label: string; testId?: string } & ({ api: string; result?: string } | { opensDialog: string });

/**
 * The three-dot menu: a button that opens a list of actions. The console
 * script does the opening, arrow keys and Escape (WAI-ARIA menu button).
 */
export const ActionMenu: FC<{ id: string; label: string; items: MenuItem[] }> = ({ id, label, items }) => (
  <div class="menu" data-menu>
    <button type="button" class="button button--icon" aria-haspopup="menu" aria-expanded="false" aria-controls={id} aria-label={label} data-testid="menu-button">
      <span aria-hidden="true">⋯</span>
    </button>
    <ul class="menu__list" role="menu" id={id} aria-label={label} hidden>
      {items.map((item) => (
        <li role="none">
          {'api' in item ? (
            <button type="button" role="menuitem" class="menu__item" tabindex={-1} data-api={item.api} data-api-result={item.result} data-testid={item.testId}>
              {item.label}
            </button>
          ) : (
            <button type="button" role="menuitem" class="menu__item" tabindex={-1} data-open-dialog={item.opensDialog} data-testid={item.testId}>
              {item.label}
            </button>
          )}
        </li>
      ))}
    </ul>
  </div>
);

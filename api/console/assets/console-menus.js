// The three-dot menus, as a WAI-ARIA menu button: Enter, Space or ArrowDown
// open it on its first item, ArrowUp on its last; arrows, Home and End move;
// Escape closes it and returns to its button; Tab leaves it.

const menuItemsOf = (menu) => [...menu.querySelectorAll('[role="menuitem"]:not([disabled])')];

export const menuButtonOf = (menu) => document.querySelector(`[aria-controls="${menu.id}"]`);

export function openMenu(button, focusLast = false) {
  closeMenus();
  const menu = document.getElementById(button.getAttribute('aria-controls'));
  if (!menu) return;
  menu.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  const items = menuItemsOf(menu);
  (focusLast ? items.at(-1) : items[0])?.focus();
}

export function closeMenus({ returnFocusTo } = {}) {
  for (const button of document.querySelectorAll('[aria-haspopup="menu"][aria-expanded="true"]')) {
    button.setAttribute('aria-expanded', 'false');
    const menu = document.getElementById(button.getAttribute('aria-controls'));
    if (menu) menu.hidden = true;
    if (returnFocusTo === button) button.focus();
  }
}

/** Handles a key pressed inside an open menu; true when the menu used it. */
export function handleMenuKey(menu, event) {
  if (event.key === 'Escape') {
    closeMenus({ returnFocusTo: menuButtonOf(menu) });
    return true;
  }
  if (event.key === 'Tab') {
    closeMenus();
    return false;
  }
  const items = menuItemsOf(menu);
  const index = items.indexOf(document.activeElement);
  const moves = {
    ArrowDown: () => items[(index + 1) % items.length],
    ArrowUp: () => items[(index - 1 + items.length) % items.length],
    Home: () => items[0],
    End: () => items.at(-1),
  };
  const target = moves[event.key]?.();
  if (!target) return false;
  target.focus();
  return true;
}

import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's chromium package; .ci/run installs it when it is missing. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves what the page looks like now, for a reviewer (test/artifacts is gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: `${artifactsDir}console-${name}.png`, fullPage: true });
}

/** A badge's word, without its glyph. */
export async function badgeText(badge: Locator): Promise<string> {
  return ((await badge.textContent()) ?? '').replace(/^[^A-Za-z]+/, '').trim();
}

/** Every visible form control has a label a screen reader can announce. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  // Evaluated in the page (the project's TypeScript has no DOM types, hence a string).
  return page.evaluate<string[]>(`
    [...document.querySelectorAll('input:not([type="hidden"]), select, textarea')]
      .filter((control) => control.labels.length === 0 && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby'))
      .map((control) => control.outerHTML.slice(0, 120))
  `);
}

/** Whether the page fits the window's width (nothing to scroll sideways but the tables' own scrollers). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1');
}

/** Errors the page raised or logged (a script error, a blocked resource, a CSP violation). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { ASSETS_PATH } from './views/layout.js';

interface Asset {
  body: string;
  contentType: string;
  etag: string;
}

const assetTypes: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console-api.js': 'text/javascript; charset=utf-8',
  'console-forms.js': 'text/javascript; charset=utf-8',
  'console-live.js': 'text/javascript; charset=utf-8',
  'console-menus.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, contentType] of Object.entries(assetTypes)) {
    const body = readFileSync(fileURLToPath(new URL(`./assets/${name}`, import.meta.url)), 'utf8');
    assets.set(name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
  return assets;
}

/**
 * The console's stylesheet, script and icon, served by the API process itself
 * (no CDN). Read once at start; revalidated by ETag so an upgrade shows at once.
 * Public: the sign-in page needs them, and they hold nothing secret.
 */
export function registerAssets(app: Hono): void {
  const assets = loadAssets();
  app.get(`${ASSETS_PATH}/:name`, (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.text('Not found', 404);
    c.header('ETag', asset.etag);
    c.header('Cache-Control', 'no-cache');
    c.header('X-Content-Type-Options', 'nosniff');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    return c.body(asset.body, 200, { 'Content-Type': asset.contentType });
  });
}

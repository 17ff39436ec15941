/** Static assets served by the Worker, with content-versioned URLs so they can be cached for a year. */
import { Hono } from 'hono';
import { APP_CSS } from './app-css';
import { APP_JS } from './app-js';
import { IMPORT_JS } from './import-js';
// uPlot (MIT, ~50 kB): the reports page's interactive chart, from npm, served here rather than from a CDN.
import UPLOT_CSS from 'uplot/dist/uPlot.min.css';
import UPLOT_JS from 'uplot/dist/uPlot.iife.min.js';

/** FNV-1a, enough to tell two versions of an asset apart. */
function version(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

const ASSETS = {
  'app.css': { body: APP_CSS, type: 'text/css; charset=utf-8', version: version(APP_CSS) },
  'app.js': { body: APP_JS, type: 'text/javascript; charset=utf-8', version: version(APP_JS) },
  'import.js': { body: IMPORT_JS, type: 'text/javascript; charset=utf-8', version: version(IMPORT_JS) },
  'uplot.css': { body: UPLOT_CSS, type: 'text/css; charset=utf-8', version: version(UPLOT_CSS) },
  'uplot.js': { body: UPLOT_JS, type: 'text/javascript; charset=utf-8', version: version(UPLOT_JS) },
} as const;

export const ASSET_PATHS = {
  css: `/assets/app.css?v=${ASSETS['app.css'].version}`,
  js: `/assets/app.js?v=${ASSETS['app.js'].version}`,
  importJs: `/assets/import.js?v=${ASSETS['import.js'].version}`,
  chartCss: `/assets/uplot.css?v=${ASSETS['uplot.css'].version}`,
  chartJs: `/assets/uplot.js?v=${ASSETS['uplot.js'].version}`,
};

export const assets = new Hono();

assets.get('/assets/:name', (c) => {
  const asset = ASSETS[c.req.param('name') as keyof typeof ASSETS];
  if (!asset) return c.text('Not found', 404);
  const etag = `"${asset.version}"`;
  const headers = {
    'Content-Type': asset.type,
    ETag: etag,
    // Versioned URLs never change; an unversioned request revalidates hourly.
    'Cache-Control': c.req.query('v') === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    'X-Content-Type-Options': 'nosniff',
  };
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);
  return c.body(asset.body, 200, headers);
});

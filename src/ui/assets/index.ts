/** Static assets served by the Worker, with content-versioned URLs so they can be cached for a year. */
import { Hono } from 'hono';
import { assetResponse, staticAsset } from '../../lib/static-assets';
import { APP_CSS } from './app-css';
import { APP_JS } from './app-js';
import { IMPORT_JS } from './import-js';
// uPlot (MIT, ~50 kB): the reports page's interactive chart, from npm, served here rather than from a CDN.
import UPLOT_CSS from 'uplot/dist/uPlot.min.css';
import UPLOT_JS from 'uplot/dist/uPlot.iife.min.js';

const ASSETS = {
  'app.css': staticAsset(APP_CSS, 'text/css; charset=utf-8'),
  'app.js': staticAsset(APP_JS, 'text/javascript; charset=utf-8'),
  'import.js': staticAsset(IMPORT_JS, 'text/javascript; charset=utf-8'),
  'uplot.css': staticAsset(UPLOT_CSS, 'text/css; charset=utf-8'),
  'uplot.js': staticAsset(UPLOT_JS, 'text/javascript; charset=utf-8'),
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
  const name = c.req.param('name');
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name as keyof typeof ASSETS] : undefined;
  if (!asset) return c.text('Not found', 404);
  return assetResponse(asset, c.req.query('v'), c.req.header('If-None-Match'));
});

/**
 * `/api/docs`: the API reference page, Swagger UI (swagger-ui-dist, Apache-2.0)
 * rendering /api/v1/openapi.json. The library is bundled into the Worker as
 * text (wrangler.toml [[rules]]) and served from here with a content-versioned
 * URL, so the page loads nothing from another origin and runs under a CSP
 * without inline scripts.
 */
import { Hono } from 'hono';
import SWAGGER_UI_JS from 'swagger-ui-dist/swagger-ui-bundle.js';
import SWAGGER_UI_CSS from 'swagger-ui-dist/swagger-ui.css';
import type { AppEnv } from '../../env';
import { assetResponse, staticAsset, type StaticAsset } from '../../lib/static-assets';

/** The page's own start-up script: no inline script, so the CSP needs no 'unsafe-inline' for scripts. */
const INIT_JS = `window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  validatorUrl: null,
  defaultModelsExpandDepth: 0,
});
`;

let assets: Record<string, StaticAsset> | null = null;
/** The page's assets, versioned on first use (hashing 2 MB at start-up would slow every cold start, redirects included). */
const docsAssets = (): Record<string, StaticAsset> =>
  (assets ??= {
    'swagger-ui.css': staticAsset(SWAGGER_UI_CSS, 'text/css; charset=utf-8'),
    'swagger-ui.js': staticAsset(SWAGGER_UI_JS, 'text/javascript; charset=utf-8'),
    'init.js': staticAsset(INIT_JS, 'text/javascript; charset=utf-8'),
  });

const assetUrl = (name: string): string => `/api/docs/${name}?v=${docsAssets()[name].version}`;

// Swagger UI sets element styles from script and its CSS carries data: SVG icons; everything else is this origin.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const page = (): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Touchpoint API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl('swagger-ui.css')}">
</head>
<body>
<main id="swagger-ui"><noscript>The reference needs JavaScript; the document itself is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript></main>
<script src="${assetUrl('swagger-ui.js')}"></script>
<script src="${assetUrl('init.js')}"></script>
</body>
</html>
`;

export const apiDocs = new Hono<AppEnv>();

apiDocs.get('/api/docs', (c) =>
  c.html(page(), 200, { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' }),
);

apiDocs.get('/api/docs/:name', (c) => {
  const name = c.req.param('name');
  const asset = Object.hasOwn(docsAssets(), name) ? docsAssets()[name] : undefined;
  if (!asset) return c.json({ error: { code: 'not_found', message: 'No such asset' } }, 404);
  return assetResponse(asset, c.req.query('v'), c.req.header('If-None-Match'));
});

/**
 * No input reaches a 500. Every route that takes a body is fuzzed: the
 * dashboard's and the customer's forms (taken from the app's route registry,
 * so a new form route cannot skip this) with malformed multipart, wrong content
 * types, huge fields, CR/LF, invalid UTF-8 and percent-encoding, missing and
 * valid CSRF tokens; the API's routes with bodies that are not what they expect.
 * Forms answer HTML or a redirect to a same-origin path; the API answers its
 * JSON envelope.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { safeLocalPath } from '../../src/lib/safe-path';
import { call, makeLink } from '../helpers';
import { csrfOf, signedIn, visit, type Browser } from '../support/dashboard';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every method + path with a body-taking handler, from the route registry (middleware rows are ALL). */
function bodyRoutes(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of createApp().routes) {
    if (WRITE_METHODS.has(route.method)) seen.set(`${route.method} ${route.path}`, { method: route.method, path: route.path });
  }
  return [...seen.values()];
}

const ROUTES = bodyRoutes();
/** The API, and the shop platforms' webhook receivers (signed, not signed in): they answer the JSON envelope. */
const isJsonRoute = (path: string) => path.startsWith('/api/') || path.startsWith('/hooks/');
const FORM_ROUTES = ROUTES.filter((route) => !isJsonRoute(route.path));
const API_ROUTES = ROUTES.filter((route) => isJsonRoute(route.path));

const bytes = (...parts: (string | number[])[]): Uint8Array => {
  const chunks = parts.map((part) => (typeof part === 'string' ? new TextEncoder().encode(part) : Uint8Array.from(part)));
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
};

interface Body {
  name: string;
  contentType?: string;
  body?: (csrf: string) => string | Uint8Array;
}

const URLENCODED = 'application/x-www-form-urlencoded';
const BOUNDARY = 'fuzzBoundary7MA4YWxkTrZu0gW';
const multipart = (fields: Record<string, string>, closing = true) =>
  Object.entries(fields)
    .map(([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('') + (closing ? `--${BOUNDARY}--\r\n` : '');
const hostile = (csrf: string) => ({
  _csrf: csrf,
  name: 'Sale\r\nSet-Cookie: x=1',
  key: 'tp_\r\n',
  next: '/\t/evil.example',
  back: '//evil.example',
  destination: 'https://shop.example/\r\nx',
  code: 'ABCD\u0000EF',
  count: '99999999999999999999',
  scopes: 'admin',
});

const FORM_BODIES: Body[] = [
  { name: 'no body' },
  { name: 'an empty form', contentType: URLENCODED, body: () => '' },
  { name: 'no CSRF token', contentType: URLENCODED, body: () => 'name=No+token&key=x' },
  { name: 'a wrong CSRF token', contentType: URLENCODED, body: () => `_csrf=${'f'.repeat(64)}&name=x` },
  { name: 'CR/LF and tabs in every field', contentType: URLENCODED, body: (csrf) => new URLSearchParams(hostile(csrf)).toString() },
  { name: 'invalid percent-encoding', contentType: URLENCODED, body: (csrf) => `_csrf=${csrf}&name=%E0%A4%A&next=%zz&back=%&%%%=%` },
  { name: 'invalid UTF-8', contentType: URLENCODED, body: (csrf) => bytes(`_csrf=${csrf}&name=`, [0xff, 0xfe, 0xc3, 0x28], '&next=/', [0xe2, 0x82]) },
  { name: 'a 1 MB field', contentType: URLENCODED, body: (csrf) => `_csrf=${csrf}&name=${'x'.repeat(1_000_000)}&key=${'k'.repeat(100_000)}` },
  { name: 'repeated fields', contentType: URLENCODED, body: (csrf) => `_csrf=${csrf}&_csrf=${'0'.repeat(64)}&name=a&name=b&next=/a&next=//evil.example` },
  { name: 'well-formed multipart', contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: (csrf) => multipart(hostile(csrf)) },
  {
    name: 'truncated multipart',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: (csrf) => multipart({ _csrf: csrf, name: 'x' }, false).slice(0, -5),
  },
  { name: 'multipart without a boundary', contentType: 'multipart/form-data', body: (csrf) => multipart({ _csrf: csrf }) },
  { name: 'multipart with an empty boundary', contentType: 'multipart/form-data; boundary=', body: () => '--\r\n\r\n--' },
  { name: 'multipart garbage', contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: () => bytes('\u0000\u0001garbage', [0xff, 0x00, 0x80]) },
  {
    name: 'a file where text is expected',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: (csrf) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="name"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile\r\n--${BOUNDARY}--\r\n`,
  },
  { name: 'JSON instead of a form', contentType: 'application/json', body: (csrf) => JSON.stringify({ _csrf: csrf, name: 'x' }) },
  { name: 'text/plain', contentType: 'text/plain', body: (csrf) => `_csrf=${csrf}&name=x` },
  { name: 'a nonsense content type', contentType: '\u0001;;;=', body: () => 'x' },
];

/** The route's path with real ids where it has parameters. */
const concrete = (path: string, ids: { campaign: string; link: string }) =>
  path
    .replace(':id/links/:linkId', `${ids.campaign}/links/${ids.link}`)
    .replace('/campaigns/:id', `/campaigns/${ids.campaign}`)
    .replace(/:[A-Za-z_]+/g, 'x_unknown');

let ipCounter = 0;

async function post(route: { method: string; path: string }, body: Body, csrf: string, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { 'CF-Connecting-IP': `192.0.2.${(ipCounter = (ipCounter % 250) + 1)}`, 'Accept-Language': 'de' };
  if (body.contentType !== undefined) headers['Content-Type'] = body.contentType;
  if (cookie) headers.Cookie = cookie;
  return call(route.method, route.path, { key: null, headers, rawBody: body.body?.(csrf) ?? undefined });
}

/** A form route's answer: below 500, and HTML or a redirect to a same-origin path. */
async function expectFormAnswer(response: Response, what: string): Promise<void> {
  expect(response.status, what).toBeLessThan(500);
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('Location') ?? '';
    expect(safeLocalPath(location, '(refused)'), what).toBe(location);
  } else {
    expect(response.headers.get('Content-Type') ?? '', what).toMatch(/^text\/html/);
  }
  await response.arrayBuffer();
}

const cookieOf = (browser: Browser) => [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

describe('form routes', () => {
  it('are found in the route registry', () => {
    const paths = FORM_ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(paths).toEqual(expect.arrayContaining(['POST /signin', 'POST /signout', 'POST /redeem', 'POST /campaigns', 'POST /settings/keys']));
    expect(paths.length).toBeGreaterThanOrEqual(13);
  });

  it.each(FORM_ROUTES)('$method $path never answers 500, signed out or in', async (template) => {
    const link = await makeLink();
    const route = { method: template.method, path: concrete(template.path, { campaign: link.campaign_id, link: link.id }) };
    for (const body of FORM_BODIES) {
      await expectFormAnswer(await post(route, body, ''), `${body.name}, no session`);
      // A fresh session per body: signing out or archiving must not spoil the next case.
      const browser = await signedIn();
      const csrf = csrfOf(await (await visit(browser, 'GET', '/settings/keys')).text());
      expect(csrf).not.toBe('');
      await expectFormAnswer(await post(route, body, csrf, cookieOf(browser)), `${body.name}, signed in`);
    }
  });

  it('answers a malformed multipart sign-in with 400 and the notice page', async () => {
    const page = await visit(await signedIn(), 'GET', '/signin');
    const response = await post({ method: 'POST', path: '/signin' }, FORM_BODIES.find((body) => body.name === 'multipart garbage')!, csrfOf(await page.text()));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Dieses Formular konnte nicht gelesen werden.');
  });
});

const API_BODIES: Body[] = [
  { name: 'no body', contentType: 'application/json' },
  { name: 'invalid JSON', contentType: 'application/json', body: () => '{"name": ' },
  { name: 'JSON null', contentType: 'application/json', body: () => 'null' },
  { name: 'a JSON array', contentType: 'application/json', body: () => '[1,2,3]' },
  { name: 'a JSON string with CR/LF', contentType: 'application/json', body: () => '"a\\r\\nb"' },
  { name: 'invalid UTF-8', contentType: 'application/json', body: () => bytes('{"name":"', [0xff, 0xfe], '"}') },
  { name: 'deep nesting', contentType: 'application/json', body: () => `${'['.repeat(5000)}${']'.repeat(5000)}` },
  { name: 'a 1 MB string', contentType: 'application/json', body: () => JSON.stringify({ name: 'x'.repeat(1_000_000), code: 'y'.repeat(1_000_000) }) },
  {
    name: 'hostile values',
    contentType: 'application/json',
    // biome-ignore lint/correctness/noPrecisionLoss: 1e309 is Infinity on purpose (JSON.stringify writes null)
    body: () => JSON.stringify({ ...hostile(''), campaign_id: 'cmp_\r\n', links: [{}], type: 'sale', value: 1e309 }),
  },
  { name: 'a form instead of JSON', contentType: URLENCODED, body: () => 'name=x' },
  { name: 'malformed multipart', contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: () => 'garbage' },
  { name: 'no content type', body: () => '{"name":"x"}' },
];

describe('API routes', () => {
  it.each(API_ROUTES)('$method $path answers malformed bodies with the JSON envelope, never 500', async (route) => {
    const path = route.path.replace(/:[A-Za-z_]+/g, 'x_unknown');
    for (const body of API_BODIES) {
      const headers: Record<string, string> = body.contentType ? { 'Content-Type': body.contentType } : {};
      const response = await call(route.method, path, { headers, rawBody: body.body?.('') });
      expect(response.status, body.name).toBeLessThan(500);
      if (response.status >= 400) {
        const payload = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
        expect(typeof payload.error?.code, body.name).toBe('string');
        expect(typeof payload.error?.message, body.name).toBe('string');
      } else {
        await response.arrayBuffer();
      }
    }
  });
});

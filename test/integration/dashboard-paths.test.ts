import { describe, expect, it } from 'vitest';
import { DASHBOARD_PATHS, dashboard } from '../../src/ui';
import { ADMIN, call, makeLink } from '../helpers';
import { newBrowser, signIn, visit } from '../support/dashboard';

const covers = (pattern: string, path: string) =>
  pattern.endsWith('/*') ? path === pattern.slice(0, -2) || path.startsWith(pattern.slice(0, -1)) : path === pattern;

describe('dashboard paths', () => {
  it('leaves the short-URL redirect alone: no dashboard headers on the 302', async () => {
    const link = await makeLink();
    const response = await call('GET', `/${link.slug}`, { key: null });
    expect(response.status).toBe(302);
    expect(response.headers.get('Referrer-Policy')).toBeNull();
    expect(response.headers.get('X-Frame-Options')).toBeNull();
    expect(response.headers.get('X-Content-Type-Options')).toBeNull();
  });

  it('leaves unknown paths and the API alone', async () => {
    const unknown = await call('GET', '/no/such/path', { key: null });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('X-Frame-Options')).toBeNull();
    const api = await call('GET', '/api/v1/campaigns');
    expect(api.headers.get('Referrer-Policy')).toBeNull();
  });

  it('still sends the CSP and frame, referrer and sniffing rules with every dashboard page', async () => {
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    for (const path of ['/signin', '/campaigns/nope', '/reports']) {
      const response = await visit(browser, 'GET', path);
      expect([path, response.headers.get('X-Frame-Options'), response.headers.get('Referrer-Policy')]).toEqual([path, 'DENY', 'same-origin']);
      expect([path, response.status, response.headers.get('Content-Security-Policy')]).toEqual([
        path,
        response.status,
        expect.stringMatching(/^default-src 'self'; script-src 'self'/),
      ]);
    }
  });

  it('covers every route of the dashboard with DASHBOARD_PATHS', () => {
    const paths = [...new Set(dashboard.routes.map((route) => route.path))].filter((path) => !path.startsWith('/assets/') && path !== '/*');
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) expect([path, DASHBOARD_PATHS.some((pattern) => covers(pattern, path))]).toEqual([path, true]);
  });
});

import { describe, expect, it } from 'vitest';
import { ADMIN, call, makeLink, DESKTOP_CHROME } from '../helpers';
import { newBrowser, signIn, visit } from '../support/dashboard';

describe('dashboard chart library', () => {
  it.each([
    ['uplot.js', 'text/javascript; charset=utf-8', 'uPlot'],
    ['uplot.css', 'text/css; charset=utf-8', '.uplot'],
  ])('serves %s from the Worker with its content type', async (name, type, marker) => {
    const response = await call('GET', `/assets/${name}`, { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(type);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await response.text()).toContain(marker);
  });

  it('loads the library on the reports page only, and gives each chart its data', async () => {
    const link = await makeLink({ utm_medium: 'print' });
    expect((await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME } })).status).toBe(302);
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    const today = new Date().toISOString().slice(0, 10);
    const reports = await (await visit(browser, 'GET', `/reports?from=${today}&to=${today}&campaign_id=${link.campaign_id}`)).text();
    const script = /<script src="(\/assets\/uplot\.js\?v=[0-9a-z]+)" defer=""><\/script>/.exec(reports)![1];
    expect((await call('GET', script, { key: null })).headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(reports.indexOf(script)).toBeLessThan(reports.indexOf('/assets/app.js'));
    const data = [...reports.matchAll(/data-chart="([^"]+)"/g)].map((m) => JSON.parse(m[1].replace(/&quot;/g, '"')));
    expect(data).toEqual([
      { days: [today], series: [{ name: 'offline', values: [1] }], dashed: false },
      { days: [today], series: [{ name: 'offline', values: [0] }], dashed: true },
    ]);
    const campaigns = await (await visit(browser, 'GET', '/')).text();
    expect(campaigns).not.toContain('uplot');
  });
});

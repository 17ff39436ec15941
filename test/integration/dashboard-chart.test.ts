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

  it('draws the reports page chart on the server as stacked bars, without the library', async () => {
    const link = await makeLink({ utm_medium: 'print' });
    expect((await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME } })).status).toBe(302);
    const browser = newBrowser();
    await signIn(browser, ADMIN);
    const today = new Date().toISOString().slice(0, 10);
    const reports = await (await visit(browser, 'GET', `/reports?from=${today}&to=${today}&campaign_id=${link.campaign_id}`)).text();
    expect(reports).not.toContain('uplot');
    expect(reports).toMatch(
      new RegExp(`<g class="day partial" data-day="${today}"><rect class="c0" x="[0-9.]+" y="14.0" width="40.0" height="216.0" data-series="offline">`),
    );
    const conversions = await (await visit(browser, 'GET', `/reports?from=${today}&to=${today}&campaign_id=${link.campaign_id}&metric=conversions`)).text();
    expect(conversions).not.toContain('<rect ');
    expect(conversions).toContain('<td class="num">0</td>');
  });
});

import { describe, expect, it } from 'vitest';
import { call, DESKTOP_CHROME, makeKey, makeLink } from '../helpers';
import { csrfOf, newBrowser, signedIn, signIn, visit, type Browser } from '../support/dashboard';

const page = async (browser: Browser, path = '/settings/currency') => (await visit(browser, 'GET', path)).text();
const post = async (browser: Browser, path: string, form: Record<string, string>) =>
  visit(browser, 'POST', path, { _csrf: csrfOf(await page(browser)), ...form });

const BOUNDARY = 'currencyUploadBoundary42';
async function upload(browser: Browser, text: string, csrf?: string): Promise<Response> {
  const token = csrf ?? csrfOf(await page(browser));
  const body =
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="rates.csv"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${BOUNDARY}--\r\n`;
  const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return call('POST', '/settings/currency/import', {
    key: null,
    headers: { Cookie: cookie, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
    rawBody: body,
  });
}
const rateRows = (html: string) => [...html.matchAll(/<tr data-rate="([A-Z]{3} [0-9-]{10})">.*?data-col="rate">([^<]+)</gs)].map((m) => `${m[1]} ${m[2]}`);

describe('/settings/currency', () => {
  it('is linked for admins and refused to other sessions', async () => {
    const admin = await signedIn();
    expect(await page(admin, '/reports')).toContain('<a href="/settings/keys">Settings</a>');
    expect(await page(admin, '/settings/keys')).toContain('<a href="/settings/currency">Currency</a>');
    const reader = newBrowser();
    await signIn(reader, await makeKey(['reports:read']));
    expect((await visit(reader, 'GET', '/settings/currency')).status).toBe(403);
    expect(await page(reader, '/reports')).not.toContain('href="/settings/currency"');
  });

  it('sets the reporting currency (capitals or not), and shows a wrong code next to its field', async () => {
    const browser = await signedIn();
    const saved = await post(browser, '/settings/currency', { reporting_currency: 'chf' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe('/settings/currency?done=currency');
    const html = await page(browser, '/settings/currency?done=currency');
    expect(html).toContain('Reporting currency saved.');
    expect(html).toContain('name="reporting_currency" type="text" value="CHF"');
    const wrong = await post(browser, '/settings/currency', { reporting_currency: 'XYZ' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('<span class="error" id="f-reporting_currency-error">is not an ISO 4217 currency code</span>');
    expect((await post(browser, '/settings/currency', { reporting_currency: 'EUR' })).status).toBe(303);
  });

  it('adds a rate (decimal comma too), refuses a wrong one, deletes one', async () => {
    const browser = await signedIn();
    const added = await post(browser, '/settings/currency/rates', { currency: 'dkk', day: '2021-01-01', rate: '0,134' });
    expect(added.headers.get('Location')).toBe('/settings/currency?saved=1');
    const html = await page(browser, '/settings/currency?saved=1');
    expect(html).toContain('Exchange rates saved: 1');
    expect(rateRows(html)).toContain('DKK 2021-01-01 0.134');
    const wrong = await post(browser, '/settings/currency/rates', { currency: 'DKK', day: '2021-02-30', rate: 'abc' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('<span class="error" id="f-rate-error">must be a number like 0.92</span>');
    const base = await post(browser, '/settings/currency/rates', { currency: 'EUR', day: '2021-02-01', rate: '1' });
    expect(base.status).toBe(400);
    expect(await base.text()).toContain('rates.0: currency: EUR is the reporting currency and needs no rate');
    const deleted = await post(browser, '/settings/currency/rates/delete', { currency: 'DKK', day: '2021-01-01' });
    expect(deleted.headers.get('Location')).toBe('/settings/currency?done=deleted');
    expect(rateRows(await page(browser))).not.toContain('DKK 2021-01-01 0.134');
    expect((await post(browser, '/settings/currency/rates/delete', { currency: 'DKK', day: '2021-01-01' })).status).toBe(404);
  });

  it('uploads a CSV file of rates: all lines, or none with the bad lines named', async () => {
    const browser = await signedIn();
    const good = await upload(browser, 'day,currency,rate\n2021-03-01,NOK,0.097\n2021-03-02,NOK,0.098\n');
    expect(good.status).toBe(303);
    expect(good.headers.get('Location')).toBe('/settings/currency?saved=2');
    const bad = await upload(browser, 'day,currency,rate\n2021-03-03,NOK,0.099\n2021-03-04,NOK,0\n');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<p class="notice" role="alert" id="import-error">line 3: rate: must be greater than 0</p>');
    expect(rateRows(await page(browser)).filter((row) => row.startsWith('NOK'))).toEqual(['NOK 2021-03-02 0.098', 'NOK 2021-03-01 0.097']);
    expect((await upload(browser, 'day,currency,rate\n2021-03-03,NOK,0.099\n', 'f'.repeat(64))).status).toBe(403);
  });

  it('works in German', async () => {
    const browser = await signedIn();
    await visit(browser, 'GET', '/settings/language/de?back=/');
    const html = await page(browser);
    expect(html).toContain('<h1>Berichtswährung und Wechselkurse</h1>');
    expect(html).toContain('CSV hochladen');
  });
});

describe('report tables', () => {
  it('show one row per channel, a totals row, and flag revenue without a rate', async () => {
    const today = new Date().toISOString().slice(0, 10);
    await makeLink({ utm_medium: 'email', slug: 'fx-page' });
    const click = await call('GET', '/fx-page', { key: null, headers: { 'User-Agent': DESKTOP_CHROME } });
    const clickId = new URL(click.headers.get('Location')!).searchParams.get('tp_click')!;
    const sale = (body: object) => call('POST', '/api/v1/conversions', { body: { type: 'sale', ...body } });
    await sale({ order_id: 'fx-page-1', click_id: clickId, value: 40, currency: 'EUR' });
    await sale({ order_id: 'fx-page-2', click_id: clickId, value: 12, currency: 'CHF' });
    const api = await (await call('GET', `/api/v1/reports/channels?from=${today}&to=${today}`)).json<any>();
    expect(api.rows.map((r: any) => r.channel)).toEqual(['email']);

    const browser = await signedIn();
    const html = await page(browser, `/reports?from=${today}&to=${today}`);
    const channels = html.slice(html.indexOf('id="channels"'), html.indexOf('id="by-channel"'));
    // One row (the EUR and the CHF sale together), flagged, and the totals row below it.
    expect(channels.match(/<tbody>.*<\/tbody>/s)![0].match(/<tr/g)).toHaveLength(1);
    expect(channels).toContain('<tr class="unconverted"><td data-col="channel">Email</td>');
    expect(channels).toContain(
      '<td class="num" data-col="revenue">€40.00<span class="unconverted" data-currency="CHF">+ CHF\u00a012.00 not converted (no rate)</span></td>',
    );
    expect(channels).toContain('<tfoot><tr class="totals"><th scope="row" data-col="channel">Total</th>');
    expect(channels).toContain(`<td class="num" data-col="visits">${api.totals.visits}</td>`);
    expect(channels).toContain('<p class="notice" data-missing-rates="CHF">');
    expect(channels).toContain('<a href="/settings/currency">Add exchange rates</a>');

    const campaigns = await page(browser, '/campaigns');
    expect(campaigns).toContain('€40.00 + CHF\u00a012.00 not converted (no rate)');
  });
});

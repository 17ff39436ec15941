import { describe, expect, it } from 'vitest';
import { call, makeCampaign, makeKey } from '../helpers';
import { csrfOf, newBrowser, signedIn, signIn, visit, type Browser } from '../support/dashboard';

const page = async (browser: Browser, path = '/reports/spend') => (await visit(browser, 'GET', path)).text();
const post = async (browser: Browser, path: string, form: Record<string, string>) =>
  visit(browser, 'POST', path, { _csrf: csrfOf(await page(browser)), ...form });
const spendRows = (html: string) =>
  [...html.matchAll(/<tr data-spend="([^"]+)">.*?data-col="target">([^<]+)<.*?data-col="amount">([^<]+)</gs)].map((m) => `${m[1]} | ${m[2]} | ${m[3]}`);

const BOUNDARY = 'spendUploadBoundary42';
async function upload(browser: Browser, text: string): Promise<Response> {
  const token = csrfOf(await page(browser));
  const body =
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="spend.csv"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${BOUNDARY}--\r\n`;
  const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return call('POST', '/reports/spend/import', {
    key: null,
    headers: { Cookie: cookie, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
    rawBody: body,
  });
}

describe('/reports/spend', () => {
  it('adds a day of spend for a campaign (decimal comma), replaces it, shows errors at their fields, and deletes it', async () => {
    const campaign = await makeCampaign({ name: 'Poster 2033' });
    const browser = await signedIn();
    expect(await page(browser, '/reports')).toContain('<a href="/reports/spend" id="spend-link">Enter spend</a>');
    const added = await post(browser, '/reports/spend', { day: '2033-04-02', target: `campaign:${campaign.id}`, amount: '120,50', currency: 'eur' });
    expect(added.status).toBe(303);
    expect(added.headers.get('Location')).toBe('/reports/spend?saved=1&from=2033-04-02&to=2033-04-02');
    await post(browser, '/reports/spend', { day: '2033-04-02', target: `campaign:${campaign.id}`, amount: '99', currency: 'USD' });
    const html = await page(browser, '/reports/spend?saved=1&from=2033-04-01&to=2033-04-30');
    expect(html).toContain('Spend saved: 1');
    expect(spendRows(html)).toEqual([`2033-04-02 campaign:${campaign.id} | Poster 2033 | US$99.00`]);

    const wrong = await post(browser, '/reports/spend', { day: '2033-04-31', target: 'channel:paid', amount: '-3', currency: 'EUR' });
    expect(wrong.status).toBe(400);
    const text = await wrong.text();
    expect(text).toContain('<span class="error" id="f-day-error">is not a calendar date</span>');
    expect(text).toContain('<span class="error" id="f-amount-error">must not be negative</span>');
    const unknown = await post(browser, '/reports/spend', { day: '2033-04-03', target: 'campaign:cmp_GONE', amount: '1', currency: 'EUR' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('campaign_id: no campaign cmp_GONE');

    const id = /name="id" value="(spd_[0-9A-Z]{26})"/.exec(html)![1];
    const deleted = await post(browser, '/reports/spend/delete', { id });
    expect(deleted.headers.get('Location')).toBe('/reports/spend?done=deleted');
    expect(spendRows(await page(browser, '/reports/spend?from=2033-04-01&to=2033-04-30'))).toEqual([]);
  });

  it('uploads a CSV file, all lines or none', async () => {
    const browser = await signedIn();
    const bad = await upload(browser, 'day,channel,amount,currency\n2033-05-01,paid,5,EUR\n2033-05-02,paid,x,EUR\n');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('line 3: amount: must be a number like 19.99');
    const good = await upload(browser, 'day,channel,amount,currency\n2033-05-01,paid,5,EUR\n2033-05-03,email,7.5,EUR\n');
    expect(good.headers.get('Location')).toBe('/reports/spend?saved=2&from=2033-05-01&to=2033-05-03');
    expect(spendRows(await page(browser, '/reports/spend?from=2033-05-01&to=2033-05-31'))).toEqual([
      '2033-05-01 channel:paid | Paid | €5.00',
      '2033-05-03 channel:email | Email | €7.50',
    ]);
  });

  it('shows the entries to a reader without the forms, and refuses a reader who posts', async () => {
    const reader = newBrowser();
    await signIn(reader, await makeKey(['reports:read']));
    const html = await page(reader);
    expect(html).toContain('<h1>Spend</h1>');
    expect(html).not.toContain('id="spend-form"');
    expect(
      (await visit(reader, 'POST', '/reports/spend', { _csrf: csrfOf(html), day: '2033-06-01', target: 'channel:paid', amount: '1', currency: 'EUR' })).status,
    ).toBe(403);
  });
});

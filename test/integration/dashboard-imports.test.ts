/**
 * The import page: the whole-file form (no script) renders a result per row, failed first; the import API mounted
 * for the session takes CSV parts with the CSRF token in a header, and nothing without it.
 */
import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey } from '../helpers';
import { csrfOf, signedIn, visit, type Browser } from '../support/dashboard';

const cookieOf = (browser: Browser) => [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** Posts a multipart form with a file, as the page's form does without its script. */
async function postFile(browser: Browser, csrf: string, kind: string, csv: string | Uint8Array): Promise<Response> {
  const form = new FormData();
  form.set('_csrf', csrf);
  form.set('kind', kind);
  form.set('file', new File([csv], 'import.csv', { type: 'text/csv' }));
  const request = new Request('https://tp.test/imports', { method: 'POST', body: form });
  return call('POST', '/imports', {
    key: null,
    headers: { Cookie: cookieOf(browser), 'Content-Type': request.headers.get('Content-Type')! },
    rawBody: new Uint8Array(await request.arrayBuffer()),
  });
}

/** Posts CSV to the session's import API, as the page's script does. */
const postPart = (browser: Browser, path: string, csv: string, headers: Record<string, string>) =>
  call('POST', path, { key: null, headers: { Cookie: cookieOf(browser), 'Content-Type': 'text/csv', ...headers }, rawBody: csv });

describe('the import page', () => {
  it('offers the imports the session may run, in the navigation too', async () => {
    const admin = await visit(await signedIn(), 'GET', '/imports');
    expect(admin.status).toBe(200);
    const html = await admin.text();
    expect(html).toContain('<a href="/imports" aria-current="page">Import</a>');
    expect(html).toContain('value="links"');
    expect(html).toContain('value="conversions"');
    const linksOnly = await visit(await signedIn(await makeKey(['links:write'])), 'GET', '/imports');
    const text = await linksOnly.text();
    expect(text).toContain('value="links"');
    expect(text).not.toContain('value="conversions"');
    const reader = await visit(await signedIn(await makeKey(['reports:read'])), 'GET', '/imports');
    expect(reader.status).toBe(403);
  });

  it('imports a whole file without the script and lists failed rows first', async () => {
    const campaign = await makeCampaign({ name: 'Dashboard Import' });
    const browser = await signedIn();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/imports')).text());
    const csv = `campaign,destination\n${campaign.id},https://shop.example/ok\n${campaign.id},ftp://shop.example/no\n`;
    const response = await postFile(browser, csrf, 'links', csv);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Done — rows: 2, created: 1, duplicates: 0, failed: 1.');
    const rows = [...html.matchAll(/<tr data-status="(\w+)">/g)].map((match) => match[1]);
    expect(rows).toEqual(['failed', 'created']);

    const refused = await postFile(browser, csrf, 'links', 'campaign,colour\n');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Unknown column &quot;colour&quot;');
  });

  it('refuses a file the API would refuse too: not UTF-8, or over 5 MiB — nothing written', async () => {
    const campaign = await makeCampaign({ name: 'Dashboard Bytes' });
    const browser = await signedIn();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/imports')).text());
    const encoder = new TextEncoder();
    // Latin-1 "Ü" (0xDC) in a utm_source: the API refuses such a file, so the form must not store "\uFFFD".
    const latin1 = new Uint8Array([
      ...encoder.encode(`campaign,destination,utm_source\n${campaign.id},https://shop.example/bytes,`),
      0xdc,
      ...encoder.encode('ber\n'),
    ]);
    const notUtf8 = await postFile(browser, csrf, 'links', latin1);
    expect(notUtf8.status).toBe(400);
    expect(await notUtf8.text()).toContain('The body is not UTF-8 text');

    const big = `campaign,destination,utm_content\n${campaign.id},https://shop.example/big,${'x'.repeat(5 * 1024 * 1024)}\n`;
    const tooLarge = await postFile(browser, csrf, 'links', big);
    expect(tooLarge.status).toBe(400);
    expect(await tooLarge.text()).toContain('The body is larger than 5242880 bytes; split the file');
    const links = await call('GET', `/api/v1/links?campaign_id=${campaign.id}`);
    expect((await json(links)).data).toEqual([]);
  });

  it('takes CSV parts for the session with the CSRF token in a header, and refuses them without it', async () => {
    const campaign = await makeCampaign({ name: 'Dashboard Parts' });
    const browser = await signedIn();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/imports')).text());
    const csv = `campaign,destination\n${campaign.id},https://shop.example/part\n`;

    const ok = await postPart(browser, '/imports/data/links', csv, { 'X-CSRF-Token': csrf });
    expect(ok.status).toBe(200);
    expect((await json(ok)).counts).toEqual({ rows: 1, created: 1, duplicate: 0, failed: 0 });

    const noToken = await postPart(browser, '/imports/data/links', csv, {});
    expect(noToken.status).toBe(403);
    expect(noToken.headers.get('Content-Type')).toMatch(/^text\/html/);
    const signedOut = await call('POST', '/imports/data/links', { key: null, headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': csrf }, rawBody: csv });
    expect([signedOut.status, signedOut.headers.get('Location')]).toEqual([302, '/signin']);

    // The API's own answers: the envelope for a file-level refusal, and the session's scopes checked by the route's guard.
    const refused = await postPart(browser, '/imports/data/links', 'campaign\n', { 'X-CSRF-Token': csrf });
    expect([refused.status, await json(refused)]).toEqual([400, { error: { code: 'validation_error', message: 'Missing required column destination' } }]);
    const linksOnly = await signedIn(await makeKey(['links:write']));
    const token = csrfOf(await (await visit(linksOnly, 'GET', '/imports')).text());
    const forbidden = await postPart(linksOnly, '/imports/data/conversions', 'order_id,occurred_at\n', { 'X-CSRF-Token': token });
    expect([forbidden.status, (await json(forbidden)).error.code]).toEqual([403, 'forbidden']);
  });
});

import { describe, expect, it } from 'vitest';
import { formatCode } from '../../src/domain/codes';
import { call } from '../helpers';
import { mintCodes } from '../support/codes';

const DE = { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.5' };
const EN = { 'Accept-Language': 'en-GB,en;q=0.9' };
let ip = 0;

const submit = (code: string, headers: Record<string, string>) =>
  call('POST', '/redeem', {
    key: null,
    rawBody: new URLSearchParams({ code }).toString(),
    headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': `192.0.2.${++ip}` },
  });

describe('the /redeem page', () => {
  it('shows the form in German, prefilled from ?c=, without scripts', async () => {
    const response = await call('GET', '/redeem?c=ABCD-EFGH', { key: null, headers: DE });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Language')).toBe('de');
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<h1>Code eingeben</h1>');
    expect(html).toContain('<form method="post" action="/redeem">');
    expect(html).toContain('value="ABCD-EFGH"');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).not.toContain('<script');
  });

  it('shows the form in English by default and escapes the prefill', async () => {
    const html = await (await call('GET', '/redeem?c="><b>x', { key: null })).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Enter your code</h1>');
    expect(html).toContain('value="&quot;&gt;&lt;b&gt;x"');
  });

  it('accepts a code in German with the reward, then says it was used', async () => {
    const { codes } = await mintCodes({ count: 1, reward: 'Ein Gratis-Kaffee' });
    const accepted = await submit(formatCode(codes[0]).toLowerCase(), DE);
    expect(accepted.status).toBe(200);
    const html = await accepted.text();
    expect(html).toContain('<h1>Vielen Dank!</h1>');
    expect(html).toContain('Ihr Code wurde angenommen.');
    expect(html).toContain('<strong>Ihre Prämie:</strong> Ein Gratis-Kaffee');
    expect(accepted.headers.get('Set-Cookie')).toMatch(/^tp_vid=v_/);
    const used = await submit(codes[0], DE);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain('<p class="notice" role="alert">Dieser Code wurde bereits eingelöst.</p>');
  });

  it('explains refusals in English and keeps the typed code in the form', async () => {
    const { codes } = await mintCodes({ count: 1 });
    const typo = `${codes[0].slice(0, -1)}${codes[0].endsWith('A') ? 'B' : 'A'}`;
    const invalid = await submit(typo, EN);
    expect(invalid.status).toBe(400);
    const html = await invalid.text();
    expect(html).toContain('This code does not look right. Please check it for typos and try again.');
    expect(html).toContain(`value="${typo}"`);
    await submit(codes[0], EN);
    expect(await (await submit(codes[0], EN)).text()).toContain('This code has already been used.');
  });

  it('answers an empty submission with the form', async () => {
    const response = await submit('  ', EN);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<h1>Enter your code</h1>');
  });
});

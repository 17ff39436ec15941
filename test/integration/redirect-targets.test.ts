/** Every Location built from input is a same-origin path (or the fallback): `back`, `next`, ids in paths. */
import { describe, expect, it } from 'vitest';
import { ADMIN, call, makeLink } from '../helpers';
import { csrfOf, newBrowser, signedIn, visit } from '../support/dashboard';

const HOSTILE = [
  '/%09/evil.example',
  '/%0a/evil.example',
  '/%0d%0aSet-Cookie:%20x=1',
  '//evil.example',
  '/%5Cevil.example',
  '%5C%5Cevil.example',
  '/.//evil.example',
  'https://evil.example',
  '/%20/evil.example',
  '/%E2%80%A8/evil.example',
];

describe('the language switch', () => {
  it.each(HOSTILE)('answers back=%s with 303 to /', async (back) => {
    const response = await call('GET', `/settings/language/en?back=${back}`, { key: null });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/');
  });

  it('returns to a same-origin path with its query', async () => {
    const response = await call('GET', `/settings/language/de?back=${encodeURIComponent('/reports?from=2026-01-01&model=linear')}`, { key: null });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/reports?from=2026-01-01&model=linear');
  });
});

describe('sign-in', () => {
  it.each(HOSTILE)('keeps next=%s out of the form and of the redirect', async (next) => {
    const browser = newBrowser();
    const page = await visit(browser, 'GET', `/signin?next=${next}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<input type="hidden" name="next" value="/"/>');
    const response = await visit(browser, 'POST', '/signin', { _csrf: csrfOf(html), key: ADMIN, next: decodeURIComponent(next) });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/');
  });

  it('returns to the page that asked for a session', async () => {
    const browser = newBrowser();
    const asked = await visit(browser, 'GET', '/reports?model=linear');
    expect(asked.headers.get('Location')).toBe('/signin?next=%2Freports');
    const page = await visit(browser, 'GET', '/signin?next=%2Freports%3Fmodel%3Dlinear');
    const response = await visit(browser, 'POST', '/signin', { _csrf: csrfOf(await page.text()), key: ADMIN, next: '/reports?model=linear' });
    expect(response.headers.get('Location')).toBe('/reports?model=linear');
  });
});

describe('dashboard form redirects', () => {
  it('answer a path id with CR/LF or slashes with the 404 page, not a Location', async () => {
    const browser = await signedIn();
    const csrf = csrfOf(await (await visit(browser, 'GET', '/')).text());
    for (const id of ['%0d%0aSet-Cookie:%20x=1', '%2F%2Fevil.example', '%09']) {
      const response = await visit(browser, 'POST', `/campaigns/${id}/archive`, { _csrf: csrf });
      expect([response.status, response.headers.get('Location'), response.headers.get('Content-Type')], id).toEqual([404, null, 'text/html; charset=UTF-8']);
    }
  });
});

describe('short URLs forwarding their query', () => {
  it('keep the destination origin whatever the forwarded query holds', async () => {
    const link = await makeLink({ forward_query: true });
    const response = await call('GET', `/${link.slug}?x=%0d%0aSet-Cookie:%20a=1&@evil.example=1&%2F%2Fevil.example=%5C`, { key: null });
    expect(response.status).toBe(302);
    const location = response.headers.get('Location')!;
    const clickId = new URL(location).searchParams.get('tp_click');
    expect(location).toBe(
      `https://shop.example/spring?utm_campaign=spring-sale&x=%0D%0ASet-Cookie%3A%20a%3D1&%40evil.example=1&%2F%2Fevil.example=%5C&tp_click=${clickId}`,
    );
    expect(new URL(location).origin).toBe('https://shop.example');
  });
});

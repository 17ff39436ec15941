/** App links: a branded domain's well-known files, byte for byte, from the settings PUT through the API. */
import { describe, expect, it } from 'vitest';
import { call, json } from '../helpers';

const FINGERPRINT = '14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5';

const addDomain = async (hostname: string) => json(await call('POST', '/api/v1/domains', { body: { hostname } }));
const fetchFile = (base: string, path: string) => call('GET', path, { key: null, base });

describe('PUT /api/v1/domains/:id/app-links', () => {
  it('serves both files byte-exact as application/json, without a redirect', async () => {
    const domain = await addDomain('app.brand.test');
    const response = await call('PUT', `/api/v1/domains/${domain.id}/app-links`, {
      body: {
        apple: { app_ids: ['ABCDE12345.com.brand.app'], paths: ['/offers/*', 'NOT /offers/internal/*'] },
        android: { package_name: 'com.brand.app', sha256_cert_fingerprints: [FINGERPRINT.toLowerCase()] },
      },
    });
    expect(response.status).toBe(200);
    expect((await json(response)).app_links).toEqual({
      apple: { app_ids: ['ABCDE12345.com.brand.app'], paths: ['/offers/*', 'NOT /offers/internal/*'] },
      android: { package_name: 'com.brand.app', sha256_cert_fingerprints: [FINGERPRINT] },
    });

    const aasa = await fetchFile('https://app.brand.test', '/.well-known/apple-app-site-association');
    expect(aasa.status).toBe(200);
    expect(aasa.headers.get('Content-Type')).toBe('application/json');
    expect(aasa.headers.get('Location')).toBeNull();
    expect(aasa.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(await aasa.text()).toBe(
      '{"applinks":{"details":[{"appIDs":["ABCDE12345.com.brand.app"],"components":[{"/":"/offers/*"},{"/":"/offers/internal/*","exclude":true}]}]}}',
    );

    const assetlinks = await fetchFile('https://app.brand.test', '/.well-known/assetlinks.json');
    expect(assetlinks.status).toBe(200);
    expect(assetlinks.headers.get('Content-Type')).toBe('application/json');
    expect(new Uint8Array(await assetlinks.arrayBuffer())).toEqual(
      new TextEncoder().encode(
        `[{"relation":["delegate_permission/common.handle_all_urls"],"target":{"namespace":"android_app","package_name":"com.brand.app","sha256_cert_fingerprints":["${FINGERPRINT}"]}}]`,
      ),
    );
  });

  it('defaults the iOS paths to every path, and drops a platform set to null', async () => {
    const domain = await addDomain('ios.brand.test');
    await call('PUT', `/api/v1/domains/${domain.id}/app-links`, { body: { apple: { app_ids: ['ABCDE12345.com.brand.app'] } } });
    expect(await (await fetchFile('https://ios.brand.test', '/.well-known/apple-app-site-association')).text()).toBe(
      '{"applinks":{"details":[{"appIDs":["ABCDE12345.com.brand.app"],"components":[{"/":"*"}]}]}}',
    );
    const none = await fetchFile('https://ios.brand.test', '/.well-known/assetlinks.json');
    expect(none.status).toBe(404);
    expect(await json(none)).toEqual({ error: { code: 'not_found', message: 'No Android app is set for this host (PUT /api/v1/domains/{id}/app-links)' } });

    await call('PUT', `/api/v1/domains/${domain.id}/app-links`, { body: { apple: null } });
    expect((await fetchFile('https://ios.brand.test', '/.well-known/apple-app-site-association')).status).toBe(404);
  });

  it('serves no app-link files on the own host', async () => {
    const response = await fetchFile('https://tp.test', '/.well-known/apple-app-site-association');
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'No iOS app is set for this host (PUT /api/v1/domains/{id}/app-links)' } });
  });

  it('answers 404 on an unknown host once PUBLIC_ORIGIN names the own host', async () => {
    const response = await call('GET', '/.well-known/assetlinks.json', { key: null, base: 'https://other.example', env: { PUBLIC_ORIGIN: 'https://tp.test' } });
    expect(response.status).toBe(404);
  });

  it.each([
    [{ apple: { app_ids: ['com.brand.app'] } }, 'apple.app_ids.0: must be TEAMID.bundle.id: a 10-character team id of A-Z and 0-9, a dot, the bundle id'],
    [{ apple: { app_ids: [] } }, 'apple.app_ids: Too small: expected array to have >=1 items'],
    [
      { apple: { app_ids: ['ABCDE12345.com.brand.app'], paths: ['offers'] } },
      'apple.paths.0: must start with /, * or ? (or "NOT " and one of them), printable ASCII without spaces, at most 256 characters',
    ],
    [
      { android: { package_name: 'brand', sha256_cert_fingerprints: [FINGERPRINT] } },
      'android.package_name: must be an Android package name such as com.brand.app',
    ],
    [
      { android: { package_name: 'com.brand.app', sha256_cert_fingerprints: ['14:6D'] } },
      'android.sha256_cert_fingerprints.0: must be a SHA-256 fingerprint: 32 bytes as hex pairs joined by colons (14:6D:E9:…)',
    ],
    [{ windows: {} }, 'unknown field: windows'],
  ])('refuses %j with 400, changing nothing', async (body, message) => {
    const domain = await addDomain(`bad-${Math.random().toString(36).slice(2, 8)}.brand.test`);
    const response = await call('PUT', `/api/v1/domains/${domain.id}/app-links`, { body });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
    expect((await json(await call('GET', `/api/v1/domains/${domain.id}`))).app_links).toEqual({ apple: null, android: null });
  });

  it('answers 404 for an unknown domain', async () => {
    const response = await call('PUT', '/api/v1/domains/dom_nope/app-links', { body: { apple: null } });
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Domain not found' } });
  });
});

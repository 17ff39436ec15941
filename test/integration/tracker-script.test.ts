import { describe, expect, it } from 'vitest';
import { call } from '../helpers';

describe('GET /t.js', () => {
  it('serves the landing-site script as cacheable JavaScript without a key', async () => {
    const response = await call('GET', '/t.js', { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=3600, stale-while-revalidate=86400');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const script = await response.text();
    expect(script).toContain('w.touchpoint = { clickId: clickId, fillInputs: fillInputs };');
    expect(script).toContain("var KEY = 'tp_click', MAX_AGE = 2592000,");
    expect(script.length).toBeLessThan(2500);
  });

  it('keeps the click id for the configured lookback', async () => {
    const script = await (await call('GET', '/t.js', { key: null, env: { ATTRIBUTION_LOOKBACK_DAYS: '7' } })).text();
    expect(script).toContain('MAX_AGE = 604800,');
  });
});

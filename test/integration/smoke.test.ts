import { describe, expect, it } from 'vitest';
import { call, json, makeLink } from '../helpers';

describe('smoke', () => {
  it('answers healthz', async () => {
    const response = await call('GET', '/healthz', { key: null });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'ok' });
  });

  it('creates a link and redirects', async () => {
    const link = await makeLink({ utm_source: 'newsletter', utm_medium: 'email' });
    const response = await call('GET', `/${link.slug}`, { key: null });
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toMatch(
      /^https:\/\/shop.example\/spring\?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale&tp_click=tpc_/,
    );
  });
});

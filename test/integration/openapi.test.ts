import { describe, expect, it } from 'vitest';
import { call, json } from '../helpers';
import { mountedRoutes } from '../support/route-registry';

describe('GET /api/v1/openapi.json', () => {
  it('documents every route from the same schemas the routes validate with', async () => {
    const response = await call('GET', '/api/v1/openapi.json', { key: null });
    expect(response.status).toBe(200);
    const doc = await json(response);
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries<any>(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    const mounted = mountedRoutes().filter((route) => route.split(' ')[1].startsWith('/api/v1/') && route !== 'GET /api/v1/openapi.json');
    expect(documented.sort()).toEqual(mounted);
    expect(doc.paths['/api/v1/links'].post.security).toEqual([{ bearer: ['links:write'] }]);
    expect(doc.components.schemas.LinkInput.required).toEqual(['campaign_id', 'destination']);
    expect(doc.components.schemas.LinkInput.properties.kind.enum).toEqual(['link', 'qr', 'email', 'referral']);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });
});

import { describe, expect, it } from 'vitest';
import { call, json } from '../helpers';

describe('GET /api/v1/openapi.json', () => {
  it('documents every route from the same schemas the routes validate with', async () => {
    const response = await call('GET', '/api/v1/openapi.json', { key: null });
    expect(response.status).toBe(200);
    const doc = await json(response);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/campaigns',
      '/api/v1/campaigns/{id}',
      '/api/v1/campaigns/{id}/archive',
      '/api/v1/code-batches',
      '/api/v1/code-batches/{id}',
      '/api/v1/code-batches/{id}/codes.csv',
      '/api/v1/codes/redeem',
      '/api/v1/keys',
      '/api/v1/keys/{id}',
      '/api/v1/links',
      '/api/v1/links/bulk',
      '/api/v1/links/{id}',
      '/api/v1/links/{id}/archive',
      '/api/v1/maintenance/flush',
      '/api/v1/maintenance/reclassify',
      '/api/v1/promo-codes',
      '/api/v1/promo-codes/redeem',
      '/api/v1/promo-codes/validate',
      '/api/v1/promo-codes/{id}',
      '/api/v1/promo-codes/{id}/codes.csv',
      '/api/v1/reports/codes',
    ]));
    expect(doc.components.schemas.LinkInput.required).toEqual(['campaign_id', 'destination']);
    expect(doc.components.schemas.LinkInput.properties.kind.enum).toEqual(['link', 'qr', 'email', 'referral']);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });
});

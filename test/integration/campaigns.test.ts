import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeLink } from '../helpers';

const NOW = Date.parse('2026-03-01T09:30:00Z');

describe('/api/v1/campaigns', () => {
  it('creates a campaign with utm_campaign derived from the name', async () => {
    const response = await call('POST', '/api/v1/campaigns', {
      body: { name: 'Sommer-Aktion Köln', landing_url: 'https://shop.example/sommer', starts_at: '2026-06-01T00:00:00+02:00' },
      now: () => NOW,
    });
    expect(response.status).toBe(201);
    const campaign = await json(response);
    expect(campaign).toEqual({
      id: campaign.id,
      name: 'Sommer-Aktion Köln',
      utm_campaign: 'sommer-aktion-koln',
      landing_url: 'https://shop.example/sommer',
      referral_reward: null,
      description: null,
      starts_at: '2026-05-31T22:00:00.000Z',
      ends_at: null,
      status: 'active',
      created_at: '2026-03-01T09:30:00.000Z',
      updated_at: '2026-03-01T09:30:00.000Z',
    });
    expect(campaign.id).toMatch(/^cmp_[0-9A-Z]{26}$/);
    expect(await json(await call('GET', `/api/v1/campaigns/${campaign.id}`))).toEqual(campaign);
  });

  it('keeps an explicit utm_campaign', async () => {
    expect((await makeCampaign({ name: 'X', utm_campaign: 'q3-push' })).utm_campaign).toBe('q3-push');
  });

  it('refuses an end before the start and a bad landing URL', async () => {
    const window = await call('POST', '/api/v1/campaigns', { body: { name: 'X', starts_at: '2026-06-02T00:00:00Z', ends_at: '2026-06-01T00:00:00Z' } });
    expect(window.status).toBe(400);
    expect(await json(window)).toEqual({ error: { code: 'validation_error', message: 'ends_at: must not be before starts_at' } });
    const landing = await call('POST', '/api/v1/campaigns', { body: { name: 'X', landing_url: 'data:text/html,x' } });
    expect(await json(landing)).toEqual({ error: { code: 'validation_error', message: 'landing_url: must be an http or https URL' } });
  });

  it('pages through campaigns newest first with a cursor', async () => {
    const created = [];
    // Ids sort by creation time; a clock far ahead puts these three first.
    const later = Date.parse('2099-01-01T00:00:00Z');
    for (let i = 0; i < 3; i++) created.push(await json(await call('POST', '/api/v1/campaigns', { body: { name: `Page ${i}` }, now: () => later + i })));
    const first = await json(await call('GET', '/api/v1/campaigns?limit=2'));
    expect(first.data.map((c: any) => c.name)).toEqual(['Page 2', 'Page 1']);
    expect(first.next_cursor).toBe(created[1].id);
    const second = await json(await call('GET', `/api/v1/campaigns?limit=2&cursor=${first.next_cursor}`));
    expect(second.data[0].name).toBe('Page 0');
  });

  it('updates fields and leaves the rest', async () => {
    const campaign = await makeCampaign({ name: 'Before', description: 'keep me' });
    const response = await call('PATCH', `/api/v1/campaigns/${campaign.id}`, { body: { name: 'After', ends_at: null } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ name: 'After', description: 'keep me', utm_campaign: 'before', ends_at: null });
  });

  it('archives a campaign, which sends its links to 410', async () => {
    const link = await makeLink();
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(302);
    const archived = await call('POST', `/api/v1/campaigns/${link.campaign_id}/archive`);
    expect(archived.status).toBe(200);
    expect((await json(archived)).status).toBe('archived');
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(410);
    const listed = await json(await call('GET', '/api/v1/campaigns?status=archived&limit=200'));
    expect(listed.data.some((c: any) => c.id === link.campaign_id)).toBe(true);
  });

  it('restores an archived campaign: its links redirect again, a link archived on its own stays archived', async () => {
    const link = await makeLink();
    const own = await makeLink({ campaign_id: link.campaign_id, destination: 'https://shop.example/own' });
    await call('POST', `/api/v1/links/${own.id}/archive`);
    await call('POST', `/api/v1/campaigns/${link.campaign_id}/archive`);
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(410);
    const restored = await call('POST', `/api/v1/campaigns/${link.campaign_id}/restore`);
    expect(restored.status).toBe(200);
    expect((await json(restored)).status).toBe('active');
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(302);
    expect((await call('GET', `/${own.slug}`, { key: null })).status).toBe(410);
    expect((await call('POST', '/api/v1/campaigns/cmp_nope/restore')).status).toBe(404);
  });

  it('answers 404 for unknown campaigns', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/campaigns/cmp_nope', undefined],
      ['PATCH', '/api/v1/campaigns/cmp_nope', { name: 'x' }],
      ['POST', '/api/v1/campaigns/cmp_nope/archive', undefined],
    ] as const) {
      const response = await call(method, path, { body });
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Campaign not found' } });
    }
  });
});

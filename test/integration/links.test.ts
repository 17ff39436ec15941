import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BASE, call, json, makeCampaign, makeLink } from '../helpers';

describe('POST /api/v1/links', () => {
  it('creates a link with short, QR and tracked URLs', async () => {
    const campaign = await makeCampaign({ name: 'Herbst 2026' });
    const response = await call('POST', '/api/v1/links', {
      body: {
        campaign_id: campaign.id,
        destination: 'https://shop.example/herbst?ref=a#top',
        slug: 'herbst-flyer',
        utm_source: 'flyer',
        utm_medium: 'print',
        label: 'Flyer A5',
      },
    });
    expect(response.status).toBe(201);
    const link = await json(response);
    expect(link).toMatchObject({
      campaign_id: campaign.id,
      slug: 'herbst-flyer',
      short_url: `${BASE}/herbst-flyer`,
      qr_url: `${BASE}/api/v1/links/${link.id}/qr`,
      destination: 'https://shop.example/herbst?ref=a#top',
      tracked_url: 'https://shop.example/herbst?ref=a&utm_source=flyer&utm_medium=print&utm_campaign=herbst-2026#top',
      kind: 'link',
      channel: 'offline',
      label: 'Flyer A5',
      forward_query: false,
      expires_at: null,
      status: 'active',
    });
    expect(link.id).toMatch(/^lnk_[0-9A-Z]{26}$/);
  });

  it('generates a 7-character slug when none is given', async () => {
    const link = await makeLink();
    expect(link.slug).toMatch(/^[23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ]{7}$/);
  });

  it('derives the channel from the rules, or takes an explicit one', async () => {
    expect((await makeLink({ utm_medium: 'sms' })).channel).toBe('mobile');
    expect((await makeLink({ kind: 'qr' })).channel).toBe('offline');
    expect((await makeLink({ kind: 'referral' })).channel).toBe('referral');
    expect((await makeLink({ utm_medium: 'sms', channel: 'paid' })).channel).toBe('paid');
  });

  it('answers 409 for a slug that is taken, and writes nothing', async () => {
    const first = await makeLink({ slug: 'taken-slug' });
    const response = await call('POST', '/api/v1/links', { body: { campaign_id: first.campaign_id, destination: 'https://x.example/', slug: 'taken-slug' } });
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({ error: { code: 'slug_taken', message: 'slug: "taken-slug" is already taken' } });
  });

  it('refuses a reserved slug and an unknown or archived campaign', async () => {
    const campaign = await makeCampaign();
    const reserved = await call('POST', '/api/v1/links', { body: { campaign_id: campaign.id, destination: 'https://x.example/', slug: 'API' } });
    expect(await json(reserved)).toEqual({ error: { code: 'validation_error', message: 'slug: slug "API" is reserved' } });
    const unknown = await call('POST', '/api/v1/links', { body: { campaign_id: 'cmp_nope', destination: 'https://x.example/' } });
    expect(unknown.status).toBe(422);
    expect(await json(unknown)).toEqual({ error: { code: 'unprocessable', message: 'campaign_id: no campaign cmp_nope' } });
    await call('POST', `/api/v1/campaigns/${campaign.id}/archive`);
    const archived = await call('POST', '/api/v1/links', { body: { campaign_id: campaign.id, destination: 'https://x.example/' } });
    expect(await json(archived)).toEqual({ error: { code: 'unprocessable', message: `campaign_id: campaign ${campaign.id} is archived` } });
  });

  it.each([
    [{ destination: 'https://u:p@x.example/' }, 'destination: must not contain credentials'],
    [{ destination: 'https://x.example/', kind: 'sms' }, 'kind: Invalid option: expected one of "link"|"qr"|"email"|"referral"'],
    [{ destination: 'https://x.example/', forward_query: 'yes' }, 'forward_query: Invalid input: expected boolean, received string'],
    [{ destination: 'https://x.example/', utm_source: 'a'.repeat(201) }, 'utm_source: Too big: expected string to have <=200 characters'],
    [{ destination: 'https://x.example/', slug: 'a b' }, 'slug: slug must be 3 to 64 characters of A-Z, a-z, 0-9, _ and -'],
  ])('refuses %o', async (fields, message) => {
    const campaign = await makeCampaign();
    const response = await call('POST', '/api/v1/links', { body: { campaign_id: campaign.id, ...fields } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
  });
});

describe('POST /api/v1/links/bulk', () => {
  it('creates up to 1000 links in request order', async () => {
    const campaign = await makeCampaign({ name: 'Bulk' });
    const links = Array.from({ length: 1000 }, (_, i) => ({ campaign_id: campaign.id, destination: `https://shop.example/p/${i}`, utm_content: `v${i}` }));
    const response = await call('POST', '/api/v1/links/bulk', { body: { links } });
    expect(response.status).toBe(201);
    const created = (await json(response)).data;
    expect(created).toHaveLength(1000);
    expect(created[999].tracked_url).toBe('https://shop.example/p/999?utm_campaign=bulk&utm_content=v999');
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM links WHERE campaign_id = ?').bind(campaign.id).first<{ n: number }>();
    expect(count!.n).toBe(1000);
    expect(new Set(created.map((link: any) => link.slug)).size).toBe(1000);
  });

  it('creates nothing when one link is bad', async () => {
    const campaign = await makeCampaign();
    const links = [
      { campaign_id: campaign.id, destination: 'https://shop.example/1' },
      { campaign_id: campaign.id, destination: 'ftp://shop.example/2' },
    ];
    const response = await call('POST', '/api/v1/links/bulk', { body: { links } });
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message: 'links.1.destination: must be an http or https URL' } });
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM links WHERE campaign_id = ?').bind(campaign.id).first<{ n: number }>();
    expect(count!.n).toBe(0);
  });

  it('refuses a slug used twice in one request, and more than 1000 links', async () => {
    const campaign = await makeCampaign();
    const twice = await call('POST', '/api/v1/links/bulk', {
      body: { links: [1, 2].map(() => ({ campaign_id: campaign.id, destination: 'https://x.example/', slug: 'dup-slug' })) },
    });
    expect(await json(twice)).toEqual({ error: { code: 'slug_taken', message: 'links.1.slug: "dup-slug" is used twice in this request' } });
    const many = await call('POST', '/api/v1/links/bulk', {
      body: { links: Array.from({ length: 1001 }, () => ({ campaign_id: campaign.id, destination: 'https://x.example/' })) },
    });
    expect(await json(many)).toEqual({ error: { code: 'validation_error', message: 'links: Too big: expected array to have <=1000 items' } });
  });
});

describe('listing, reading and changing links', () => {
  it('filters by campaign, kind and channel', async () => {
    const campaign = await makeCampaign();
    await makeLink({ campaign_id: campaign.id, kind: 'qr' });
    await makeLink({ campaign_id: campaign.id, utm_medium: 'email' });
    await makeLink({ campaign_id: campaign.id, utm_medium: 'sms' });
    const all = await json(await call('GET', `/api/v1/links?campaign_id=${campaign.id}`));
    expect(all.data).toHaveLength(3);
    expect(all.next_cursor).toBeNull();
    const qr = await json(await call('GET', `/api/v1/links?campaign_id=${campaign.id}&kind=qr`));
    expect(qr.data.map((l: any) => l.kind)).toEqual(['qr']);
    const email = await json(await call('GET', `/api/v1/links?campaign_id=${campaign.id}&channel=email`));
    expect(email.data.map((l: any) => l.channel)).toEqual(['email']);
  });

  it('updates the destination and the redirect follows at once', async () => {
    const link = await makeLink({ destination: 'https://old.example/' });
    expect((await call('GET', `/${link.slug}`, { key: null })).headers.get('Location')).toMatch(/^https:\/\/old\.example\//);
    const response = await call('PATCH', `/api/v1/links/${link.id}`, { body: { destination: 'https://new.example/' } });
    expect((await json(response)).destination).toBe('https://new.example/');
    expect((await call('GET', `/${link.slug}`, { key: null })).headers.get('Location')).toMatch(
      /^https:\/\/new\.example\/\?utm_campaign=spring-sale&tp_click=/,
    );
  });

  it('expires a link: 410 after expires_at', async () => {
    const link = await makeLink();
    await call('PATCH', `/api/v1/links/${link.id}`, { body: { expires_at: '2020-01-01T00:00:00Z' } });
    const response = await call('GET', `/${link.slug}`, { key: null });
    expect(response.status).toBe(410);
    expect(response.headers.get('Content-Type')).toContain('text/html');
  });

  it('archives a link: 410 from then on', async () => {
    const link = await makeLink();
    const archived = await call('POST', `/api/v1/links/${link.id}/archive`);
    expect((await json(archived)).status).toBe('archived');
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(410);
  });

  it('restores an archived link: it redirects again; refused while its campaign is archived', async () => {
    const link = await makeLink();
    await call('POST', `/api/v1/links/${link.id}/archive`);
    const restored = await call('POST', `/api/v1/links/${link.id}/restore`);
    expect(restored.status).toBe(200);
    expect((await json(restored)).status).toBe('active');
    expect((await call('GET', `/${link.slug}`, { key: null })).status).toBe(302);

    await call('POST', `/api/v1/links/${link.id}/archive`);
    await call('POST', `/api/v1/campaigns/${link.campaign_id}/archive`);
    const refused = await call('POST', `/api/v1/links/${link.id}/restore`);
    expect(refused.status).toBe(422);
    expect(await json(refused)).toEqual({
      error: {
        code: 'unprocessable',
        message: `campaign ${link.campaign_id} is archived: restore the campaign first (POST /api/v1/campaigns/${link.campaign_id}/restore)`,
      },
    });
    expect((await json(await call('GET', `/api/v1/links/${link.id}`))).status).toBe('archived');
    expect((await call('POST', '/api/v1/links/lnk_nope/restore')).status).toBe(404);
  });

  it('answers 404 for an unknown link', async () => {
    const response = await call('GET', '/api/v1/links/lnk_nope');
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Link not found' } });
  });
});

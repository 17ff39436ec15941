import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey, makeLink } from '../helpers';
import { rasteriseSvg, readQr } from '../qr-raster';
import { parseXml } from '../xml';

const sheet = (campaignId: string, key?: string | null) => call('GET', `/api/v1/campaigns/${campaignId}/qr-sheet`, { key });
const svgsOf = (page: string) => page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
const slugsOf = (page: string) => [...page.matchAll(/<code class="slug">([^<]*)<\/code>/g)].map((m) => m[1]);

describe('GET /api/v1/campaigns/:id/qr-sheet', () => {
  it('prints every active link of a campaign without QR links, oldest first, each with a scannable SVG', async () => {
    const campaign = await makeCampaign({ name: 'Flyer run' });
    await makeLink({ campaign_id: campaign.id, slug: 'sheet-a', label: 'Shop window' });
    await makeLink({ campaign_id: campaign.id, slug: 'sheet-b', kind: 'email' });
    const archived = await makeLink({ campaign_id: campaign.id, slug: 'sheet-gone' });
    await call('POST', `/api/v1/links/${archived.id}/archive`);
    await makeLink({ slug: 'sheet-other-campaign' });

    const response = await sheet(campaign.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    const page = await response.text();
    expect(page).toContain('@page { size: A4 portrait; margin: 12mm; }');
    expect(page).toContain('<h1>Flyer run</h1>');
    expect(page).toContain('2 codes · all active links');
    expect(slugsOf(page)).toEqual(['sheet-a', 'sheet-b']);
    expect(page).toContain('<strong class="label">Shop window</strong>');
    expect(page).toContain('<span class="url">https://tp.test/sheet-a</span>');

    const svgs = svgsOf(page).map(parseXml);
    expect(svgs).toHaveLength(2);
    expect(svgs.map((svg) => readQr(rasteriseSvg(svg, 4)))).toEqual(['https://tp.test/sheet-a?qr=1', 'https://tp.test/sheet-b?qr=1']);
    expect(svgs[0].children[0]).toMatchObject({ name: 'title', text: 'QR code for Shop window' });
  });

  it('prints only the QR links when the campaign has any', async () => {
    const campaign = await makeCampaign();
    await makeLink({ campaign_id: campaign.id, slug: 'sheet-web' });
    await makeLink({ campaign_id: campaign.id, slug: 'sheet-qr1', kind: 'qr' });
    await makeLink({ campaign_id: campaign.id, slug: 'sheet-qr2', kind: 'qr' });
    const page = await (await sheet(campaign.id)).text();
    expect(slugsOf(page)).toEqual(['sheet-qr1', 'sheet-qr2']);
    expect(svgsOf(page)).toHaveLength(2);
    expect(page).toContain('2 codes · active QR links');
  });

  it('escapes labels and campaign names', async () => {
    const campaign = await makeCampaign({ name: '<script>alert(1)</script>' });
    await makeLink({ campaign_id: campaign.id, slug: 'sheet-tom', label: '<b>"Tom & Jerry"</b>' });
    const page = await (await sheet(campaign.id)).text();
    expect(page).not.toContain('<b>');
    expect(page).not.toContain('<script>');
    expect(page).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(page).toContain('<strong class="label">&lt;b&gt;&quot;Tom &amp; Jerry&quot;&lt;/b&gt;</strong>');
    const [svg] = svgsOf(page).map(parseXml);
    expect(svg.children[0].text).toBe('QR code for <b>"Tom & Jerry"</b>');
  });

  it('shows an empty sheet for a campaign without active links', async () => {
    const campaign = await makeCampaign();
    const page = await (await sheet(campaign.id)).text();
    expect(page).toContain('0 codes · all active links');
    expect(svgsOf(page)).toEqual([]);
  });

  it('answers 404 for an unknown campaign', async () => {
    const response = await sheet('cmp_nope');
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Campaign not found' } });
  });

  it('needs a key with links:write or reports:read', async () => {
    const campaign = await makeCampaign();
    expect((await sheet(campaign.id, null)).status).toBe(401);
    const wrong = await sheet(campaign.id, await makeKey(['conversions:write']));
    expect(wrong.status).toBe(403);
    expect((await json(wrong)).error.code).toBe('forbidden');
    expect((await sheet(campaign.id, await makeKey(['reports:read']))).status).toBe(200);
  });
});

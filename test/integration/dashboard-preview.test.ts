import { describe, expect, it } from 'vitest';
import { ADMIN, call, makeCampaign, makeKey } from '../helpers';
import { newBrowser, signIn, visit } from '../support/dashboard';

async function signedIn(key = ADMIN) {
  const browser = newBrowser();
  await signIn(browser, key);
  return browser;
}

const preview = async (browser: ReturnType<typeof newBrowser>, campaignId: string, fields: Record<string, string>) =>
  visit(browser, 'GET', `/campaigns/${campaignId}/preview?${new URLSearchParams(fields)}`);

describe('dashboard link preview', () => {
  it('previews exactly the tracked URL and channel the API then gives the link', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign({ name: 'Sommer Flyer' });
    const fields = { destination: 'https://shop.example/a?x=1&utm_source=old#top', utm_source: 'flyer', utm_medium: 'print', utm_term: 'a b&c' };
    const response = await preview(browser, campaign.id, { ...fields, kind: 'link', channel: '', utm_campaign: '', utm_content: '' });
    expect(response.status).toBe(200);
    const shown = await response.json<any>();
    const link = await (await call('POST', '/api/v1/links', { body: { campaign_id: campaign.id, ...fields } })).json<any>();
    expect(shown).toEqual({ tracked_url: link.tracked_url, channel: link.channel, problem: null });
    expect(shown).toEqual({
      tracked_url: 'https://shop.example/a?x=1&utm_source=flyer&utm_medium=print&utm_campaign=sommer-flyer&utm_term=a%20b%26c#top',
      channel: 'offline',
      problem: null,
    });
  });

  it('follows the channel rules for the kind and an explicit channel', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign();
    const base = { destination: 'https://shop.example/', utm_medium: 'email' };
    expect((await (await preview(browser, campaign.id, base)).json<any>()).channel).toBe('email');
    expect((await (await preview(browser, campaign.id, { ...base, kind: 'qr' })).json<any>()).channel).toBe('offline');
    expect((await (await preview(browser, campaign.id, { ...base, channel: 'paid' })).json<any>()).channel).toBe('paid');
  });

  it('says why a destination makes no URL, in the words of the API', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign();
    const shown = await (await preview(browser, campaign.id, { destination: 'ftp://files.example/x' })).json<any>();
    expect(shown).toEqual({ tracked_url: null, channel: 'other', problem: 'must be an http or https URL' });
    const api = await (await call('POST', '/api/v1/links', { body: { campaign_id: campaign.id, destination: 'ftp://files.example/x' } })).json<any>();
    expect(api.error.message).toBe('destination: must be an http or https URL');
    expect((await (await preview(browser, campaign.id, { destination: '' })).json<any>()).tracked_url).toBeNull();
  });

  it('renders the first preview on the page, from the landing URL, before any script runs', async () => {
    const browser = await signedIn();
    const campaign = await makeCampaign({ name: 'Herbst', landing_url: 'https://shop.example/herbst' });
    const page = await (await visit(browser, 'GET', `/campaigns/${campaign.id}`)).text();
    expect(page).toContain(`data-utm="/campaigns/${campaign.id}/preview"`);
    expect(page).toMatch(/<output id="utm-preview"[^>]*>https:\/\/shop\.example\/herbst\?utm_campaign=herbst<\/output>/);
  });

  it('needs a session with links:write', async () => {
    const campaign = await makeCampaign();
    const anonymous = await preview(newBrowser(), campaign.id, { destination: 'https://shop.example/' });
    expect(anonymous.status).toBe(302);
    const reader = await signedIn(await makeKey(['reports:read']));
    expect((await preview(reader, campaign.id, { destination: 'https://shop.example/' })).status).toBe(403);
    expect((await preview(await signedIn(), 'cmp_missing', { destination: 'https://shop.example/' })).status).toBe(404);
  });
});

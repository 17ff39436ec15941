/** Social previews: link-preview bots get Open Graph and Twitter tags (escaped) and no credit; people get the 302. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, DESKTOP_CHROME, json, makeCampaign, makeLink } from '../helpers';

const TITLE = `<script>alert("x")</script> & 'Sale'`;
const ESCAPED_TITLE = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Sale&#39;';

const BOTS = [
  ['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
  ['WhatsApp', 'WhatsApp/2.23.20.0'],
  ['facebookexternalhit', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
] as const;

const touchesOf = async (linkId: string) =>
  (await env.DB.prepare('SELECT is_bot, bot_reason FROM touches WHERE link_id = ?').bind(linkId).all<Record<string, unknown>>()).results;

describe('social previews', () => {
  it.each(BOTS)('answers %s with the card page, every value escaped, and logs a bot touch', async (_name, ua) => {
    const link = await makeLink({
      slug: `card-${_name.toLowerCase()}`,
      destination: 'https://shop.example/sale?a=1&b=2',
      preview: { title: TITLE, description: 'Up to "50 %" off <b>now</b>', image_url: 'https://cdn.example/card.png?w=1200&h=630' },
    });
    const response = await call('GET', `/${link.slug}?utm_x=1`, { key: null, headers: { 'User-Agent': ua } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    expect(response.headers.get('Location')).toBeNull();
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const page = await response.text();
    const metas = page.match(/<meta (property|name)="(og|twitter):[^>]*>/g);
    expect(metas).toEqual([
      '<meta property="og:type" content="website" />',
      `<meta property="og:title" content="${ESCAPED_TITLE}" />`,
      '<meta property="og:description" content="Up to &quot;50 %&quot; off &lt;b&gt;now&lt;/b&gt;" />',
      '<meta property="og:image" content="https://cdn.example/card.png?w=1200&amp;h=630" />',
      `<meta property="og:url" content="https://tp.test/${link.slug}" />`,
      '<meta name="twitter:card" content="summary_large_image" />',
      `<meta name="twitter:title" content="${ESCAPED_TITLE}" />`,
      '<meta name="twitter:description" content="Up to &quot;50 %&quot; off &lt;b&gt;now&lt;/b&gt;" />',
      '<meta name="twitter:image" content="https://cdn.example/card.png?w=1200&amp;h=630" />',
    ]);
    expect(page).toContain(`<title>${ESCAPED_TITLE}</title>`);
    expect(page).not.toContain('<script>');
    expect(page).toMatch(/<a href="https:\/\/shop\.example\/sale\?a=1&amp;b=2&amp;utm_campaign=spring-sale&amp;tp_click=tpc_[0-9A-Z]{26}">/);
    expect(await touchesOf(link.id)).toEqual([{ is_bot: 1, bot_reason: 'link_preview' }]);
    expect((await json(await call('GET', `/api/v1/links/${link.id}`))).stats).toEqual({ clicks: 0, scans: 0, unique_visitors: 0 });
  });

  it('redirects a browser with 302 as before', async () => {
    const link = await makeLink({ slug: 'card-human', preview: { title: TITLE } });
    const response = await call('GET', '/card-human', { key: null, headers: { 'User-Agent': DESKTOP_CHROME } });
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toMatch(/^https:\/\/shop\.example\/spring\?utm_campaign=spring-sale&tp_click=tpc_[0-9A-Z]{26}$/);
    expect(await touchesOf(link.id)).toEqual([{ is_bot: 0, bot_reason: null }]);
  });

  it('redirects a bot too when the link has no preview', async () => {
    await makeLink({ slug: 'no-card' });
    const response = await call('GET', '/no-card', { key: null, headers: { 'User-Agent': BOTS[0][1] } });
    expect(response.status).toBe(302);
  });

  it('uses a summary card without an image, and the branded short URL as og:url', async () => {
    await call('POST', '/api/v1/domains', { body: { hostname: 'card.brand.test' } });
    await makeLink({ slug: 'brand-card', domain: 'card.brand.test', preview: { title: 'Plain' } });
    const response = await call('GET', '/brand-card', { key: null, base: 'https://card.brand.test', headers: { 'User-Agent': BOTS[1][1] } });
    const page = await response.text();
    expect(page.match(/<meta (property|name)="(og|twitter):[^>]*>/g)).toEqual([
      '<meta property="og:type" content="website" />',
      '<meta property="og:title" content="Plain" />',
      '<meta property="og:url" content="https://card.brand.test/brand-card" />',
      '<meta name="twitter:card" content="summary" />',
      '<meta name="twitter:title" content="Plain" />',
    ]);
  });

  it('shows the preview on the link, and PATCH changes it at once, null removing it', async () => {
    const link = await makeLink({ slug: 'card-edit', preview: { title: ' Old ', description: '', image_url: null } });
    expect(link.preview).toEqual({ title: 'Old', description: null, image_url: null });
    await call('GET', '/card-edit', { key: null, headers: { 'User-Agent': BOTS[0][1] } }); // fills the cache
    const patched = await call('PATCH', `/api/v1/links/${link.id}`, { body: { preview: { title: 'New' } } });
    expect((await json(patched)).preview).toEqual({ title: 'New', description: null, image_url: null });
    const page = await (await call('GET', '/card-edit', { key: null, headers: { 'User-Agent': BOTS[0][1] } })).text();
    expect(page).toContain('<meta property="og:title" content="New" />');
    const cleared = await call('PATCH', `/api/v1/links/${link.id}`, { body: { preview: null } });
    expect((await json(cleared)).preview).toBeNull();
    expect((await call('GET', '/card-edit', { key: null, headers: { 'User-Agent': BOTS[0][1] } })).status).toBe(302);
  });

  it.each([
    [{ title: 'x', image_url: 'ftp://cdn.example/a.png' }, 'preview.image_url: must be an http or https URL'],
    [{ title: 'x', image_url: 'javascript:alert(1)' }, 'preview.image_url: must be an http or https URL'],
    [{ title: '' }, 'preview.title: Too small: expected string to have >=1 characters'],
    [{ title: 'x'.repeat(201) }, 'preview.title: Too big: expected string to have <=200 characters'],
    [{ title: 'x', description: 'y'.repeat(501) }, 'preview.description: Too big: expected string to have <=500 characters'],
    [{ description: 'no title' }, 'preview.title: Invalid input: expected string, received undefined'],
    [{ title: 'x', video: 'v' }, 'unknown field: preview.video'],
  ])('refuses the preview %j with 400', async (preview, message) => {
    const campaign = await makeCampaign();
    const response = await call('POST', '/api/v1/links', { body: { campaign_id: campaign.id, destination: 'https://shop.example/', preview } });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: { code: 'validation_error', message } });
  });
});

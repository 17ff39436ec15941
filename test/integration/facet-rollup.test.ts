import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { topFacetValues } from '../../src/db/facet-rollups';
import { call, DESKTOP_CHROME, makeLink, MOBILE_SAFARI } from '../helpers';

const today = () => new Date().toISOString().slice(0, 10);

/** The rollup's cells for a campaign, and the same counted from raw touches: they must always agree. */
async function rolledAndRaw(campaignId: string) {
  const rolled = await env.DB.prepare(
    `SELECT facet, value, link_id, channel, device_class, SUM(visits) AS visits FROM touch_facet_daily
     WHERE campaign_id = ? GROUP BY 1, 2, 3, 4, 5 HAVING SUM(visits) > 0 ORDER BY 1, 2, 3, 4, 5`,
  )
    .bind(campaignId)
    .all();
  const raw = await env.DB.prepare(
    `SELECT 'country' AS facet, coalesce(country, '') AS value, link_id, channel, device_class, COUNT(*) AS visits FROM touches
       WHERE campaign_id = ?1 AND is_bot = 0 GROUP BY 2, 3, 4, 5
     UNION ALL
     SELECT 'referrer', coalesce(referrer_host, ''), link_id, channel, device_class, COUNT(*) FROM touches
       WHERE campaign_id = ?1 AND is_bot = 0 GROUP BY 2, 3, 4, 5
     ORDER BY 1, 2, 3, 4, 5`,
  )
    .bind(campaignId)
    .all();
  return { rolled: rolled.results, raw: raw.results };
}

describe('countries and referrers rollup', () => {
  it('counts human visits per referring host and country, and follows a touch reclassified as a bot', async () => {
    const link = await makeLink({ utm_medium: 'social', utm_source: 'instagram' });
    await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': MOBILE_SAFARI, Referer: 'https://l.instagram.com/?u=x' } });
    await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME, Referer: 'https://l.instagram.com/' } });
    await call('GET', `/${link.slug}`, { key: null, headers: { 'User-Agent': DESKTOP_CHROME } });
    const db = createDb(env.DB);
    const filter = { from: today(), to: today(), campaignId: link.campaign_id };
    expect(await topFacetValues(db, 'referrer', filter, 5)).toEqual([
      { value: 'l.instagram.com', visits: 2 },
      { value: null, visits: 1 },
    ]);
    // Ties go by value, none ('') first.
    expect(await topFacetValues(db, 'referrer', { ...filter, deviceClass: 'desktop' }, 5)).toEqual([
      { value: null, visits: 1 },
      { value: 'l.instagram.com', visits: 1 },
    ]);
    expect(await topFacetValues(db, 'country', filter, 5)).toEqual([{ value: null, visits: 3 }]);
    let both = await rolledAndRaw(link.campaign_id);
    expect(both.rolled).toEqual(both.raw);

    // The reclassify job finds a bot later; a touch moves to another link: the rollup follows both.
    await env.DB.prepare("UPDATE touches SET is_bot = 1, bot_reason = 'user_agent', device_class = 'bot' WHERE link_id = ? AND referrer_host IS NULL")
      .bind(link.id)
      .run();
    const other = await makeLink({ campaign_id: link.campaign_id, utm_medium: 'social', utm_source: 'instagram' });
    await env.DB.prepare("UPDATE touches SET link_id = ?, country = 'AT' WHERE link_id = ? AND device_class = 'desktop'").bind(other.id, link.id).run();
    both = await rolledAndRaw(link.campaign_id);
    expect(both.rolled).toEqual(both.raw);
    expect(await topFacetValues(db, 'referrer', filter, 5)).toEqual([{ value: 'l.instagram.com', visits: 2 }]);
    expect(await topFacetValues(db, 'country', filter, 5)).toEqual([
      { value: null, visits: 1 },
      { value: 'AT', visits: 1 },
    ]);
    expect(await topFacetValues(db, 'country', { ...filter, linkId: other.id }, 5)).toEqual([{ value: 'AT', visits: 1 }]);
  });
});

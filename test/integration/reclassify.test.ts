import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { TOUCH_COLUMNS } from '../../src/db/touches';
import type { NewTouch } from '../../src/db/schema';
import { call, DESKTOP_CHROME, json, makeKey, makeLink } from '../helpers';

/** A touch as an older rule list would have stored it: human-looking. */
function storedTouch(id: string, linkId: string, campaignId: string, fields: Partial<NewTouch>): NewTouch {
  return {
    id,
    type: 'click',
    occurred_at: '2026-07-01T10:00:00.000Z',
    campaign_id: campaignId,
    link_id: linkId,
    channel: 'email',
    visitor_id: 'v_1',
    visitor_kind: 'cookie',
    device_class: 'desktop',
    os: null,
    browser: null,
    is_bot: 0,
    bot_reason: null,
    user_agent: DESKTOP_CHROME,
    rid_hash: null,
    country: null,
    region: null,
    city: null,
    referrer_host: null,
    utm_source: null,
    utm_medium: 'email',
    utm_campaign: 'x',
    referrer_hash: null,
    visitor_hll: null,
    rule: null,
    variant: null,
    after_cap: 0,
    ...fields,
  };
}

async function insertRaw(rows: NewTouch[]) {
  const db = createDb(env.DB);
  // Straight to the table, bypassing the write path's own checks, as rows written under older rules.
  for (const row of rows) await db.insertInto('touches').values(row).execute();
  expect(TOUCH_COLUMNS.length).toBe(Object.keys(rows[0]).length);
}

describe('POST /api/v1/maintenance/reclassify', () => {
  it('re-applies the current agent and burst rules to past touches', async () => {
    const a = await makeLink({ kind: 'email' });
    const b = await makeLink({ kind: 'email', campaign_id: a.campaign_id });
    const c = await makeLink({ kind: 'email', campaign_id: a.campaign_id });
    await insertRaw([
      storedTouch('tpc_R1', a.id, a.campaign_id, { user_agent: 'Mozilla/5.0 (compatible; Barracuda Sentinel)' }),
      storedTouch('tpc_R2', a.id, a.campaign_id, { rid_hash: 'rid-x', occurred_at: '2026-07-01T11:00:00.000Z' }),
      storedTouch('tpc_R3', b.id, b.campaign_id, { rid_hash: 'rid-x', occurred_at: '2026-07-01T11:00:01.000Z' }),
      storedTouch('tpc_R4', c.id, c.campaign_id, { rid_hash: 'rid-x', occurred_at: '2026-07-01T11:00:02.000Z' }),
      storedTouch('tpc_R5', a.id, a.campaign_id, { occurred_at: '2026-07-03T10:00:00.000Z', user_agent: 'curl/8.0' }),
    ]);
    const response = await call('POST', '/api/v1/maintenance/reclassify', { body: { from: '2026-07-01', to: '2026-07-01' } });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      from: '2026-07-01',
      to: '2026-07-01',
      touches_checked: 4,
      touches_changed: 1,
      scanner_bursts_flagged: 3,
      opens_checked: 0,
      opens_changed: 0,
    });
    const rows = await env.DB.prepare("SELECT id, is_bot, bot_reason, device_class FROM touches WHERE id LIKE 'tpc_R%' ORDER BY id").all();
    expect(rows.results).toEqual([
      { id: 'tpc_R1', is_bot: 1, bot_reason: 'email_scanner', device_class: 'bot' },
      { id: 'tpc_R2', is_bot: 1, bot_reason: 'scanner_burst', device_class: 'bot' },
      { id: 'tpc_R3', is_bot: 1, bot_reason: 'scanner_burst', device_class: 'bot' },
      { id: 'tpc_R4', is_bot: 1, bot_reason: 'scanner_burst', device_class: 'bot' },
      { id: 'tpc_R5', is_bot: 0, bot_reason: null, device_class: 'desktop' },
    ]);
    const again = await json(await call('POST', '/api/v1/maintenance/reclassify', { body: { from: '2026-07-01', to: '2026-07-01' } }));
    expect(again).toMatchObject({ touches_changed: 0, scanner_bursts_flagged: 0 });
  });

  it('needs the admin scope and valid dates', async () => {
    expect((await call('POST', '/api/v1/maintenance/reclassify', { key: null, body: {} })).status).toBe(401);
    expect((await call('POST', '/api/v1/maintenance/reclassify', { key: await makeKey(['links:write']), body: {} })).status).toBe(403);
    const bad = await call('POST', '/api/v1/maintenance/reclassify', { body: { from: '2026-13-01' } });
    expect(await json(bad)).toEqual({ error: { code: 'validation_error', message: 'from: Invalid ISO date' } });
    const reversed = await call('POST', '/api/v1/maintenance/reclassify', { body: { from: '2026-07-02', to: '2026-07-01' } });
    expect(await json(reversed)).toEqual({ error: { code: 'validation_error', message: 'to: must not be before from' } });
  });
});

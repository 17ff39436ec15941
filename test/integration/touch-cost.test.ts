/**
 * What a touch and a conversion cost in D1 rows — the figures D1 bills and the capacity model
 * (`npm run capacity`, scripts/capacity-inputs.json) multiplies. Rows written count every index entry and every
 * rollup row a trigger inserts or updates; a change to the schema or the write path that moves them fails here,
 * and the model's inputs are updated with it.
 */
import { describe, expect, it } from 'vitest';
import inputs from '../../scripts/capacity-inputs.json';
import { createDb } from '../../src/db/client';
import { insertTouches } from '../../src/db/touches';
import type { NewTouch } from '../../src/db/schema';
import { call, makeCampaign, makeLink } from '../helpers';
import { meteredDb } from '../support/d1-meter';
import { touchRow } from '../support/attribution-fixture';

const HOUR = 3_600_000;
/** Rows the routing triggers (schema/0033) add for the routed batch below, measured: 360 day-count upserts, 238 visitor-days, 4 cells. */
const ROUTED_EXTRA_ROWS = 602;
const start = Date.parse('2026-06-01T00:00:00.000Z');
const COUNTRIES = ['DE', 'AT', 'CH', 'FR', null];
const BROWSERS = [
  ['iOS', 'Mobile Safari', 'mobile'],
  ['Android', 'Chrome', 'mobile'],
  ['Windows', 'Edge', 'desktop'],
  ['macOS', 'Safari', 'desktop'],
] as const;

/** 400 touches of 160 visitors on 3 links over 2 days (48 hourly cells): clicks, scans, a code entry in ten, 1 bot in ten. */
function touchBatch(campaignIds: string[], linkIds: string[]): NewTouch[] {
  return Array.from({ length: 400 }, (_, i) => {
    const [os, browser, device] = BROWSERS[i % BROWSERS.length];
    const bot = i % 10 === 9;
    const codeEntry = i % 10 === 4;
    return touchRow({
      occurred_at: new Date(start + (i % 48) * HOUR + i * 1000).toISOString(),
      channel: codeEntry ? 'offline' : (['email', 'offline', 'social'] as const)[i % 3],
      type: codeEntry ? 'code_entry' : i % 3 === 1 ? 'scan' : 'click',
      campaign_id: campaignIds[i % campaignIds.length],
      link_id: codeEntry ? null : linkIds[i % linkIds.length],
      visitor_id: `v_COST${String(i % 160).padStart(4, '0')}`,
      device_class: bot ? 'bot' : device,
      is_bot: bot ? 1 : 0,
      bot_reason: bot ? 'user_agent' : null,
      os: bot ? null : os,
      browser: bot ? null : browser,
      country: COUNTRIES[i % COUNTRIES.length],
      referrer_host: i % 4 === 0 ? 'www.instagram.com' : null,
      user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    });
  });
}

describe('D1 rows per touch and per conversion (the capacity model)', () => {
  it('writes and reads the rows per touch the capacity model assumes', async () => {
    const campaigns = [(await makeCampaign({ name: 'Cost A' })).id, (await makeCampaign({ name: 'Cost B' })).id];
    const links = [
      (await makeLink({ campaign_id: campaigns[0] })).id,
      (await makeLink({ campaign_id: campaigns[1] })).id,
      (await makeLink({ campaign_id: campaigns[0] })).id,
    ];
    const rows = touchBatch(campaigns, links);
    const meter = meteredDb();
    // As the touch writer stores them: batches of 100.
    for (let i = 0; i < rows.length; i += 100) await insertTouches(createDb(meter.DB), rows.slice(i, i + 100));
    const perTouch = { written: meter.rows().written / rows.length, read: meter.rows().read / rows.length };
    console.log(`D1 rows per touch: ${JSON.stringify(perTouch)}`);
    expect(perTouch).toEqual({ written: inputs.measured.d1RowsWrittenPerTouch.value, read: inputs.measured.d1RowsReadPerTouch.value });
  });

  it('writes the routing rollups (schema/0033) for routed touches only: a rule or variant adds its day count, visitor-day and cell', async () => {
    /** Rows written storing the batch on fresh links, its link touches marked by `route`. */
    const written = async (name: string, route: (i: number) => { rule: string | null; variant: string | null }) => {
      const campaign = (await makeCampaign({ name })).id;
      const links = [(await makeLink({ campaign_id: campaign })).id, (await makeLink({ campaign_id: campaign })).id];
      const rows = touchBatch([campaign], links).map((row, i) => (row.link_id === null ? row : { ...row, id: `${row.id}${name}`, ...route(i) }));
      const meter = meteredDb();
      for (let i = 0; i < rows.length; i += 100) await insertTouches(createDb(meter.DB), rows.slice(i, i + 100));
      return meter.rows().written;
    };
    const plain = await written('plain', () => ({ rule: null, variant: null }));
    const routed = await written('routed', (i) => ({ rule: i % 2 === 0 ? 'ios' : null, variant: (['A', 'B'] as const)[i % 2] }));
    // 360 routed touches (36 bots) of 144 visitors over 2 days in 4 cells (2 links × 2 routes).
    expect(routed - plain).toBe(ROUTED_EXTRA_ROWS);
  });

  it('writes and reads the rows per conversion the capacity model assumes (four candidate touches, a known customer)', async () => {
    const campaign = (await makeCampaign({ name: 'Cost C' })).id;
    const link = (await makeLink({ campaign_id: campaign })).id;
    const journeys = Array.from({ length: 20 }, (_, j) =>
      Array.from({ length: 4 }, (_, k) =>
        touchRow({
          occurred_at: new Date(start + k * 24 * HOUR + j * 1000).toISOString(),
          channel: 'email',
          campaign_id: campaign,
          link_id: link,
          visitor_id: `v_CONV${j}`,
        }),
      ),
    );
    await insertTouches(createDb(meteredDb().DB), journeys.flat());
    const meter = meteredDb();
    for (const [j, journey] of journeys.entries()) {
      const body = { type: 'sale', order_id: `cost-${j}`, click_id: journey[3].id, customer_ref: `cost-customer-${j}`, value: 42.5, currency: 'EUR' };
      const response = await call('POST', '/api/v1/conversions', { body, env: { DB: meter.DB }, now: () => start + 4 * 24 * HOUR });
      expect(response.status).toBe(201);
    }
    const perConversion = { written: meter.rows().written / journeys.length, read: meter.rows().read / journeys.length };
    console.log(`D1 rows per conversion: ${JSON.stringify(perConversion)}`);
    // Rows read vary by a few in a run: a per-isolate cache (webhook subscriptions, exchange rates) expiring mid-run adds its read.
    expect({ written: perConversion.written, read: Math.round(perConversion.read) }).toEqual({
      written: inputs.measured.d1RowsWrittenPerConversion.value,
      read: inputs.measured.d1RowsReadPerConversion.value,
    });
  });
});

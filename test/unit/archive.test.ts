/** The archive's pure rules: the hot window, the day a run archives before, keys, the NDJSON format and the order. */
import { describe, expect, it } from 'vitest';
import { dayRollupCells } from '../../src/db/rollup-rebuild';
import type { TouchRow } from '../../src/db/schema';
import { archiveKey, firstHotDay, fromNdjson, hotWindowDays, toNdjson, touchOrder, withLaterColumns } from '../../src/domain/archive';
import { hotDaysSetting } from '../../src/services/window-settings';

describe('archive rules', () => {
  it('keeps the lookback plus the margin hot, counted in whole UTC days before today', () => {
    expect(hotWindowDays(30, 30)).toBe(60);
    expect(firstHotDay(Date.parse('2026-12-03T08:00:00Z'), 60)).toBe('2026-10-04');
    expect(firstHotDay(Date.parse('2026-12-03T00:00:00Z'), 60)).toBe('2026-10-04');
    expect(firstHotDay(Date.parse('2026-12-02T23:59:59.999Z'), 60)).toBe('2026-10-03');
  });

  it('reads the hot window from the settings, with 30 days of margin when it is missing or not a whole number', () => {
    expect(hotDaysSetting({ ATTRIBUTION_LOOKBACK_DAYS: '30', ARCHIVE_MARGIN_DAYS: '30' })).toBe(60);
    expect(hotDaysSetting({ ATTRIBUTION_LOOKBACK_DAYS: '90', ARCHIVE_MARGIN_DAYS: '0' })).toBe(90);
    expect(hotDaysSetting({ ATTRIBUTION_LOOKBACK_DAYS: '14', ARCHIVE_MARGIN_DAYS: 'soon' })).toBe(44);
    expect(hotDaysSetting({ ATTRIBUTION_LOOKBACK_DAYS: '14', ARCHIVE_MARGIN_DAYS: '-3' })).toBe(44);
  });

  it('names parts by UTC day and a four-digit number', () => {
    expect(archiveKey('2026-08-25', 1)).toBe('touches/day=2026-08-25/part-0001.ndjson.gz');
    expect(archiveKey('2026-08-25', 12)).toBe('touches/day=2026-08-25/part-0012.ndjson.gz');
  });

  it('keeps the unsharded key for shard 0 and puts the shard before the day for the others', () => {
    expect(archiveKey('2026-08-25', 1, 0)).toBe('touches/day=2026-08-25/part-0001.ndjson.gz');
    expect(archiveKey('2026-08-25', 1, 1)).toBe('touches/shard=1/day=2026-08-25/part-0001.ndjson.gz');
    expect(archiveKey('2026-08-25', 3, 63)).toBe('touches/shard=63/day=2026-08-25/part-0003.ndjson.gz');
  });

  it('writes NDJSON with the columns in order (missing ones as null) and reads it back', () => {
    const text = toNdjson(
      ['id', 'occurred_at', 'country'],
      [
        { country: 'DE', occurred_at: '2026-08-25T10:00:00.000Z', id: 'a' },
        { id: 'b', occurred_at: 'x' },
      ],
    );
    expect(text).toBe('{"id":"a","occurred_at":"2026-08-25T10:00:00.000Z","country":"DE"}\n{"id":"b","occurred_at":"x","country":null}\n');
    expect(fromNdjson(text)).toEqual([
      { id: 'a', occurred_at: '2026-08-25T10:00:00.000Z', country: 'DE' },
      { id: 'b', occurred_at: 'x', country: null },
    ]);
    expect(fromNdjson('')).toEqual([]);
  });

  it('fills the columns a part written before 0027 lacks, and keeps those a newer part has', () => {
    expect(withLaterColumns({ id: 'old', type: 'click' })).toEqual({ rule: null, variant: null, after_cap: 0, id: 'old', type: 'click' });
    expect(withLaterColumns({ id: 'new', rule: 'iPhone', variant: 'B', after_cap: 1 })).toEqual({ id: 'new', rule: 'iPhone', variant: 'B', after_cap: 1 });
  });

  it('orders touches by time, then id', () => {
    const rows = [
      { id: 'b', occurred_at: '2026-08-25T10:00:00.000Z' },
      { id: 'a', occurred_at: '2026-08-25T10:00:00.001Z' },
      { id: 'a', occurred_at: '2026-08-25T10:00:00.000Z' },
    ];
    expect([...rows].sort(touchOrder)).toEqual([rows[2], rows[0], rows[1]]);
  });
});

describe('a day rebuilt from its touches', () => {
  const touch = (fields: Partial<TouchRow>): TouchRow => ({
    id: 't',
    type: 'click',
    occurred_at: '2026-08-25T10:15:00.000Z',
    campaign_id: 'cmp',
    link_id: 'lnk',
    channel: 'email',
    visitor_id: 'v1',
    visitor_kind: 'cookie',
    device_class: 'mobile',
    os: null,
    browser: null,
    is_bot: 0,
    bot_reason: null,
    user_agent: null,
    rid_hash: null,
    country: 'DE',
    region: null,
    city: null,
    referrer_host: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    referrer_hash: null,
    visitor_hll: null,
    rule: null,
    variant: null,
    after_cap: 0,
    ...fields,
  });

  it('gives the cells the insert triggers would have written', () => {
    const cells = dayRollupCells('2026-08-25', [
      touch({ id: 'a' }),
      touch({ id: 'b', occurred_at: '2026-08-25T11:00:00.000Z', referrer_hash: 'h1' }),
      touch({ id: 'c', is_bot: 1, device_class: 'bot', visitor_id: 'v2', campaign_id: null, link_id: null }),
    ]);
    expect(cells).toEqual({
      touch_daily: [
        ['2026-08-25', 'cmp', 'lnk', 'email', 'mobile', 'click', 0, 2],
        ['2026-08-25', '', '', 'email', 'bot', 'click', 1, 1],
      ],
      touch_hourly: [
        ['2026-08-25T10', 'cmp', 'email', 0, 1],
        ['2026-08-25T11', 'cmp', 'email', 0, 1],
        ['2026-08-25T10', '', 'email', 1, 1],
      ],
      touch_facet_daily: [
        ['2026-08-25', 'country', 'DE', 'cmp', 'lnk', 'email', 'mobile', 2],
        ['2026-08-25', 'referrer', '', 'cmp', 'lnk', 'email', 'mobile', 2],
      ],
      visitor_daily: [['2026-08-25', 'email', 'cmp', 'lnk', 'mobile', 'v1']],
      referral_visits: [['cmp', 'h1', 'v1', 1]],
      // schema/0032: [day, campaign, link, channel, device, country, referrer, visitor, visits, clicks, scans, code entries, bots].
      origin_days: [
        ['2026-08-25', 'cmp', 'lnk', 'email', 'mobile', 'DE', '', 'v1', 2, 2, 0, 0, 0],
        ['2026-08-25', '', '', 'email', 'bot', 'DE', '', 'v2', 0, 0, 0, 0, 1],
      ],
      // schema/0033: routed touches only (none here).
      routing_daily: [],
      routing_visitor_days: [],
    });
  });
});

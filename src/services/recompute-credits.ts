/**
 * Credits under a lookback other than the stored one, recomputed from raw data:
 * the conversions of the range, the visitors each one considered when it was
 * recorded (conversion_visitors), and their human touches in the new window.
 * Cost grows with the conversions in the range (not with all touches); the
 * stored-lookback path (rollups) stays the fast one. Candidates past the hot
 * window are read from the archive (its parts of the window's days, when any).
 */
import { sql } from 'kysely';
import type { Db } from '../db/client';
import { toStoredTouch, type StoredTouch } from '../db/attribution-touches';
import { shardedCandidateTouches } from '../db/shard-candidates';
import { isSharded, onEveryConversionShard } from '../db/shards';
import { narrowing, type CreditCell, type Dim, type RangeFilter } from '../db/report-dims';
import { attribute, selectCandidates } from '../domain/attribution';
import { netValue } from '../domain/refunds';
import type { AttributionModel } from '../domain/vocab';
import type { ArchiveReader } from './archive-reads';

interface ConversionFacts {
  id: string;
  occurredAt: number;
  day: string;
  hour: string;
  value: number | null;
  currency: string | null;
}

/** Credits of `model` with `lookbackDays`, grouped by `dims`, currency and day, like sumStoredCredits. */
export async function recomputeCredits(
  db: Db,
  model: AttributionModel,
  dims: readonly Dim[],
  filter: RangeFilter,
  lookbackDays: number,
  archive: ArchiveReader | null = null,
  /** Only these conversions (say, customers' first ones), when given. */
  only: ReadonlySet<string> | null = null,
): Promise<CreditCell[]> {
  if (filter.origin) throw new Error('a lookback override cannot be narrowed by origin');
  const conversions = (
    await onEveryConversionShard(db, (shard) =>
      shard
        .selectFrom('conversions')
        .select(['id', 'occurred_at', 'day', 'value', 'refunded', 'currency', 'click_id', 'promo_touch_id'])
        .where('day', '>=', filter.from)
        .where('day', '<=', filter.to)
        .execute(),
    )
  )
    .flat()
    .filter((row) => !only || only.has(row.id));
  if (conversions.length === 0) return [];
  const touchesOf = isSharded(db) ? await shardedCandidateTouches(db, filter, lookbackDays) : await candidateTouches(db, filter, lookbackDays);
  if (archive) await addArchivedCandidates(db, archive, conversions, filter, lookbackDays, touchesOf);

  const cells = new Map<string, CreditCell>();
  for (const row of conversions) {
    const conversion: ConversionFacts = {
      id: row.id,
      occurredAt: Date.parse(row.occurred_at),
      day: row.day,
      hour: row.occurred_at.slice(0, 13),
      value: netValue(row.value, row.refunded),
      currency: row.currency,
    };
    const candidates = selectCandidates(touchesOf.get(conversion.id) ?? [], conversion.occurredAt, lookbackDays);
    for (const credit of attribute(model, candidates, conversion.occurredAt, conversion.value)) {
      if (credit.weight === 0 || (filter.routed && !credit.route)) continue;
      const all: Record<Dim, string | null> = {
        day: conversion.day,
        hour: conversion.hour,
        channel: credit.channel,
        campaign_id: credit.campaignId,
        link_id: credit.linkId,
        device_class: credit.deviceClass,
        rule: credit.route?.rule ?? null,
        variant: credit.route?.variant ?? null,
        after_cap: credit.route ? (credit.route.afterCap ? '1' : '0') : null,
      };
      if (narrowing(filter).some(([dim, value]) => all[dim] !== value)) continue;
      const cellDims = Object.fromEntries(dims.map((dim) => [dim, all[dim]]));
      const key = JSON.stringify([cellDims, conversion.currency, conversion.day]);
      const cell = cells.get(key) ?? { dims: cellDims, currency: conversion.currency, day: conversion.day, conversions: 0, revenue: 0 };
      cell.conversions += credit.weight;
      cell.revenue += credit.revenue ?? 0;
      cells.set(key, cell);
    }
  }
  return [...cells.values()];
}

/** Touches of each conversion's visitors (and its click and promo touch), by conversion id. */
async function candidateTouches(db: Db, filter: RangeFilter, lookbackDays: number): Promise<Map<string, StoredTouch[]>> {
  const window = `-${lookbackDays} days`;
  const { rows } = await sql<Parameters<typeof toStoredTouch>[0] & { conversion_id: string }>`
    SELECT cv.conversion_id, t.id, t.type, t.occurred_at, t.channel, t.campaign_id, t.link_id, t.device_class, t.is_bot, t.visitor_id, t.rule, t.variant, t.after_cap
    FROM conversions c
    JOIN conversion_visitors cv ON cv.conversion_id = c.id
    JOIN touches t ON t.visitor_id = cv.visitor_id
      AND t.occurred_at >= strftime('%Y-%m-%dT%H:%M:%fZ', c.occurred_at, ${window})
      AND t.occurred_at <= c.occurred_at
      AND t.is_bot = 0
    WHERE c.day >= ${filter.from} AND c.day <= ${filter.to}
    UNION ALL
    SELECT c.id AS conversion_id, t.id, t.type, t.occurred_at, t.channel, t.campaign_id, t.link_id, t.device_class, t.is_bot, t.visitor_id, t.rule, t.variant, t.after_cap
    FROM conversions c
    JOIN touches t ON t.id IN (c.click_id, c.promo_touch_id)
    WHERE c.day >= ${filter.from} AND c.day <= ${filter.to}`.execute(db);
  const byConversion = new Map<string, StoredTouch[]>();
  for (const row of rows) {
    const list = byConversion.get(row.conversion_id) ?? [];
    list.push(toStoredTouch(row));
    byConversion.set(row.conversion_id, list);
  }
  return byConversion;
}

/**
 * Adds each conversion's archived candidates to `touchesOf`: archived touches
 * of its visitors (conversion_visitors), its click and its promo touch, from the
 * parts of the days its window can reach (selectCandidates then keeps those in
 * the window and drops bots).
 */
async function addArchivedCandidates(
  db: Db,
  archive: ArchiveReader,
  conversions: ReadonlyArray<{ id: string; click_id: string | null; promo_touch_id: string | null }>,
  filter: RangeFilter,
  lookbackDays: number,
  touchesOf: Map<string, StoredTouch[]>,
): Promise<void> {
  const fromDay = new Date(Date.parse(`${filter.from}T00:00:00Z`) - lookbackDays * 86_400_000).toISOString().slice(0, 10);
  if ((await archive.parts(fromDay, filter.to)).length === 0) return;
  const links = (
    await onEveryConversionShard(
      db,
      async (shard) =>
        (
          await sql<{ conversion_id: string; visitor_id: string }>`
            SELECT cv.conversion_id, cv.visitor_id FROM conversions c JOIN conversion_visitors cv ON cv.conversion_id = c.id
            WHERE c.day >= ${filter.from} AND c.day <= ${filter.to}`.execute(shard)
        ).rows,
    )
  ).flat();
  const byKey = new Map<string, string[]>();
  const link = (key: string, conversionId: string) => byKey.set(key, [...(byKey.get(key) ?? []), conversionId]);
  for (const row of links) link(`v:${row.visitor_id}`, row.conversion_id);
  for (const conversion of conversions) {
    for (const id of [conversion.click_id, conversion.promo_touch_id]) if (id) link(`t:${id}`, conversion.id);
  }
  const owners = (touch: { id: string; visitor_id: string | null }) => [
    ...(byKey.get(`t:${touch.id}`) ?? []),
    ...(touch.visitor_id ? (byKey.get(`v:${touch.visitor_id}`) ?? []) : []),
  ];
  const archived = await archive.touchesOfDays(fromDay, filter.to, (touch) => owners(touch).length > 0);
  for (const touch of archived) {
    for (const conversionId of owners(touch)) touchesOf.set(conversionId, [...(touchesOf.get(conversionId) ?? []), toStoredTouch(touch)]);
  }
}

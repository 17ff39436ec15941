/**
 * Conversion credits past the hot window live in R2 (ARCHIVE binding, schema/0029): the cron moves a conversion day
 * at a time, a part of whole conversions at a time, through the same reserve → write → read back → complete steps
 * as raw touches (archive-objects.ts), and the credit rollups keep every credit. Readers of one conversion's
 * credits (its detail, the answer to a repeated order) read the archive when D1 has none; writers (a refund, a
 * re-attribution) first bring an archived conversion's credits back to D1 (`restoreArchivedCredits`), where the
 * triggers move the rollups as for any conversion, and the cron archives them again.
 */
import type { Db } from '../db/client';
import { findCredits, type Conversion } from '../db/conversions';
import {
  archivedConversionsByIds,
  archivedCreditParts,
  completeCreditPart,
  creditPartState,
  creditPartsHolding,
  creditsOfDay,
  dropCreditReservation,
  nextCreditPartNumber,
  oldestCreditDayBefore,
  reserveCreditPart,
  restoreCreditStatements,
  settleCreditDay,
  staleCreditReservations,
  type ArchivedCredit,
} from '../db/credit-archive';
import { PATH_COLUMNS } from '../db/conversions';
import { onEveryConversionShard } from '../db/shards';
import type { LinkConversion } from '../db/campaign-page';
import type { ConversionCreditRow } from '../db/schema';
import { firstHotDay } from '../domain/archive';
import { CREDIT_PART_CONVERSIONS, creditArchiveKey } from '../domain/credit-archive';
import { ATTRIBUTION_MODELS, type AttributionModel } from '../domain/vocab';
import { toIso } from '../lib/time';
import { encodePart, partRecord, readPartRows, storeVerifiedPart } from './archive-objects';
import type { ArchiveRun, ArchivedPart } from './touch-archive';

/** Conversions newest first, as a link page lists them ((occurred_at, id) descending). */
export const newestFirst = (a: LinkConversion, b: LinkConversion): number =>
  a.occurredAt === b.occurredAt ? (a.id < b.id ? 1 : -1) : a.occurredAt < b.occurredAt ? 1 : -1;

/** Credit parts one cron run writes at most (about 5,000 conversions). */
export const CREDIT_PARTS_PER_RUN = 5;

/** How long a reservation may stay 'writing' before a later run takes it for abandoned (a run lasts seconds). */
const STALE_RESERVATION_MS = 15 * 60_000;

const creditKey = (row: ArchivedCredit): string => `${row.conversion_id}/${row.position}`;

/** Reserves, writes, checks and completes the next part of day `day`; null when D1 holds none of its credits. */
async function archiveNextCreditPart(db: Db, bucket: R2Bucket, day: string, now: number, shard: number): Promise<ArchivedPart | null> {
  const { gen, rows } = await creditsOfDay(db, day, CREDIT_PART_CONVERSIONS);
  if (rows.length === 0) return null;
  const part = await nextCreditPartNumber(db, day);
  const key = creditArchiveKey(day, part, shard);
  const encoded = await encodePart(PATH_COLUMNS, rows);
  const ids = [...new Set(rows.map((row) => row.conversion_id))];
  await storeVerifiedPart(bucket, key, rows, encoded, creditKey, {
    reserve: () => reserveCreditPart(db, { ...partRecord(day, part, key, rows.length, encoded, toIso(now)), first_id: ids[0], last_id: ids[ids.length - 1] }),
    drop: () => dropCreditReservation(db, key),
    complete: () => completeCreditPart(db, { key, day, gen, rows: rows.length }, ids),
    state: () => creditPartState(db, key),
  });
  return { key, rows: rows.length };
}

/**
 * Moves credits of conversions of days before the hot window to the archive, oldest day first, at most `maxParts`
 * parts; `db` is one conversion database (`shard` its index among conversionDbs: the main one, 0, unless conversions
 * are sharded), whose credits, part records and archived sums stay its own.
 */
export async function archiveDueCredits(
  db: Db,
  bucket: R2Bucket,
  hotDays: number,
  now: number,
  maxParts = CREDIT_PARTS_PER_RUN,
  shard = 0,
): Promise<ArchiveRun> {
  const beforeDay = firstHotDay(now, hotDays);
  const parts: ArchivedPart[] = [];
  const settled = new Set<string>();
  try {
    for (const key of await staleCreditReservations(db, toIso(now - STALE_RESERVATION_MS))) {
      await bucket.delete(key);
      await dropCreditReservation(db, key);
    }
    while (parts.length < maxParts) {
      const day = await oldestCreditDayBefore(db, beforeDay);
      if (!day || settled.has(day)) break;
      const part = await archiveNextCreditPart(db, bucket, day, now, shard);
      if (part) parts.push(part);
      else {
        // Its last conversions left: the day is forgotten, unless one arrived meanwhile (then the next run takes it).
        await settleCreditDay(db, day);
        settled.add(day);
      }
    }
  } catch (error) {
    console.error('archive: credit run stopped', error);
    return { parts, failure: error instanceof Error ? error.message : String(error) };
  }
  return { parts, failure: null };
}

/** The archived credit rows of `conversion` (none when it has none archived): those of the newest part holding it. */
async function archivedCreditRows(db: Db, bucket: R2Bucket, conversion: Pick<Conversion, 'id' | 'day'>): Promise<ArchivedCredit[]> {
  for (const key of await creditPartsHolding(db, conversion.day, conversion.id)) {
    const { rows } = await readPartRows<ArchivedCredit>(bucket, key);
    const own = rows.filter((row) => row.conversion_id === conversion.id);
    if (own.length > 0) return own;
  }
  return [];
}

/** Archived credit rows as the conversion_credits view shows them: one per model and candidate, in (model, position) order. */
function asViewRows(conversion: Conversion, rows: readonly ArchivedCredit[], model?: AttributionModel): ConversionCreditRow[] {
  const models = (model ? [model] : [...ATTRIBUTION_MODELS]).sort();
  return models.flatMap((name) =>
    rows.map((row) => {
      const { net, w_last_touch, w_first_touch, w_linear, w_time_decay, w_position, ...touch } = row;
      const weight = { last_touch: w_last_touch, first_touch: w_first_touch, linear: w_linear, time_decay: w_time_decay, position: w_position }[name];
      return {
        ...touch,
        model: name,
        weight,
        revenue: net === null ? null : weight * net,
        currency: conversion.currency,
        day: conversion.day,
        hour: conversion.occurred_at.slice(0, 13),
      };
    }),
  );
}

/** A conversion's stored credits (one model, or all) in (model, position) order: from D1, else from the archive in `bucket`. */
export async function storedCredits(db: Db, bucket: R2Bucket | null, conversion: Conversion, model?: AttributionModel): Promise<ConversionCreditRow[]> {
  const hot = await findCredits(db, conversion.id, model);
  if (hot.length > 0 || !bucket) return hot;
  return asViewRows(conversion, await archivedCreditRows(db, bucket, conversion), model);
}

/**
 * The statements that bring an archived conversion's credits back to D1, to run first in the batch of the write
 * that changes them (a refund, a re-attribution): the rollups hold them already and stay as they are; the cron
 * archives them again later. None when D1 holds its credits or none are archived.
 */
export async function restoreArchivedCredits(
  db: Db,
  bucket: R2Bucket | null | undefined,
  conversion: Pick<Conversion, 'id' | 'day'>,
): Promise<D1PreparedStatement[]> {
  if (!bucket || (await findCredits(db, conversion.id, 'linear')).length > 0) return [];
  return restoreCreditStatements(db, conversion.id, await archivedCreditRows(db, bucket, conversion));
}

/** Credit parts a link page reads at most for its archived days: the list stays quick, however long the range. */
const LINK_PAGE_PARTS = 40;

/**
 * The conversions of archived days in [from, to] credited to link `linkId` under `model`, newest first, at most
 * `limit`: read from the newest parts of those days, at most LINK_PAGE_PARTS of them (conversions whose credits are
 * back in D1 are D1's to list).
 */
export async function archivedLinkConversions(
  db: Db,
  bucket: R2Bucket,
  query: { linkId: string; model: AttributionModel; from: string; to: string },
  limit: number,
): Promise<LinkConversion[]> {
  // Every conversion shard's archive (the main database's alone unless conversions are sharded), newest first.
  const perShard = await onEveryConversionShard(db, (shard) => shardArchivedLinkConversions(shard, bucket, query, limit));
  return perShard.length === 1 ? perShard[0] : perShard.flat().sort(newestFirst).slice(0, limit);
}

async function shardArchivedLinkConversions(
  db: Db,
  bucket: R2Bucket,
  query: { linkId: string; model: AttributionModel; from: string; to: string },
  limit: number,
): Promise<LinkConversion[]> {
  const weightOf = (row: ArchivedCredit): number => row[`w_${query.model}`];
  const found = new Map<string, { weight: number; revenue: number | null }>();
  const seen = new Set<string>();
  let day: string | null = null;
  for (const part of await archivedCreditParts(db, query.from, query.to, LINK_PAGE_PARTS)) {
    // Whole days, newest first: once a day gives enough, older days cannot come before it.
    if (part.day !== day && found.size >= limit) break;
    day = part.day;
    const { rows } = await readPartRows<ArchivedCredit>(bucket, part.key);
    const inPart = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.conversion_id)) continue;
      inPart.add(row.conversion_id);
      if (row.link_id !== query.linkId || weightOf(row) <= 0) continue;
      const sum = found.get(row.conversion_id) ?? { weight: 0, revenue: null };
      sum.weight += weightOf(row);
      if (row.net !== null) sum.revenue = (sum.revenue ?? 0) + weightOf(row) * row.net;
      found.set(row.conversion_id, sum);
    }
    // A newer part holds a conversion's current credits: older parts of it are skipped.
    for (const id of inPart) seen.add(id);
  }
  const conversions = await archivedConversionsByIds(db, [...found.keys()]);
  return conversions
    .map((conversion) => ({
      id: conversion.id,
      type: conversion.type,
      occurredAt: conversion.occurred_at,
      value: conversion.value,
      currency: conversion.currency,
      ...found.get(conversion.id)!,
    }))
    .sort(newestFirst)
    .slice(0, limit);
}

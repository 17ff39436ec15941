/**
 * The journeys of a range, hot and archived (docs/DESIGN.md "Data-driven model", "Journeys past the hot window"):
 * converting journeys from the conversions' candidate paths — D1's conversion_paths, and for conversions whose
 * credits moved to R2 the newest archived credit part holding them — and every visitor's human touches of the range
 * — D1's hot touches and the archived parts of every touch shard, merged per visitor in (occurred_at, id) order.
 * A conversion's credits and a touch are each in exactly one place (D1 or one current part), so the merge is the
 * journeys the range had before anything was archived. Without an archive (no ARCHIVE binding) D1 alone.
 */
import { creditPartsOfDays, type ArchivedCredit } from '../db/credit-archive';
import type { Db } from '../db/client';
import {
  conversionsByIds,
  conversionsWithHotCredits,
  daysToConversion,
  endOfDay,
  hotConversionJourneys,
  humanTouchesOf,
  PATH_SEPARATOR,
  visitorPathsOn,
  visitorSequencesOn,
  type ConversionJourneyRow,
} from '../db/journeys';
import { sumRowsBy } from '../db/shard-merge';
import { conversionDbs, touchDbs } from '../db/shards';
import { touchOrder } from '../domain/archive';
import type { ArchiveReader } from './archive-reads';
import { readPartRows } from './archive-objects';

const journeyKey = (row: ConversionJourneyRow) => JSON.stringify([row.path, row.touches, row.days, row.currency, row.day]);

/**
 * Conversions of the UTC days [from, to] with a candidate touch, grouped by path, length, days from the first touch,
 * currency and day (with `campaignId`: those with a candidate touch of that campaign), from every conversion
 * database, hot and archived.
 */
export async function conversionJourneys(
  db: Db,
  archive: ArchiveReader | null,
  from: string,
  to: string,
  campaignId?: string,
): Promise<ConversionJourneyRow[]> {
  const perDb = await Promise.all(
    conversionDbs(db).map(async (database) => {
      const [hot, archived] = await Promise.all([
        hotConversionJourneys(database, from, to, campaignId),
        archive ? archivedConversionJourneys(database, archive.bucket, from, to, campaignId) : [],
      ]);
      return [...hot, ...archived];
    }),
  );
  return sumRowsBy(perDb.flat(), journeyKey, ['conversions', 'value']);
}

/** The converting journeys of archived credit parts of [from, to] on one conversion database (conversions whose credits D1 holds are D1's). */
async function archivedConversionJourneys(db: Db, bucket: R2Bucket, from: string, to: string, campaignId?: string): Promise<ConversionJourneyRow[]> {
  const parts = await creditPartsOfDays(db, from, to);
  if (parts.length === 0) return [];
  // Newest part first: the first part holding a conversion holds its current credits.
  const credits = new Map<string, ArchivedCredit[]>();
  for (const part of parts) {
    const inPart = new Map<string, ArchivedCredit[]>();
    for (const row of (await readPartRows<ArchivedCredit>(bucket, part.key)).rows) {
      if (credits.has(row.conversion_id)) continue;
      const rows = inPart.get(row.conversion_id) ?? [];
      rows.push(row);
      inPart.set(row.conversion_id, rows);
    }
    for (const [id, rows] of inPart) credits.set(id, rows);
  }
  const { conversions, hot } = await conversionsOfParts(db, [...credits.keys()]);
  const rows: ConversionJourneyRow[] = [];
  for (const conversion of conversions) {
    if (hot.has(conversion.id)) continue;
    const all = credits.get(conversion.id)!;
    if (campaignId && !all.some((row) => row.campaign_id === campaignId)) continue;
    const candidates = all.filter((row) => row.touch_id !== null).sort((a, b) => a.position - b.position);
    if (candidates.length === 0) continue;
    const times = candidates.flatMap((row) => (row.touch_at === null ? [] : [row.touch_at]));
    const firstTouchAt = times.length === 0 ? conversion.occurred_at : times.sort()[0];
    rows.push({
      path: candidates.map((row) => row.channel).join(PATH_SEPARATOR),
      touches: candidates.length,
      days: daysToConversion(conversion.occurred_at, firstTouchAt),
      currency: conversion.currency,
      day: conversion.day,
      conversions: 1,
      value: candidates.reduce((max, row) => (row.net !== null && row.net > max ? row.net : max), 0),
    });
  }
  return rows;
}

/** Conversion ids per statement: one bound JSON list, well under D1's 2 MB per value. */
const IDS_PER_READ = 5000;

/** The conversions `ids` (read from archived parts) and which of them have their credits back in D1, a slice at a time. */
async function conversionsOfParts(db: Db, ids: readonly string[]) {
  const conversions: Awaited<ReturnType<typeof conversionsByIds>> = [];
  const hot = new Set<string>();
  for (let start = 0; start < ids.length; start += IDS_PER_READ) {
    const slice = ids.slice(start, start + IDS_PER_READ);
    const [found, back] = await Promise.all([conversionsByIds(db, slice), conversionsWithHotCredits(db, slice)]);
    conversions.push(...found);
    for (const id of back) hot.add(id);
  }
  return { conversions, hot };
}

/** An archived human touch, as much of it as a journey needs. */
type Step = { occurred_at: string; id: string; channel: string };

/** Visitors by the channel sequence of their human touches in [from, to], every touch shard, hot and archived. */
export async function visitorPaths(db: Db, archive: ArchiveReader | null, from: string, to: string): Promise<Array<{ path: string; visitors: number }>> {
  const parts = archive ? await archive.parts(from, to) : [];
  const perShard = await Promise.all(
    touchDbs(db).map(async (shard, index) => {
      const own = parts.filter((part) => part.shard === index);
      return own.length === 0 || !archive ? visitorPathsOn(shard, from, to) : mergedVisitorPaths(shard, archive, own, from, to);
    }),
  );
  return sumRowsBy(perShard.flat(), (row) => row.path, ['visitors']);
}

/** Visitors to look up at once when their hot and archived touches interleave (one bound JSON list). */
const INTERLEAVED_PER_READ = 500;

/** One shard's visitor paths with its archived parts `parts` of the range merged in per visitor. */
async function mergedVisitorPaths(shard: Db, archive: ArchiveReader, parts: ReadonlyArray<{ key: string }>, from: string, to: string) {
  const archived = new Map<string, Step[]>();
  const until = endOfDay(to);
  for (const part of parts)
    for (const touch of await archive.readPart(part.key)) {
      if (touch.is_bot !== 0 || touch.visitor_id === null || touch.occurred_at < from || touch.occurred_at >= until) continue;
      const steps = archived.get(touch.visitor_id) ?? [];
      steps.push({ occurred_at: touch.occurred_at, id: touch.id, channel: touch.channel });
      archived.set(touch.visitor_id, steps);
    }
  for (const steps of archived.values()) steps.sort(touchOrder);
  const counts = new Map<string, number>();
  const count = (path: string) => counts.set(path, (counts.get(path) ?? 0) + 1);
  const channels = (steps: readonly Step[]) => steps.map((step) => step.channel).join(PATH_SEPARATOR);
  const interleaved: string[] = [];
  for (const hot of await visitorSequencesOn(shard, from, to)) {
    const steps = archived.get(hot.visitor_id);
    if (!steps) count(hot.path);
    // Archived touches all before the hot ones (the usual case: older days): the two sequences join.
    else if (steps[steps.length - 1].occurred_at < hot.first_at) {
      count(`${channels(steps)}${PATH_SEPARATOR}${hot.path}`);
      archived.delete(hot.visitor_id);
    } else interleaved.push(hot.visitor_id);
  }
  for (let start = 0; start < interleaved.length; start += INTERLEAVED_PER_READ) {
    const ids = interleaved.slice(start, start + INTERLEAVED_PER_READ);
    const hot = new Map<string, Step[]>();
    for (const touch of await humanTouchesOf(shard, ids, from, to)) {
      const steps = hot.get(touch.visitor_id) ?? [];
      steps.push(touch);
      hot.set(touch.visitor_id, steps);
    }
    for (const id of ids) {
      count(channels([...archived.get(id)!, ...(hot.get(id) ?? [])].sort(touchOrder)));
      archived.delete(id);
    }
  }
  for (const steps of archived.values()) count(channels(steps));
  return [...counts].map(([path, visitors]) => ({ path, visitors }));
}

/** One conversion as an analyst opens it: its candidate touches in path order, each with its weight under every model. */
import type { Db } from '../db/client';
import { findConversionAnywhere } from '../db/conversions';
import { findTouchTypes } from '../db/attribution-touches';
import { storedCredits } from './credit-archive';
import type { ArchiveReader } from './archive-reads';
import { ATTRIBUTION_MODELS, type AttributionModel } from '../domain/vocab';
import { toAttributionJson, type AttributionJson } from './record-conversion';

export interface PathTouch {
  id: string;
  type: string | null;
  occurred_at: string;
  channel: string;
  campaign_id: string | null;
  link_id: string | null;
  device_class: string | null;
  weights: Record<AttributionModel, number>;
}

export interface ConversionDetail {
  id: string;
  type: string;
  order_id: string | null;
  click_id: string | null;
  visitor_id: string | null;
  promo_code: string | null;
  value: number | null;
  currency: string | null;
  /** What refunds took back of value. */
  refunded: number;
  occurred_at: string;
  lookback_days: number;
  created_at: string;
  touches: PathTouch[];
  attribution: AttributionJson[];
}

/** Types of touches that left D1, read from the archived parts of their days. */
async function archivedTouchTypes(archive: ArchiveReader, touches: readonly PathTouch[]): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  const wanted = new Set(touches.map((touch) => touch.id));
  for (const day of [...new Set(touches.map((touch) => touch.occurred_at.slice(0, 10)))]) {
    for (const touch of await archive.touchesOfDays(day, day, (row) => wanted.has(row.id))) types.set(touch.id, touch.type);
  }
  return types;
}

/**
 * The conversion `id` with its touch path (from its stored credits), or null when there is none;
 * the types of touches past the hot window come from `archive`, credits that left D1 from `bucket`.
 */
export async function conversionDetail(
  db: Db,
  id: string,
  archive: ArchiveReader | null = null,
  bucket: R2Bucket | null = null,
): Promise<ConversionDetail | null> {
  const found = await findConversionAnywhere(db, id);
  if (!found) return null;
  const { conversion, home } = found;
  const credits = await storedCredits(home.db, bucket, conversion);
  const path = new Map<number, PathTouch>();
  for (const credit of credits) {
    if (credit.touch_id === null) continue;
    const touch = path.get(credit.position) ?? {
      id: credit.touch_id,
      type: null,
      occurred_at: credit.touch_at ?? '',
      channel: credit.channel,
      campaign_id: credit.campaign_id,
      link_id: credit.link_id,
      device_class: credit.device_class,
      weights: {} as Record<AttributionModel, number>,
    };
    touch.weights[credit.model] = credit.weight;
    path.set(credit.position, touch);
  }
  const touches = [...path.entries()].sort(([a], [b]) => a - b).map(([, touch]) => touch);
  const types = await findTouchTypes(
    db,
    touches.map((touch) => touch.id),
  );
  const archived = touches.filter((touch) => !types.has(touch.id) && touch.occurred_at !== '');
  if (archive && archived.length > 0) for (const [touchId, type] of await archivedTouchTypes(archive, archived)) types.set(touchId, type);
  for (const touch of touches) {
    touch.type = types.get(touch.id) ?? null;
    touch.weights = Object.fromEntries(ATTRIBUTION_MODELS.map((model) => [model, touch.weights[model] ?? 0])) as Record<AttributionModel, number>;
  }
  return {
    id: conversion.id,
    type: conversion.type,
    order_id: conversion.order_id,
    click_id: conversion.click_id,
    visitor_id: conversion.visitor_id,
    promo_code: conversion.promo_code,
    value: conversion.value,
    currency: conversion.currency,
    refunded: conversion.refunded,
    occurred_at: conversion.occurred_at,
    lookback_days: conversion.lookback_days,
    created_at: conversion.created_at,
    touches,
    attribution: toAttributionJson(credits.filter((credit) => credit.model === 'last_touch')),
  };
}

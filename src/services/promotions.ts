/** Creating a promotion (a vanity code or N generated ones): shared by the API and the dashboard. */
import type { Db } from '../db/client';
import { findPromoCodeById, pagePromoValues } from '../db/promo-codes';
import { normalisePrefix } from '../domain/codes';
import { defaultPromoChannel } from '../domain/promo';
import type { Channel } from '../domain/vocab';
import { findActiveCampaign } from './campaigns';
import { csvResponse, csvStream } from '../lib/csv';
import { ApiError, notFound } from '../lib/errors';
import { promoJson } from '../schemas/promo-codes';
import { createPromoCode } from './promo-codes';

export interface NewPromotion {
  campaign_id: string;
  code?: string;
  count?: number;
  prefix?: string;
  starts_at?: string | null;
  ends_at?: string | null;
  max_redemptions?: number | null;
  max_per_customer?: number | null;
  min_order_value?: number | null;
  discount?: string | null;
  channel?: Channel;
}

/** Refuses a validity window that does not end after it starts. */
export function checkPromoWindow(startsAt: string | null | undefined, endsAt: string | null | undefined): void {
  if (startsAt && endsAt && endsAt <= startsAt) throw new ApiError('validation_error', 'ends_at: must be after starts_at');
}

/** Creates the promotion of an active campaign; answers its JSON with the codes. */
export async function createPromotion(db: Db, input: NewPromotion, now: number) {
  if (!input.code === !input.count) throw new ApiError('validation_error', 'give either code (a vanity code) or count (generated unique codes)');
  if (input.code && input.prefix) throw new ApiError('validation_error', 'prefix: only for generated codes (count)');
  checkPromoWindow(input.starts_at, input.ends_at);
  const campaign = await findActiveCampaign(db, input.campaign_id);
  const id = await createPromoCode(
    db,
    {
      campaignId: campaign.id,
      code: input.code ?? null,
      count: input.count ?? 1,
      prefix: input.prefix ? normalisePrefix(input.prefix) : null,
      startsAt: input.starts_at ?? null,
      endsAt: input.ends_at ?? null,
      maxRedemptions: input.max_redemptions ?? null,
      maxPerCustomer: input.max_per_customer ?? null,
      minOrderValue: input.min_order_value ?? null,
      discount: input.discount ?? null,
      channel: input.channel ?? defaultPromoChannel(),
    },
    now,
  );
  const promo = (await findPromoCodeById(db, id))!;
  const codes = (await pagePromoValues(db, id, '', promo.count)).map((value) => value.code);
  return { ...promoJson(promo), codes };
}

const CSV_PAGE = 2_000;

/** A promotion's codes as CSV (code,promo_code_id,campaign_id,redemptions), streamed a page at a time. */
export async function promoCsvResponse(db: Db, id: string): Promise<Response> {
  const promo = await findPromoCodeById(db, id);
  if (!promo) throw notFound('Promo code');
  const stream = csvStream(['code', 'promo_code_id', 'campaign_id', 'redemptions'], '', async (after: string) => {
    const values = await pagePromoValues(db, promo.id, after, CSV_PAGE);
    return {
      rows: values.map((v) => [v.code, promo.id, promo.campaignId, v.redemptions]),
      next: values.length === CSV_PAGE ? values[values.length - 1].lookup : null,
    };
  });
  return csvResponse(`${promo.id}.csv`, stream, { 'Cache-Control': 'no-store' });
}

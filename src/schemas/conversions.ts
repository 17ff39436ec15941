/** Request and response schemas of /api/v1/conversions (one home for what the API accepts and answers). */
import { z } from '@hono/zod-openapi';
import { CONVERSION_TYPES } from '../domain/vocab';
import { isoDateTime } from './common';

/** ISO-4217 codes known to the runtime, when it can list them. */
export const KNOWN_CURRENCIES: ReadonlySet<string> | null = (() => {
  try {
    return new Set((Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('currency') ?? []);
  } catch {
    return null;
  }
})();

export const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code')
  .transform((code) => code.toUpperCase())
  .refine((code) => !KNOWN_CURRENCIES?.size || KNOWN_CURRENCIES.has(code), 'is not an ISO 4217 currency code');

export const conversionType = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, `must be ${CONVERSION_TYPES.join(' or ')}, or a custom name of letters, digits, "_.:-" (at most 64)`);

export const ref = (max: number) => z.string().trim().min(1).max(max);

export const ConversionInput = z
  .object({
    type: conversionType,
    order_id: ref(200).optional(),
    click_id: ref(64).optional(),
    visitor_id: ref(64).optional(),
    customer_ref: ref(200).optional(),
    promo_code: ref(64).optional(),
    value: z.number().finite().min(0).max(1e12).optional(),
    currency: currency.optional(),
    occurred_at: isoDateTime.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.value !== undefined && input.currency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'required when value is given' });
    }
    if (input.currency !== undefined && input.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'required when currency is given' });
    }
  })
  .openapi('ConversionInput');

export const AttributionSchema = z.object({ channel: z.string(), campaign_id: z.string().nullable(), link_id: z.string().nullable(), weight: z.number() });
export const RecordedSchema = z.object({ id: z.string(), attribution: z.array(AttributionSchema) }).openapi('RecordedConversion');

export const PathTouchSchema = z.object({
  id: z.string(),
  type: z.string().nullable(),
  occurred_at: z.string(),
  channel: z.string(),
  campaign_id: z.string().nullable(),
  link_id: z.string().nullable(),
  device_class: z.string().nullable(),
  weights: z.record(z.string(), z.number()),
});

export const ConversionSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    order_id: z.string().nullable(),
    click_id: z.string().nullable(),
    visitor_id: z.string().nullable(),
    promo_code: z.string().nullable(),
    value: z.number().nullable(),
    currency: z.string().nullable(),
    refunded: z.number().describe('What refunds took back of value; reports count value - refunded'),
    occurred_at: z.string(),
    lookback_days: z.number(),
    created_at: z.string(),
    touches: z.array(PathTouchSchema),
    attribution: z.array(AttributionSchema),
  })
  .openapi('Conversion');

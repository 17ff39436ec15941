/** `/api/v1/conversions`: the shop records leads and sales; analysts open one to see its touch path. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { CONVERSION_TYPES } from '../domain/vocab';
import { ApiError, notFound } from '../lib/errors';
import { authErrors, createRouter, IdParam, isoDateTime, jsonBody, jsonResponse, notFoundError } from '../lib/validation';
import { conversionDetail } from '../services/conversion-detail';
import { recordConversion } from '../services/record-conversion';

/** ISO-4217 codes known to the runtime, when it can list them. */
const KNOWN_CURRENCIES: ReadonlySet<string> | null = (() => {
  try {
    return new Set((Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('currency') ?? []);
  } catch {
    return null;
  }
})();

const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code')
  .transform((code) => code.toUpperCase())
  .refine((code) => !KNOWN_CURRENCIES?.size || KNOWN_CURRENCIES.has(code), 'is not an ISO 4217 currency code');

const conversionType = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, `must be ${CONVERSION_TYPES.join(' or ')}, or a custom name of letters, digits, "_.:-" (at most 64)`);

const ref = (max: number) => z.string().trim().min(1).max(max);

const ConversionInput = z
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

const AttributionSchema = z.object({ channel: z.string(), campaign_id: z.string().nullable(), link_id: z.string().nullable(), weight: z.number() });
const RecordedSchema = z.object({ id: z.string(), attribution: z.array(AttributionSchema) }).openapi('RecordedConversion');

const PathTouchSchema = z.object({
  id: z.string(),
  type: z.string().nullable(),
  occurred_at: z.string(),
  channel: z.string(),
  campaign_id: z.string().nullable(),
  link_id: z.string().nullable(),
  device_class: z.string().nullable(),
  weights: z.record(z.string(), z.number()),
});

const ConversionSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    order_id: z.string().nullable(),
    click_id: z.string().nullable(),
    visitor_id: z.string().nullable(),
    promo_code: z.string().nullable(),
    value: z.number().nullable(),
    currency: z.string().nullable(),
    occurred_at: z.string(),
    lookback_days: z.number(),
    created_at: z.string(),
    touches: z.array(PathTouchSchema),
    attribution: z.array(AttributionSchema),
  })
  .openapi('Conversion');


export const conversions = createRouter();

conversions.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['conversions'],
    ...guarded('conversions:write'),
    request: jsonBody(ConversionInput),
    responses: {
      201: jsonResponse(RecordedSchema, 'Recorded, with its last-touch attribution'),
      200: jsonResponse(RecordedSchema, 'This order_id was already recorded: the first result'),
      ...authErrors,
    },
  }),
  async (c) => {
    const input = c.req.valid('json');
    const now = c.var.now();
    const occurredAt = input.occurred_at ? Date.parse(input.occurred_at) : now;
    if (occurredAt > now) throw new ApiError('validation_error', 'occurred_at: must not be in the future');
    const recorded = await recordConversion(
      c.var.db,
      c.env,
      {
        type: input.type,
        orderId: input.order_id ?? null,
        clickId: input.click_id ?? null,
        visitorId: input.visitor_id ?? null,
        customerRef: input.customer_ref ?? null,
        promoCode: input.promo_code ?? null,
        value: input.value ?? null,
        currency: input.currency ?? null,
        occurredAt,
      },
      now,
    );
    return c.json({ id: recorded.id, attribution: recorded.attribution }, recorded.created ? 201 : 200);
  },
);

conversions.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['conversions'],
    ...guarded('reports:read', 'conversions:write'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(ConversionSchema, 'The conversion, its candidate touches in order and their weights per model'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const detail = await conversionDetail(c.var.db, c.req.valid('param').id);
    if (!detail) throw notFound('Conversion');
    return c.json(detail, 200);
  },
);

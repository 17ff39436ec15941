/** A conversion as the API accepts it (JSON or an imported CSV row), turned into what the conversion service records. */
import type { z } from '@hono/zod-openapi';
import { ApiError } from '../lib/errors';
import type { ConversionInput as ConversionBody } from '../schemas/conversions';
import type { ConversionInput } from './record-conversion';

/** The service's input for `body` received at `now`; refuses an occurred_at in the future. */
export function conversionInputOf(body: z.infer<typeof ConversionBody>, now: number): ConversionInput {
  const occurredAt = body.occurred_at ? Date.parse(body.occurred_at) : now;
  if (occurredAt > now) throw new ApiError('validation_error', 'occurred_at: must not be in the future');
  return {
    type: body.type,
    orderId: body.order_id ?? null,
    clickId: body.click_id ?? null,
    visitorId: body.visitor_id ?? null,
    customerRef: body.customer_ref ?? null,
    promoCode: body.promo_code ?? null,
    value: body.value ?? null,
    currency: body.currency ?? null,
    occurredAt,
  };
}

/** Request and response schemas of /api/v1/settings and /api/v1/exchange-rates. */
import { z } from '@hono/zod-openapi';
import { KNOWN_CURRENCIES } from './conversions';
import { reportDay } from './reports';

/** Most rates one request (JSON or CSV) may store. */
export const MAX_RATES_PER_REQUEST = 5000;

/** An ISO 4217 code in capitals, as stored. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'must be a three-letter ISO 4217 code in capitals, like EUR', abort: true })
  .refine((code) => !KNOWN_CURRENCIES?.size || KNOWN_CURRENCIES.has(code), 'is not an ISO 4217 currency code');

export const rateValue = z
  .number()
  .finite()
  .gt(0, 'must be greater than 0')
  .max(1e9, 'must be at most 1000000000')
  .openapi({ description: '1 unit of `currency` is worth `rate` units of the reporting currency on `day`' });

export const SettingsSchema = z.object({ reporting_currency: currencyCode }).openapi('Settings');
export const SettingsPatch = z.object({ reporting_currency: currencyCode }).strict().openapi('SettingsPatch');

export const RateInput = z.object({ currency: currencyCode, day: reportDay, rate: rateValue }).strict().openapi('ExchangeRateInput');
export const RatesInput = z
  .object({ rates: z.array(RateInput).min(1).max(MAX_RATES_PER_REQUEST) })
  .strict()
  .openapi('ExchangeRatesInput');

export const RateSchema = z.object({ currency: z.string(), day: z.string(), rate: z.number() }).openapi('ExchangeRate');
export const RateListSchema = z
  .object({
    base: z.string().openapi({ description: 'The reporting currency the rates convert into' }),
    data: z.array(RateSchema),
    next_cursor: z.string().nullable(),
  })
  .openapi('ExchangeRateList');
export const SavedRatesSchema = z.object({ base: z.string(), saved: z.number() }).openapi('SavedExchangeRates');

export const RateListQuery = z.object({
  currency: currencyCode.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^[A-Z]{3}:\d{4}-\d{2}-\d{2}$/, 'must be a next_cursor of this list')
    .optional(),
});

export const RateParams = z.object({ currency: currencyCode, day: reportDay });

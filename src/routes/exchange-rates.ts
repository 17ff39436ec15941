/** `/api/v1/exchange-rates`: dated rates into the reporting currency, entered as JSON or uploaded as CSV. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { ApiError, notFound } from '../lib/errors';
import { createRouter } from '../lib/validation';
import { authErrors, errorResponse, jsonBody, jsonResponse, notFoundError } from '../schemas/common';
import { RateListQuery, RateListSchema, RateParams, RatesInput, SavedRatesSchema } from '../schemas/exchange-rates';
import { importRatesCsv, listRates, removeRate, saveRates } from '../services/exchange-rates';

/** Largest CSV upload read. */
const MAX_CSV_BYTES = 1_000_000;

export const exchangeRates = createRouter();

exchangeRates.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['exchange-rates'],
    ...guarded('reports:read'),
    request: { query: RateListQuery },
    responses: { 200: jsonResponse(RateListSchema, 'Rates into the reporting currency, by currency, newest day first'), ...authErrors },
  }),
  async (c) => c.json(await listRates(c.var.db, c.req.valid('query')), 200),
);

exchangeRates.openapi(
  createRoute({
    method: 'put',
    path: '/',
    tags: ['exchange-rates'],
    ...guarded('admin'),
    request: jsonBody(RatesInput),
    responses: {
      200: jsonResponse(SavedRatesSchema, 'Stored (a rate of the same currency and day is replaced); all of them or none'),
      ...authErrors,
    },
  }),
  async (c) => c.json(await saveRates(c.var.db, c.req.valid('json').rates), 200),
);

exchangeRates.openapi(
  createRoute({
    method: 'post',
    path: '/import',
    tags: ['exchange-rates'],
    ...guarded('admin'),
    request: {
      body: {
        content: { 'text/csv': { schema: z.string().openapi({ example: 'day,currency,rate\n2026-03-01,USD,0.9\n' }) } },
        required: true,
        description: 'A header naming day, currency and rate, then one rate a line; `;` as separator (with decimal commas) is read too',
      },
    },
    responses: {
      200: jsonResponse(SavedRatesSchema, 'Every line stored; when any line is wrong, none is and the 400 names each bad line'),
      ...authErrors,
      415: errorResponse('unsupported_media_type: the body is not text/csv'),
    },
  }),
  async (c) => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'text/csv' && type !== 'text/plain') throw new ApiError('unsupported_media_type', 'Content-Type: send the rates as text/csv');
    const text = await c.req.text();
    if (text.length > MAX_CSV_BYTES) throw new ApiError('validation_error', `body: at most ${MAX_CSV_BYTES} bytes of CSV`);
    return c.json(await importRatesCsv(c.var.db, text), 200);
  },
);

exchangeRates.openapi(
  createRoute({
    method: 'delete',
    path: '/{currency}/{day}',
    tags: ['exchange-rates'],
    ...guarded('admin'),
    request: { params: RateParams },
    responses: { 204: { description: 'Deleted' }, ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const { currency, day } = c.req.valid('param');
    if (!(await removeRate(c.var.db, currency, day))) throw notFound('Exchange rate');
    return c.body(null, 204);
  },
);

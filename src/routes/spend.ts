/**
 * `/api/v1/spend`: a day's cost per campaign or channel. Analysts and marketers
 * enter it (scope links:write, as for the campaigns it pays for); reading it
 * takes reports:read, as the reports it feeds.
 */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { createRouter } from '../lib/validation';
import { authErrors, jsonBody, jsonResponse, notFoundError } from '../schemas/common';
import { csvBody, importErrors } from '../schemas/imports';
import { resolveRange } from '../schemas/reports';
import { MAX_SPEND_PER_REQUEST, SavedSpendSchema, SPEND_IMPORT_COLUMNS, SpendBody, SpendListQuery, SpendListSchema, SpendParams } from '../schemas/spend';
import { readCsvBody } from '../services/import-table';
import { importSpendCsv, listSpend, removeSpend, saveSpend } from '../services/spend';

export const spend = createRouter();

spend.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['spend'],
    ...guarded('reports:read'),
    request: { query: SpendListQuery },
    responses: { 200: jsonResponse(SpendListSchema, 'Spend entries of the range (default: the last 30 days), by day'), ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const { from, to } = resolveRange(query, c.var.now());
    return c.json(await listSpend(c.var.db, { ...query, from, to }), 200);
  },
);

spend.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['spend'],
    ...guarded('links:write'),
    request: jsonBody(SpendBody),
    responses: {
      200: jsonResponse(
        SavedSpendSchema,
        'Stored, all or none: an entry of the same day and campaign (or channel) is replaced (amount and currency), keeping its id',
      ),
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => c.json(await saveSpend(c.var.db, c.req.valid('json').spend, c.var.now()), 200),
);

spend.openapi(
  createRoute({
    method: 'post',
    path: '/import',
    tags: ['spend'],
    ...guarded('links:write'),
    request: csvBody(SPEND_IMPORT_COLUMNS, MAX_SPEND_PER_REQUEST),
    responses: {
      200: jsonResponse(SavedSpendSchema, 'Every line stored (same rule as POST); when any line is wrong, none is and the 400 names each bad line'),
      ...authErrors,
      ...notFoundError,
      ...importErrors,
    },
  }),
  async (c) => c.json(await importSpendCsv(c.var.db, await readCsvBody(c.req.raw), c.var.now()), 200),
);

spend.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['spend'],
    ...guarded('links:write'),
    request: { params: SpendParams },
    responses: { 204: { description: 'Deleted' }, ...authErrors, ...notFoundError },
  }),
  async (c) => {
    await removeSpend(c.var.db, c.req.valid('param').id);
    return c.body(null, 204);
  },
);

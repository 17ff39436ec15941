/** `/api/v1/conversions`: the shop records leads and sales; analysts open one to see its touch path. */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { notFound } from '../lib/errors';
import { createRouter } from '../lib/validation';
import { authErrors, IdParam, jsonBody, jsonResponse, notFoundError } from '../schemas/common';
import { ArchiveReader } from '../services/archive-reads';
import { conversionDetail } from '../services/conversion-detail';
import { conversionInputOf } from '../services/conversion-input';
import { recordConversion } from '../services/record-conversion';
import { ConversionInput, RecordedSchema, ConversionSchema } from '../schemas/conversions';

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
    const now = c.var.now();
    const recorded = await recordConversion(c.var.db, c.env, conversionInputOf(c.req.valid('json'), now), now);
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
    responses: {
      200: jsonResponse(ConversionSchema, 'The conversion, its candidate touches in order and their weights per model'),
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const bucket = c.env.ARCHIVE ?? null;
    const detail = await conversionDetail(c.var.db, c.req.valid('param').id, bucket ? new ArchiveReader(c.var.db, bucket) : null, bucket);
    if (!detail) throw notFound('Conversion');
    return c.json(detail, 200);
  },
);

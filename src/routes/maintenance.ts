/** `/api/v1/maintenance`: admin jobs over stored data. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { ApiError } from '../lib/errors';
import { authErrors, createRouter, jsonBody, jsonResponse } from '../lib/validation';
import { reclassifyEvents } from '../services/reclassify';

const day = z.iso.date();

const ReclassifyInput = z
  .object({ from: day.optional(), to: day.optional() })
  .strict()
  .openapi('ReclassifyInput');

const ReclassifyResultSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    touches_checked: z.number(),
    touches_changed: z.number(),
    scanner_bursts_flagged: z.number(),
    opens_checked: z.number(),
    opens_changed: z.number(),
  })
  .openapi('ReclassifyResult');

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();

export const maintenance = createRouter();

maintenance.openapi(
  createRoute({
    method: 'post',
    path: '/reclassify',
    tags: ['maintenance'],
    ...guarded('admin'),
    request: jsonBody(ReclassifyInput),
    responses: { 200: jsonResponse(ReclassifyResultSchema, 'What the current rules changed'), ...authErrors },
  }),
  async (c) => {
    const { from, to } = c.req.valid('json');
    if (from && to && to < from) throw new ApiError('validation_error', 'to: must not be before from');
    const range = { from: from ? `${from}T00:00:00.000Z` : '', to: to ? nextDay(to) : '9999' };
    const result = await reclassifyEvents(c.var.db, range);
    return c.json({ from: from ?? null, to: to ?? null, ...result }, 200);
  },
);

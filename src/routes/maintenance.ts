/** `/api/v1/maintenance`: admin jobs over stored data, writing this isolate's pending rows before a stop, and dead-lettered touches. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { ApiError } from '../lib/errors';
import { plural } from '../lib/plural';
import { createRouter } from '../lib/validation';
import { authErrors, errorResponse, jsonBody, jsonResponse } from '../schemas/common';
import { refuseTouchesFor } from '../services/touch-recorder';
import { flushPendingRows } from '../services/pending-rows';
import { reclassifyEvents } from '../services/reclassify';
import { countDeadLetters, REPLAY_OBJECTS_PER_CALL, replayDeadLetters } from '../services/dead-letters';
import { DeadLettersSchema, ReclassifyInput, ReclassifyResultSchema, ReplayDeadLettersResultSchema } from '../schemas/maintenance';

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

const FlushQuery = z.object({
  timeout_seconds: z.coerce.number().int().min(1).max(120).optional().openapi({ description: 'How long to keep writing before answering 503 (default 25)' }),
  stopping: z.enum(['true', 'false']).optional().openapi({
    description:
      '"true": the process stops next; for 60 s new redirects of this isolate answer 503 with Retry-After instead of acknowledging a visit the stop could lose',
  }),
});

/** How long a stopping isolate refuses new visits (wrangler is normally gone within a second). */
const STOPPING_SECONDS = 60;

const PendingCounts = z.object({ written: z.number(), pending: z.number() });
const FlushResultSchema = z.object({ touches: PendingCounts, code_entries: PendingCounts }).openapi('FlushResult');

maintenance.openapi(
  createRoute({
    method: 'post',
    path: '/flush',
    tags: ['maintenance'],
    summary: 'Write every row this isolate still holds (touches, code entries); for a graceful stop',
    ...guarded('admin'),
    request: { query: FlushQuery },
    responses: {
      200: jsonResponse(FlushResultSchema, 'Nothing is pending any more: rows written during this call, and 0 pending'),
      ...authErrors,
      503: errorResponse('unavailable: rows are still pending at the timeout (D1 is failing)'),
    },
  }),
  async (c) => {
    const { timeout_seconds: timeoutSeconds = 25, stopping } = c.req.valid('query');
    if (stopping === 'true') refuseTouchesFor(STOPPING_SECONDS);
    const result = await flushPendingRows(c.env, timeoutSeconds * 1000);
    if (!result.done) {
      const message = `${result.touches.pending} touches and ${result.code_entries.pending} code entries are still pending after ${timeoutSeconds} s; try again`;
      throw new ApiError('unavailable', message, { 'Retry-After': '5' });
    }
    return c.json({ touches: result.touches, code_entries: result.code_entries }, 200);
  },
);

maintenance.openapi(
  createRoute({
    method: 'get',
    path: '/dead-letters',
    tags: ['maintenance'],
    summary: 'Touches the touch queue gave up on (kept in R2 under dead-letters/), waiting for a replay',
    ...guarded('admin'),
    responses: { 200: jsonResponse(DeadLettersSchema, 'Dead-letter objects and the touches they hold'), ...authErrors },
  }),
  async (c) => c.json(await countDeadLetters(c.env.ARCHIVE), 200),
);

maintenance.openapi(
  createRoute({
    method: 'post',
    path: '/replay-dead-letters',
    tags: ['maintenance'],
    summary: `Write dead-lettered touches to D1 (up to ${REPLAY_OBJECTS_PER_CALL} objects a call, oldest first); each object is deleted once its touches are stored`,
    description: 'Idempotent: a touch already stored (same id) is skipped, so replaying an object twice counts its touches once.',
    ...guarded('admin'),
    responses: {
      200: jsonResponse(ReplayDeadLettersResultSchema, 'Replayed and remaining objects; call again while objects remain'),
      ...authErrors,
      503: errorResponse('unavailable: D1 refused a replayed object; it and every later one are kept'),
    },
  }),
  async (c) => {
    const { replayed, remaining, failedKey } = await replayDeadLetters(c.env);
    if (failedKey) {
      const objects = (n: number) => plural('en', n, { one: '{n} object', other: '{n} objects' });
      const touches = (n: number) => plural('en', n, { one: '{n} touch', other: '{n} touches' });
      const message = `D1 refused the touches of ${failedKey}, so it was kept; replayed before it: ${objects(replayed.objects)}; waiting: ${objects(remaining.objects)} (${touches(remaining.touches)}); try again`;
      throw new ApiError('unavailable', message, { 'Retry-After': '30' });
    }
    return c.json({ replayed, remaining }, 200);
  },
);

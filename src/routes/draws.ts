/** `/api/v1/draws`: prize draws — an admin creates and runs them; loyalty:read sees them and their entries. */
import { createRoute, z } from '@hono/zod-openapi';
import { guarded } from './guard';
import { createRouter } from '../lib/validation';
import { authErrors, conflictError, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { DrawEntriesSchema, DrawInput, DrawResultSchema, DrawSchema } from '../schemas/draws';
import { createDraw, drawEntriesCsv, drawEntriesPage, drawJson, listDrawsJson, runDraw, showDraw } from '../services/draws';

export const draws = createRouter();

draws.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['draws'],
    ...guarded('admin'),
    request: jsonBody(DrawInput),
    responses: { 201: jsonResponse(DrawSchema, 'The draw, with the SHA-256 of its secret seed'), ...authErrors, ...notFoundError },
  }),
  async (c) => {
    const now = c.var.now();
    return c.json(drawJson(await createDraw(c.var.db, c.req.valid('json'), now), [], now), 201);
  },
);

draws.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['draws'],
    ...guarded('loyalty:read'),
    request: { query: PageQuery },
    responses: { 200: jsonResponse(listOf(DrawSchema), 'Draws, newest first'), ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid('query');
    return c.json(await listDrawsJson(c.var.db, { limit: query.limit, cursor: query.cursor }, c.var.now()), 200);
  },
);

draws.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['draws'],
    ...guarded('loyalty:read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(DrawSchema, 'The draw; its seed and winners once it has run'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(await showDraw(c.var.db, c.req.valid('param').id, c.var.now()), 200),
);

draws.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/entries',
    tags: ['draws'],
    ...guarded('loyalty:read'),
    request: { params: IdParam, query: PageQuery.extend({ format: z.enum(['json', 'csv']).default('json') }) },
    responses: {
      200: {
        content: { 'application/json': { schema: DrawEntriesSchema }, 'text/csv': { schema: z.string() } },
        description: 'The entries by entry id: live before the run, what it drew from after; CSV: every entry (entry_id, member_id, occurred_at)',
      },
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    if (query.format === 'csv') return (await drawEntriesCsv(c.var.db, id)) as never;
    return c.json(await drawEntriesPage(c.var.db, id, { limit: query.limit, cursor: query.cursor }), 200);
  },
);

draws.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/run',
    tags: ['draws'],
    ...guarded('admin'),
    request: { params: IdParam },
    responses: {
      200: jsonResponse(DrawResultSchema, 'The winners and the revealed seed (the same on every run)'),
      ...authErrors,
      ...notFoundError,
      ...conflictError,
    },
  }),
  async (c) => c.json(await runDraw(c.var.db, c.req.valid('param').id, c.var.now()), 200),
);

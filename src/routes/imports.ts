/** `/api/v1/imports`: bulk links and historic orders from a CSV file, with a result per row. */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { createRouter } from '../lib/validation';
import { authErrors, jsonResponse } from '../schemas/common';
import {
  CONVERSION_IMPORT_COLUMNS,
  csvBody,
  importErrors,
  importResult,
  ImportResultSchema,
  LINK_IMPORT_COLUMNS,
  MAX_CONVERSION_IMPORT_ROWS,
  MAX_LINK_IMPORT_ROWS,
} from '../schemas/imports';
import { importConversions } from '../services/import-conversions';
import { importLinks } from '../services/import-links';
import { importTable, readCsvBody } from '../services/import-table';

export const imports = createRouter();

imports.openapi(
  createRoute({
    method: 'post',
    path: '/links',
    tags: ['imports'],
    ...guarded('links:write'),
    request: csvBody(LINK_IMPORT_COLUMNS, MAX_LINK_IMPORT_ROWS),
    responses: {
      200: jsonResponse(ImportResultSchema, 'One result per row: created, duplicate (an identical link exists) or failed (with the reason)'),
      ...authErrors,
      ...importErrors,
    },
  }),
  async (c) => {
    const rows = importTable(await readCsvBody(c.req.raw), LINK_IMPORT_COLUMNS, MAX_LINK_IMPORT_ROWS);
    return c.json(importResult(await importLinks(c.var.db, rows, c.var.now())), 200);
  },
);

imports.openapi(
  createRoute({
    method: 'post',
    path: '/conversions',
    tags: ['imports'],
    ...guarded('conversions:write'),
    request: csvBody(CONVERSION_IMPORT_COLUMNS, MAX_CONVERSION_IMPORT_ROWS),
    responses: {
      200: jsonResponse(ImportResultSchema, 'One result per row: created, duplicate (order_id recorded before) or failed (with the reason)'),
      ...authErrors,
      ...importErrors,
    },
  }),
  async (c) => {
    const rows = importTable(await readCsvBody(c.req.raw), CONVERSION_IMPORT_COLUMNS, MAX_CONVERSION_IMPORT_ROWS);
    return c.json(importResult(await importConversions(c.var.db, c.env, rows, c.var.now())), 200);
  },
);

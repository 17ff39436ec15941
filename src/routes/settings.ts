/** `/api/v1/settings`: the reporting currency reports convert money into. */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { createRouter } from '../lib/validation';
import { authErrors, jsonBody, jsonResponse } from '../schemas/common';
import { SettingsPatch, SettingsSchema } from '../schemas/exchange-rates';
import { reportingCurrency, setReportingCurrency } from '../services/exchange-rates';

export const settings = createRouter();

settings.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['settings'],
    ...guarded('reports:read'),
    responses: { 200: jsonResponse(SettingsSchema, 'The settings; reporting_currency is EUR until set'), ...authErrors },
  }),
  async (c) => c.json({ reporting_currency: await reportingCurrency(c.var.db) }, 200),
);

settings.openapi(
  createRoute({
    method: 'patch',
    path: '/',
    tags: ['settings'],
    ...guarded('admin'),
    request: jsonBody(SettingsPatch),
    responses: { 200: jsonResponse(SettingsSchema, 'The settings after the change'), ...authErrors },
  }),
  async (c) => c.json(await setReportingCurrency(c.var.db, c.req.valid('json').reporting_currency), 200),
);

/** `/api/v1/domains`: branded hostnames for short links (attach, list, read, remove) and their app-link files. */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { listDomains } from '../db/domains';
import { createRouter } from '../lib/validation';
import { authErrors, conflictError, errorResponse, IdParam, jsonBody, jsonResponse, listOf, notFoundError, PageQuery } from '../schemas/common';
import { AppLinksInput, DomainInput, DomainSchema, domainJson } from '../schemas/domains';
import { addDomain, getDomain, removeDomain, setAppLinks } from '../services/domains';

export const domains = createRouter();

domains.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['domains'],
    ...guarded('links:write'),
    request: jsonBody(DomainInput),
    responses: {
      201: jsonResponse(DomainSchema, 'The attached domain; point its DNS at the Worker (README: Branded domains)'),
      ...authErrors,
      409: errorResponse('conflict: the hostname is attached already'),
      422: errorResponse("unprocessable: the hostname is the installation's own host"),
    },
  }),
  async (c) => c.json(domainJson(await addDomain(c.var.db, c.env, c.req.valid('json').hostname, c.var.now())), 201),
);

domains.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['domains'],
    ...guarded('links:write', 'reports:read'),
    request: { query: PageQuery },
    responses: { 200: jsonResponse(listOf(DomainSchema), 'Domains, newest first'), ...authErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await listDomains(c.var.db, limit, cursor);
    return c.json({ data: page.items.map(domainJson), next_cursor: page.nextCursor }, 200);
  },
);

domains.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['domains'],
    ...guarded('links:write', 'reports:read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(DomainSchema, 'The domain'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(domainJson(await getDomain(c.var.db, c.req.valid('param').id)), 200),
);

domains.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['domains'],
    ...guarded('links:write'),
    request: { params: IdParam },
    responses: { 204: { description: 'Removed; its host answers 404 from now on' }, ...authErrors, ...notFoundError, ...conflictError },
  }),
  async (c) => {
    await removeDomain(c.var.db, c.req.valid('param').id);
    return c.body(null, 204);
  },
);

domains.openapi(
  createRoute({
    method: 'put',
    path: '/{id}/app-links',
    tags: ['domains'],
    ...guarded('links:write'),
    request: { params: IdParam, ...jsonBody(AppLinksInput) },
    responses: {
      200: jsonResponse(DomainSchema, 'The domain; /.well-known/apple-app-site-association and /.well-known/assetlinks.json on its host follow'),
      ...authErrors,
      ...notFoundError,
    },
  }),
  async (c) => {
    const { apple, android } = c.req.valid('json');
    return c.json(domainJson(await setAppLinks(c.var.db, c.req.valid('param').id, apple, android, c.var.now())), 200);
  },
);

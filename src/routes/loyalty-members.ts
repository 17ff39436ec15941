/** `/api/v1/loyalty/members/:customer_ref`: a member's figures and history (loyalty:read), and their wallet link (loyalty:write). */
import { createRoute } from '@hono/zod-openapi';
import { guarded } from './guard';
import { publicOrigin } from '../lib/origin';
import { createRouter } from '../lib/validation';
import { authErrors, jsonResponse, notFoundError } from '../schemas/common';
import { CustomerRefParam, HistoryQuery, HistorySchema, MemberSchema, WalletLinkSchema } from '../schemas/loyalty-members';
import { memberHistory, memberOverview, revokeWalletLinks, walletLinkOf } from '../services/loyalty-members';

export const loyaltyMembers = createRouter();

loyaltyMembers.openapi(
  createRoute({
    method: 'get',
    path: '/{customer_ref}',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    request: { params: CustomerRefParam },
    responses: { 200: jsonResponse(MemberSchema, 'The member: balance, pending points, debt, tier and wallet link'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(await memberOverview(c.var.db, c.env, publicOrigin(c), c.req.valid('param').customer_ref, c.var.now()), 200),
);

loyaltyMembers.openapi(
  createRoute({
    method: 'get',
    path: '/{customer_ref}/history',
    tags: ['loyalty'],
    ...guarded('loyalty:read'),
    request: { params: CustomerRefParam, query: HistoryQuery },
    responses: { 200: jsonResponse(HistorySchema, "The member's ledger, newest first"), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json(await memberHistory(c.var.db, c.env, c.req.valid('param').customer_ref, c.req.valid('query'), c.var.now()), 200),
);

loyaltyMembers.openapi(
  createRoute({
    method: 'post',
    path: '/{customer_ref}/wallet-link',
    tags: ['loyalty'],
    ...guarded('loyalty:write'),
    request: { params: CustomerRefParam },
    responses: { 200: jsonResponse(WalletLinkSchema, "The member's wallet link, to send to them"), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json({ wallet_url: await walletLinkOf(c.var.db, c.env, publicOrigin(c), c.req.valid('param').customer_ref, c.var.now()) }, 200),
);

loyaltyMembers.openapi(
  createRoute({
    method: 'post',
    path: '/{customer_ref}/wallet-link/revoke',
    tags: ['loyalty'],
    ...guarded('loyalty:write'),
    request: { params: CustomerRefParam },
    responses: { 200: jsonResponse(WalletLinkSchema, 'Every earlier link is revoked; this is the new one'), ...authErrors, ...notFoundError },
  }),
  async (c) => c.json({ wallet_url: await revokeWalletLinks(c.var.db, c.env, publicOrigin(c), c.req.valid('param').customer_ref) }, 200),
);

/** Request and response schemas of /api/v1/loyalty/members. */
import { z } from '@hono/zod-openapi';
import { LEDGER_KINDS, LEDGER_SOURCES } from '../domain/vocab';

export const CustomerRefParam = z.object({
  customer_ref: z
    .string()
    .min(1)
    .max(200)
    .openapi({
      param: { name: 'customer_ref', in: 'path' },
      description: "The shop's customer reference, as sent with events (URL-encoded); only its keyed hash is looked up",
    }),
});

export const MemberSchema = z
  .object({
    member_id: z.string(),
    balance: z.number().describe('Points available to spend'),
    pending: z.number().describe('Points waiting out the return window'),
    debt: z.number().describe('Points refunds took back after they were spent; later earnings pay it first'),
    tier: z.string().nullable().describe('The tier the points of the last 12 months reach; null without tiers'),
    points_12m: z.number(),
    wallet_url: z.string().describe("The member's wallet page (signed link, valid until revoked)"),
  })
  .openapi('LoyaltyMember');

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .max(100)
    .regex(/^\d{4}-\d{2}-\d{2}T[0-9:.]+Z~[A-Za-z0-9_]+$/, 'must be a next_cursor of this list')
    .optional(),
});

export const HistoryEntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(LEDGER_KINDS),
    source: z.enum(LEDGER_SOURCES),
    points: z.number().describe('Change to the available balance'),
    pending: z.number().describe('Change to the pending points'),
    debt: z.number().describe('Change to the debt'),
    occurred_at: z.string(),
    event_id: z.string().nullable(),
    redemption_id: z.string().nullable(),
    challenge_id: z.string().nullable(),
  })
  .openapi('LoyaltyHistoryEntry');

export const HistorySchema = z.object({ data: z.array(HistoryEntrySchema), next_cursor: z.string().nullable() }).openapi('LoyaltyHistory');

export const WalletLinkSchema = z.object({ wallet_url: z.string() }).openapi('LoyaltyWalletLink');

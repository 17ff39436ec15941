/** Request and response schemas of the prize draw routes. */
import { z } from '@hono/zod-openapi';
import { isoDateTime } from './common';
import { DRAW_STATUSES } from '../domain/draws';
import { DRAW_SOURCES, LOYALTY_EVENT_TYPES } from '../domain/vocab';

const id = z.string().min(1).max(64);

export const DrawInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    source: z.enum(DRAW_SOURCES),
    campaign_id: id.nullable().optional().describe('Only entries of this campaign (code entries or events)'),
    batch_id: id.nullable().optional().describe('code_entries: only codes of this batch'),
    event_type: z.enum(LOYALTY_EVENT_TYPES).nullable().optional().describe('events: the event type that enters (required)'),
    event_name: z.string().trim().min(1).max(100).nullable().optional().describe('events: only events of this name'),
    starts_at: isoDateTime,
    ends_at: isoDateTime.describe('Entries count when they occurred in [starts_at, ends_at) and were recorded before ends_at'),
    prizes: z.number().int().min(1).max(10_000),
    max_entries_per_member: z.number().int().min(1).max(1_000_000).nullable().optional().describe("A member's first N entries by time count"),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (Date.parse(input.ends_at) <= Date.parse(input.starts_at)) ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' });
    if (input.source === 'events' && !input.event_type) ctx.addIssue({ code: 'custom', path: ['event_type'], message: 'is required when source is events' });
    if (input.source === 'events' && input.batch_id) ctx.addIssue({ code: 'custom', path: ['batch_id'], message: 'applies only to source code_entries' });
    if (input.source === 'code_entries' && input.event_type) ctx.addIssue({ code: 'custom', path: ['event_type'], message: 'applies only to source events' });
    if (input.source === 'code_entries' && input.event_name) ctx.addIssue({ code: 'custom', path: ['event_name'], message: 'applies only to source events' });
  })
  .openapi('DrawInput');

const WinnerSchema = z.object({ place: z.number(), member_id: z.string(), entry_id: z.string() }).openapi('DrawWinner');

export const DrawSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    source: z.enum(DRAW_SOURCES),
    campaign_id: z.string().nullable(),
    batch_id: z.string().nullable(),
    event_type: z.enum(LOYALTY_EVENT_TYPES).nullable(),
    event_name: z.string().nullable(),
    starts_at: z.string(),
    ends_at: z.string(),
    prizes: z.number(),
    max_entries_per_member: z.number().nullable(),
    status: z.enum(DRAW_STATUSES).describe('upcoming, open (window running), closed (may be run), drawn'),
    seed_hash: z.string().describe('Hex SHA-256 of the seed (its 64 hex characters as UTF-8), published before the run'),
    seed: z.string().nullable().describe('The secret seed (64 hex characters); null until the draw has run'),
    ran_at: z.string().nullable(),
    winners: z.array(WinnerSchema),
    entries_url: z.string(),
    created_at: z.string(),
  })
  .openapi('Draw');

export const DrawResultSchema = z
  .object({
    winners: z.array(WinnerSchema),
    seed: z.string(),
    seed_hash: z.string(),
    entries: z.number().describe('How many entries the run drew from (GET …/entries lists them)'),
    ran_at: z.string(),
  })
  .openapi('DrawResult');

export const DrawEntrySchema = z.object({ entry_id: z.string(), member_id: z.string(), occurred_at: z.string() }).openapi('DrawEntry');

export const DrawEntriesSchema = z
  .object({
    frozen: z.boolean().describe('true once the draw has run: the list is what it drew from'),
    data: z.array(DrawEntrySchema),
    next_cursor: z.string().nullable(),
  })
  .openapi('DrawEntries');

/** The SQL CHECK lists in schema/ must equal the closed vocabularies in code. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  AUTH_FAILURE_KINDS,
  BOT_REASONS,
  CHANNELS,
  DEVICE_CLASSES,
  DRAW_SOURCES,
  ENROLLMENT_MODES,
  INTEGRATION_PLATFORMS,
  LEDGER_KINDS,
  LEDGER_SOURCES,
  LINK_KINDS,
  LOYALTY_EVENT_STATUSES,
  LOYALTY_EVENT_TYPES,
  RECORD_STATUSES,
  REWARD_KINDS,
  TOUCH_TYPES,
} from '../../src/domain/vocab';

async function checkList(table: string, column: string): Promise<string[]> {
  const row = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").bind(table).first<{ sql: string }>();
  const match = new RegExp(`${column}\\s+[^,]*?CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(row!.sql);
  return match![1].split(',').map((value) => value.trim().replace(/^'|'$/g, ''));
}

describe('schema CHECK constraints', () => {
  it.each([
    ['links', 'channel', CHANNELS],
    ['links', 'kind', LINK_KINDS],
    ['links', 'status', RECORD_STATUSES],
    ['campaigns', 'status', RECORD_STATUSES],
    ['touches', 'channel', CHANNELS],
    ['touches', 'type', TOUCH_TYPES],
    ['touches', 'device_class', DEVICE_CLASSES],
    ['touches', 'bot_reason', BOT_REASONS],
    ['auth_failures', 'kind', AUTH_FAILURE_KINDS],
    ['loyalty_program', 'enrollment', ENROLLMENT_MODES],
    ['loyalty_rules', 'kind', LOYALTY_EVENT_TYPES],
    ['loyalty_events', 'type', LOYALTY_EVENT_TYPES],
    ['loyalty_events', 'status', LOYALTY_EVENT_STATUSES],
    ['loyalty_ledger', 'kind', LEDGER_KINDS],
    ['loyalty_ledger', 'source', LEDGER_SOURCES],
    ['loyalty_rewards', 'kind', REWARD_KINDS],
    ['loyalty_challenges', 'event_type', LOYALTY_EVENT_TYPES],
    ['draws', 'source', DRAW_SOURCES],
    ['integrations', 'platform', INTEGRATION_PLATFORMS],
  ] as const)('%s.%s matches the vocabulary', async (table, column, vocabulary) => {
    expect(await checkList(table, column)).toEqual([...vocabulary]);
  });

  it("spend.channel is a channel or '' (spend on a campaign)", async () => {
    expect(await checkList('spend', 'channel')).toEqual(['', ...CHANNELS]);
  });
});

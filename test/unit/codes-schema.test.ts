/** The CHECK lists of schema/0002_codes.sql must equal the closed vocabularies in code. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CHANNELS, CODE_BATCH_STATUSES, CODE_ENTRY_RESULTS, CODE_ENTRY_SOURCES, PROMO_KINDS, RECORD_STATUSES } from '../../src/domain/vocab';

async function checkList(table: string, column: string): Promise<string[]> {
  const row = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").bind(table).first<{ sql: string }>();
  const match = new RegExp(`${column}\\s+[^,]*?CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(row!.sql);
  return match![1].split(',').map((value) => value.trim().replace(/^'|'$/g, ''));
}

describe('codes schema CHECK constraints', () => {
  it.each([
    ['code_batches', 'status', CODE_BATCH_STATUSES],
    ['code_entries', 'source', CODE_ENTRY_SOURCES],
    ['code_entries', 'result', CODE_ENTRY_RESULTS],
    ['promo_codes', 'kind', PROMO_KINDS],
    ['promo_codes', 'status', RECORD_STATUSES],
    ['promo_codes', 'channel', CHANNELS],
  ] as const)('%s.%s matches the vocabulary', async (table, column, vocabulary) => {
    expect(await checkList(table, column)).toEqual([...vocabulary]);
  });
});

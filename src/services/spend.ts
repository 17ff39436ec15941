/**
 * Marketing spend: a day's cost on a campaign or a channel, entered as JSON,
 * a CSV upload or the dashboard's form. A set of entries is checked as a whole
 * (unknown campaigns, the same key twice) and stored in one D1 batch, or not at
 * all. Re-posting a (day, campaign) or (day, channel) replaces its amount and
 * currency: the last entry of a day is its cost.
 */
import type { Db } from '../db/client';
import { deleteSpendRow, findCampaignIds, listSpendRows, upsertSpend, type SpendRow } from '../db/spend';
import { ApiError, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { describeZodError } from '../lib/validation';
import { MAX_SPEND_PER_REQUEST, SPEND_IMPORT_COLUMNS, SpendInput, type Spend, type SpendInputData } from '../schemas/spend';
import { importTable } from './import-table';

/** Errors listed of a refused set; the rest are counted. */
const MAX_LISTED_ERRORS = 20;

const listed = (errors: readonly string[]) =>
  errors.length > MAX_LISTED_ERRORS ? `${errors.slice(0, MAX_LISTED_ERRORS).join('; ')}; and ${errors.length - MAX_LISTED_ERRORS} more` : errors.join('; ');

/** A stored row as the API answers it. */
export const spendOf = (row: SpendRow): Spend => ({
  id: row.id,
  day: row.day,
  campaign_id: row.campaign_id || null,
  channel: (row.channel || null) as Spend['channel'],
  amount: row.amount,
  currency: row.currency,
  created_at: row.created_at,
  updated_at: row.updated_at,
});

/**
 * Stores validated entries, all or none: refuses (404) a campaign that does
 * not exist and (400) a (day, campaign or channel) given twice; `where(i)` names
 * an entry in messages.
 */
async function storeSpend(db: Db, entries: readonly SpendInputData[], now: number, where: (index: number) => string) {
  if (entries.length > MAX_SPEND_PER_REQUEST) throw new ApiError('validation_error', `spend: at most ${MAX_SPEND_PER_REQUEST} entries per request`);
  const seen = new Map<string, number>();
  const twice: string[] = [];
  entries.forEach((entry, i) => {
    const key = `${entry.day}|${entry.campaign_id ?? ''}|${entry.channel ?? ''}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else twice.push(`${where(i)}: ${entry.campaign_id ?? entry.channel} on ${entry.day} is given twice (also ${where(first)})`);
  });
  if (twice.length > 0) throw new ApiError('validation_error', listed(twice));
  const campaignIds = [...new Set(entries.flatMap((entry) => (entry.campaign_id ? [entry.campaign_id] : [])))];
  const known = await findCampaignIds(db, campaignIds);
  const unknown = entries.flatMap((entry, i) =>
    entry.campaign_id && !known.has(entry.campaign_id) ? [`${where(i)}: campaign_id: no campaign ${entry.campaign_id}`] : [],
  );
  if (unknown.length > 0) throw new ApiError('not_found', listed(unknown));
  const ids = entries.map(() => newId('spend', now));
  const rows = await upsertSpend(
    db,
    entries.map((entry, i) => ({
      id: ids[i],
      day: entry.day,
      campaignId: entry.campaign_id ?? '',
      channel: entry.channel ?? '',
      amount: entry.amount,
      currency: entry.currency,
    })),
    new Date(now).toISOString(),
  );
  const created = rows.filter((row, i) => row.id === ids[i]).length;
  return { data: rows.map(spendOf), created, updated: rows.length - created };
}

/** Stores entries of the API's JSON body (validated by its schema). */
export const saveSpend = (db: Db, entries: readonly SpendInputData[], now: number) => storeSpend(db, entries, now, (i) => `spend.${i}`);

/** A number cell: "12.50" (or "-3", for the schema to refuse as negative); anything else stays text for the schema to name. */
const amountOf = (text: string | undefined): number | string | undefined => (text !== undefined && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/**
 * Stores the entries of a CSV file (header day, amount, currency and campaign_id
 * or channel; the import's whole-file rules): every line is checked first, and
 * any bad line refuses the file, each error naming its line.
 */
export async function importSpendCsv(db: Db, text: string, now: number) {
  const rows = importTable(text, SPEND_IMPORT_COLUMNS, MAX_SPEND_PER_REQUEST);
  if (rows.length === 0) throw new ApiError('validation_error', 'line 2: no spend after the header');
  const errors: string[] = [];
  const entries: SpendInputData[] = [];
  for (const row of rows) {
    if (row.problem) {
      errors.push(`line ${row.line}: ${row.problem}`);
      continue;
    }
    const { amount, ...rest } = row.cells;
    const parsed = SpendInput.safeParse({ ...rest, ...(amount === undefined ? {} : { amount: amountOf(amount) }) });
    if (parsed.success) entries.push(parsed.data);
    else
      errors.push(
        `line ${row.line}: ${describeZodError(parsed.error).replace(/amount: Invalid input: expected number, received string/, 'amount: must be a number like 19.99')}`,
      );
  }
  if (errors.length > 0) throw new ApiError('validation_error', listed(errors));
  return storeSpend(db, entries, now, (i) => `line ${rows[i].line}`);
}

/** One page of spend of [from, to], by day. */
export async function listSpend(db: Db, query: { from: string; to: string; campaign_id?: string; limit: number; cursor?: string }) {
  const [day, id] = query.cursor?.split(':') ?? [];
  const rows = await listSpendRows(db, { ...query, campaignId: query.campaign_id, cursor: query.cursor ? { day, id } : undefined });
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { data: items.map(spendOf), next_cursor: rows.length > query.limit && last ? `${last.day}:${last.id}` : null };
}

/** Deletes one entry; 404 when there is none. */
export async function removeSpend(db: Db, id: string): Promise<void> {
  if (!(await deleteSpendRow(db, id))) throw notFound('Spend entry');
}

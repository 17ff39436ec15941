/** Dated exchange rates (schema/0013): 1 unit of `currency` = `rate` units of `base` on `day`. */
import type { ExchangeRate } from '../domain/currency';
import { chunkedInserts, runAtomically, type Db } from './client';

/** Rates of `base`, by currency then newest day first; after `cursor` (the last row's "CUR:day") when given. */
export async function listExchangeRates(
  db: Db,
  filter: { base: string; currency?: string; limit: number; cursor?: { currency: string; day: string } },
): Promise<{ items: ExchangeRate[]; next: { currency: string; day: string } | null }> {
  let query = db.selectFrom('exchange_rates').select(['currency', 'day', 'rate']).where('base', '=', filter.base);
  if (filter.currency) query = query.where('currency', '=', filter.currency);
  const after = filter.cursor;
  if (after)
    query = query.where((eb) => eb.or([eb('currency', '>', after.currency), eb.and([eb('currency', '=', after.currency), eb('day', '<', after.day)])]));
  const rows = await query
    .orderBy('currency', 'asc')
    .orderBy('day', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const items = rows.slice(0, filter.limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > filter.limit && last ? { currency: last.currency, day: last.day } : null };
}

/**
 * The rates of `base` a report over [from, to] needs: every rate dated in the
 * range, and per currency the latest one before it (which holds on `from`).
 */
export async function findRatesForRange(db: Db, base: string, from: string, to: string): Promise<ExchangeRate[]> {
  const { results } = await db.d1
    .prepare(
      `SELECT currency, day, rate FROM exchange_rates r
       WHERE base = ?1 AND day <= ?3
         AND (day >= ?2 OR day = (SELECT MAX(e.day) FROM exchange_rates e WHERE e.base = ?1 AND e.currency = r.currency AND e.day < ?2))`,
    )
    .bind(base, from, to)
    .all<ExchangeRate>();
  return results;
}

/** Stores `rates` under `base`, replacing the rate of a (currency, day) already stored; all of them or none. */
export async function upsertExchangeRates(db: Db, base: string, rates: readonly ExchangeRate[]): Promise<void> {
  const rows = rates.map((rate) => ({ base, currency: rate.currency, day: rate.day, rate: rate.rate }));
  await runAtomically(
    db,
    chunkedInserts(rows, (chunk) =>
      db
        .insertInto('exchange_rates')
        .values(chunk)
        .onConflict((oc) => oc.columns(['base', 'currency', 'day']).doUpdateSet((eb) => ({ rate: eb.ref('excluded.rate') }))),
    ),
  );
}

/** Deletes one rate; false when there was none. */
export async function deleteExchangeRate(db: Db, base: string, currency: string, day: string): Promise<boolean> {
  const result = await db.deleteFrom('exchange_rates').where('base', '=', base).where('currency', '=', currency).where('day', '=', day).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

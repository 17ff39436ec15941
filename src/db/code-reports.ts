/** Aggregates for the codes report: per batch and per promotion, entries by result. */
import type { CodeEntryResult, CodeEntrySource } from '../domain/vocab';
import type { Db } from './client';

export interface BatchTotals {
  id: string;
  campaignId: string;
  prefix: string | null;
  minted: number;
  redeemedCodes: number;
}

export interface PromoTotals {
  id: string;
  campaignId: string;
  code: string | null;
  kind: string;
  minted: number;
  redemptions: number;
  redeemedCodes: number;
}

export interface EntryCount {
  ownerId: string;
  source: CodeEntrySource;
  result: CodeEntryResult;
  entries: number;
}

/** Batches (of a campaign) with their minted and redeemed code counts. */
export async function findBatchTotals(db: Db, campaignId?: string): Promise<BatchTotals[]> {
  let query = db
    .selectFrom('code_batches as b')
    .select(['b.id', 'b.campaign_id', 'b.prefix', 'b.minted'])
    .select((eb) =>
      eb
        .selectFrom('action_codes as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.batch_id', '=', 'b.id')
        .where('c.redemptions', '>', 0)
        .as('redeemed'),
    );
  if (campaignId) query = query.where('b.campaign_id', '=', campaignId);
  const rows = await query.orderBy('b.id').execute();
  return rows.map((r) => ({ id: r.id, campaignId: r.campaign_id, prefix: r.prefix, minted: r.minted, redeemedCodes: Number(r.redeemed ?? 0) }));
}

/** Promotions (of a campaign) with their code counts and redemptions. */
export async function findPromoTotals(db: Db, campaignId?: string): Promise<PromoTotals[]> {
  let query = db
    .selectFrom('promo_codes as p')
    .select(['p.id', 'p.campaign_id', 'p.code', 'p.kind', 'p.count', 'p.redemptions'])
    .select((eb) =>
      eb
        .selectFrom('promo_code_values as v')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('v.promo_code_id', '=', 'p.id')
        .where('v.redemptions', '>', 0)
        .as('redeemed'),
    );
  if (campaignId) query = query.where('p.campaign_id', '=', campaignId);
  const rows = await query.orderBy('p.id').execute();
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    code: r.code,
    kind: r.kind,
    minted: r.count,
    redemptions: r.redemptions,
    redeemedCodes: Number(r.redeemed ?? 0),
  }));
}

/** Entries per batch or promotion, source and result. */
export async function countEntries(db: Db, owner: 'batch_id' | 'promo_code_id', campaignId?: string): Promise<EntryCount[]> {
  let query = db
    .selectFrom('code_entries')
    .select([`${owner} as owner`, 'source', 'result'])
    .select((eb) => eb.fn.countAll<number>().as('entries'))
    .where(owner, 'is not', null);
  if (campaignId) query = query.where('campaign_id', '=', campaignId);
  const rows = await query.groupBy([owner, 'source', 'result']).execute();
  return rows.map((r) => ({ ownerId: r.owner as string, source: r.source, result: r.result, entries: Number(r.entries) }));
}

/** Entries tied to no batch or promotion (typos, unknown codes, rate-limited attempts), by result. */
export async function countUnmatchedEntries(db: Db): Promise<{ result: CodeEntryResult; entries: number }[]> {
  const rows = await db
    .selectFrom('code_entries')
    .select('result')
    .select((eb) => eb.fn.countAll<number>().as('entries'))
    .where('batch_id', 'is', null)
    .where('promo_code_id', 'is', null)
    .groupBy('result')
    .execute();
  return rows.map((r) => ({ result: r.result, entries: Number(r.entries) }));
}

/** The codes report: per batch and per promotion, minted, entered, accepted, rejected by reason, redemption rate. */
import { countEntries, countUnmatchedEntries, findBatchTotals, findPromoTotals, type EntryCount } from '../db/code-reports';
import type { Db } from '../db/client';
import { REJECTION_REASONS } from '../domain/vocab';

export type RejectionCounts = Record<(typeof REJECTION_REASONS)[number], number>;

export interface CodeReportRow {
  kind: 'batch' | 'promo';
  id: string;
  campaign_id: string;
  /** The batch prefix or the vanity code. */
  label: string | null;
  minted: number;
  /** Entries of a code of this batch / promotion (promo: validations and redemptions). */
  entered: number;
  /** Accepted entries (promo: redemptions). */
  accepted: number;
  rejected: RejectionCounts;
  /** Codes used at least once. */
  redeemed_codes: number;
  /** redeemed_codes ÷ minted. */
  redemption_rate: number;
}

export interface CodeReport {
  campaign_id: string | null;
  rows: CodeReportRow[];
  /** Entries that matched no code (typos, unknown codes, rate-limited), only without a campaign filter. */
  unmatched: RejectionCounts | null;
}

const noRejections = (): RejectionCounts => Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0])) as RejectionCounts;
const rate = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);

function tally(counts: EntryCount[]) {
  const byOwner = new Map<string, { entered: number; accepted: number; rejected: RejectionCounts }>();
  for (const count of counts) {
    let owner = byOwner.get(count.ownerId);
    if (!owner) byOwner.set(count.ownerId, (owner = { entered: 0, accepted: 0, rejected: noRejections() }));
    owner.entered += count.entries;
    if (count.result === 'accepted') {
      if (count.source !== 'promo_validate') owner.accepted += count.entries;
    } else owner.rejected[count.result] += count.entries;
  }
  return (id: string) => byOwner.get(id) ?? { entered: 0, accepted: 0, rejected: noRejections() };
}

/** Builds the report, optionally for one campaign. */
export async function buildCodeReport(db: Db, campaignId?: string): Promise<CodeReport> {
  const [batches, promos, batchEntries, promoEntries, unmatched] = await Promise.all([
    findBatchTotals(db, campaignId),
    findPromoTotals(db, campaignId),
    countEntries(db, 'batch_id', campaignId),
    countEntries(db, 'promo_code_id', campaignId),
    campaignId ? Promise.resolve(null) : countUnmatchedEntries(db),
  ]);
  const ofBatch = tally(batchEntries);
  const ofPromo = tally(promoEntries);
  const rows: CodeReportRow[] = [
    ...batches.map((batch) => {
      const entries = ofBatch(batch.id);
      return {
        kind: 'batch' as const,
        id: batch.id,
        campaign_id: batch.campaignId,
        label: batch.prefix,
        minted: batch.minted,
        ...entries,
        redeemed_codes: batch.redeemedCodes,
        redemption_rate: rate(batch.redeemedCodes, batch.minted),
      };
    }),
    ...promos.map((promo) => {
      const entries = ofPromo(promo.id);
      // Redemptions come from the promotion's own counter: a replayed order is not a second one.
      return {
        kind: 'promo' as const,
        id: promo.id,
        campaign_id: promo.campaignId,
        label: promo.code,
        minted: promo.minted,
        ...entries,
        accepted: promo.redemptions,
        redeemed_codes: promo.redeemedCodes,
        redemption_rate: rate(promo.redeemedCodes, promo.minted),
      };
    }),
  ];
  let unmatchedCounts: RejectionCounts | null = null;
  if (unmatched) {
    unmatchedCounts = noRejections();
    for (const { result, entries } of unmatched) if (result !== 'accepted') unmatchedCounts[result] += entries;
  }
  return { campaign_id: campaignId ?? null, rows, unmatched: unmatchedCounts };
}

export const CODE_REPORT_CSV_HEADER = [
  'kind',
  'id',
  'campaign_id',
  'label',
  'minted',
  'entered',
  'accepted',
  ...REJECTION_REASONS.map((r) => `rejected_${r}`),
  'redeemed_codes',
  'redemption_rate',
];

export const codeReportCsvRows = (report: CodeReport) =>
  report.rows.map((row) => [
    row.kind,
    row.id,
    row.campaign_id,
    row.label,
    row.minted,
    row.entered,
    row.accepted,
    ...REJECTION_REASONS.map((r) => row.rejected[r]),
    row.redeemed_codes,
    row.redemption_rate,
  ]);

/**
 * A link's routing report: visits, visitors and conversions per rule and variant, and per A/B split (the link's
 * own, and each rule's) the conversion rate of every variant with its significance verdict against the first.
 */
import type { Db } from '../db/client';
import { routingCells, type RoutingCell } from '../db/link-routing-report';
import { ruleKey, variantKey } from '../domain/link-rules';
import type { RoutingFields } from '../domain/link-routing';
import { compareArms, MIN_VISITORS_PER_VARIANT, type Verdict } from '../domain/significance';

export interface RoutingRow {
  rule: string | null;
  variant: string | null;
  after_cap: boolean;
  visits: number;
  /** null: the default destination's row (no visitor set is kept for plain touches; see db/link-routing-report.ts). */
  unique_visitors: number | null;
  conversions: number;
  conversion_rate: number | null;
}

export interface VariantResult {
  variant: string;
  visitors: number;
  conversions: number;
  conversion_rate: number;
  verdict: Verdict;
  z: number | null;
  p_value: number | null;
}

export interface Experiment {
  /** The rule whose variants these are; null: the link's own split (visits no rule matched). */
  rule: string | null;
  variants: VariantResult[];
}

export interface RoutingReport {
  model: 'last_touch';
  test: string;
  min_visitors_per_variant: number;
  rows: RoutingRow[];
  experiments: Experiment[];
}

export const SIGNIFICANCE_TEST = 'two-sided two-proportion z-test (pooled), each variant against the first, α = 0.05';

const rate = (conversions: number, visitors: number): number => (visitors === 0 ? 0 : Math.round((conversions / visitors) * 10_000) / 10_000);

function experiment(rule: string | null, keys: readonly string[], cells: readonly RoutingCell[]): Experiment {
  const arms = keys.map((variant) => {
    const mine = cells.filter((cell) => cell.rule === rule && cell.variant === variant && cell.after_cap === 0);
    return {
      variant,
      visitors: mine.reduce((sum, cell) => sum + (cell.visitors ?? 0), 0),
      conversions: mine.reduce((sum, cell) => sum + cell.conversions, 0),
    };
  });
  const verdicts = compareArms(arms);
  return {
    rule,
    variants: arms.map((arm, i) => ({
      ...arm,
      conversion_rate: rate(arm.conversions, arm.visitors),
      verdict: verdicts[i].verdict,
      z: verdicts[i].z,
      p_value: verdicts[i].pValue,
    })),
  };
}

/** The routing report of a link (its current rules and variants name the splits; every recorded cell is a row). */
export async function linkRoutingReport(db: Db, link: { id: string } & RoutingFields): Promise<RoutingReport> {
  const cells = await routingCells(db, link.id);
  const experiments: Experiment[] = [];
  if (link.variants?.length)
    experiments.push(
      experiment(
        null,
        link.variants.map((variant, i) => variantKey(variant, i)),
        cells,
      ),
    );
  for (const [i, rule] of (link.rules ?? []).entries()) {
    if (rule.variants?.length)
      experiments.push(
        experiment(
          ruleKey(rule, i),
          rule.variants.map((variant, j) => variantKey(variant, j)),
          cells,
        ),
      );
  }
  return {
    model: 'last_touch',
    test: SIGNIFICANCE_TEST,
    min_visitors_per_variant: MIN_VISITORS_PER_VARIANT,
    rows: cells.map((cell) => ({
      rule: cell.rule,
      variant: cell.variant,
      after_cap: cell.after_cap === 1,
      visits: cell.visits,
      unique_visitors: cell.visitors,
      conversions: cell.conversions,
      conversion_rate: cell.visitors === null ? null : rate(cell.conversions, cell.visitors),
    })),
    experiments,
  };
}

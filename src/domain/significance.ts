/**
 * Whether an A/B variant converts differently from the control (the first
 * variant): a two-sided two-proportion z-test with the pooled proportion,
 * at a 5 % significance level. Below MIN_VISITORS_PER_VARIANT visitors in
 * either arm the verdict is "not enough data yet" (the normal approximation
 * the test rests on is poor there).
 */

export const MIN_VISITORS_PER_VARIANT = 100;
export const SIGNIFICANCE_LEVEL = 0.05;

export type Verdict = 'control' | 'not_enough_data' | 'significant' | 'not_significant';

export interface ArmCounts {
  visitors: number;
  conversions: number;
}

export interface ArmVerdict {
  verdict: Verdict;
  /** The test statistic against the control (positive: converts better), rounded to 2 places; null for the control and thin data. */
  z: number | null;
  /** Two-sided p-value, rounded to 3 places. */
  pValue: number | null;
}

/** erfc(x), Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7). */
export function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const ans = t * Math.exp(-x * x + poly);
  return x >= 0 ? ans : 2 - ans;
}

/** z of the two-proportion test of `arm` against `control` (0 when both convert never or always). */
export function twoProportionZ(control: ArmCounts, arm: ArmCounts): number {
  const pooled = (control.conversions + arm.conversions) / (control.visitors + arm.visitors);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.visitors + 1 / arm.visitors));
  if (se === 0) return 0;
  return (arm.conversions / arm.visitors - control.conversions / control.visitors) / se;
}

const round = (value: number, places: number): number => Math.round(value * 10 ** places) / 10 ** places;

/** The verdict of every arm against the first; conversions above visitors count as visitors (a visitor converts at most once in the test). */
export function compareArms(arms: readonly ArmCounts[]): ArmVerdict[] {
  const capped = arms.map((arm) => ({ visitors: arm.visitors, conversions: Math.min(arm.conversions, arm.visitors) }));
  return capped.map((arm, i) => {
    if (i === 0) return { verdict: 'control', z: null, pValue: null };
    if (capped[0].visitors < MIN_VISITORS_PER_VARIANT || arm.visitors < MIN_VISITORS_PER_VARIANT) return { verdict: 'not_enough_data', z: null, pValue: null };
    const z = twoProportionZ(capped[0], arm);
    const pValue = erfc(Math.abs(z) / Math.SQRT2);
    return { verdict: pValue < SIGNIFICANCE_LEVEL ? 'significant' : 'not_significant', z: round(z, 2), pValue: round(pValue, 3) };
  });
}

/**
 * A link's routing prepared for the hot path (once per cache fill): its rules
 * compiled, every rule and variant destination already carrying the link's UTM
 * merge, the cap and the fallback. `routeVisit` picks the tracked URL of a visit.
 */
import {
  compileCondition,
  firstMatch,
  pickVariant,
  ruleKey,
  variantKey,
  type CompiledCondition,
  type LinkRule,
  type LinkVariant,
  type VisitFacts,
} from './link-rules';
import { buildTrackedUrl, type UtmValues } from './utm';

/** What a link stores of its routing (schema/0027). */
export interface RoutingFields {
  rules: LinkRule[] | null;
  variants: LinkVariant[] | null;
  maxClicks: number | null;
  fallbackUrl: string | null;
}

interface Arm {
  keys: string[];
  urls: string[];
  weights: number[];
}

export interface LinkRouting {
  rules: Array<{ key: string; conditions: CompiledCondition[]; url: string; arm: Arm | null }>;
  arm: Arm | null;
  maxClicks: number | null;
  /** The fallback with the UTM merge; null: the 410 page after the cap or expiry. */
  fallbackUrl: string | null;
}

const armOf = (variants: readonly LinkVariant[] | null | undefined, utm: UtmValues): Arm | null =>
  variants && variants.length > 0
    ? {
        keys: variants.map((variant, i) => variantKey(variant, i)),
        urls: variants.map((variant) => buildTrackedUrl(variant.destination, utm)),
        weights: variants.map((variant) => variant.weight),
      }
    : null;

/** The routing of a link, or null when it has no rules, variants, cap or fallback (the plain fast path). */
export function compileRouting(fields: RoutingFields, utm: UtmValues): LinkRouting | null {
  const rules = fields.rules ?? [];
  if (rules.length === 0 && !fields.variants?.length && fields.maxClicks === null && fields.fallbackUrl === null) return null;
  return {
    rules: rules.map((rule, i) => ({
      key: ruleKey(rule, i),
      conditions: rule.conditions.map(compileCondition),
      url: buildTrackedUrl(rule.destination, utm),
      arm: armOf(rule.variants, utm),
    })),
    arm: armOf(fields.variants, utm),
    maxClicks: fields.maxClicks,
    fallbackUrl: fields.fallbackUrl === null ? null : buildTrackedUrl(fields.fallbackUrl, utm),
  };
}

export interface RoutedVisit {
  /** The tracked URL (UTM merged, no click id yet). */
  url: string;
  rule: string | null;
  variant: string | null;
}

/** Where a visit goes: the first matching rule (else the default), then its variant for this visitor. */
export function routeVisit(routing: LinkRouting, defaultUrl: string, facts: VisitFacts, visitorKey: string, linkId: string): RoutedVisit {
  const index = firstMatch(routing.rules, facts);
  const rule = index >= 0 ? routing.rules[index] : null;
  const arm = rule ? rule.arm : routing.arm;
  if (!arm) return { url: rule ? rule.url : defaultUrl, rule: rule?.key ?? null, variant: null };
  const pick = pickVariant(arm.weights, visitorKey, linkId);
  return { url: arm.urls[pick], rule: rule?.key ?? null, variant: arm.keys[pick] };
}

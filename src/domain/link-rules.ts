/**
 * Routing a link's visit: ordered rules (first match wins, conditions combined
 * with AND) and weighted A/B variants picked stickily by a hash of the visitor
 * and the link. Pure: the request's facts come in, a choice comes out.
 */
import { destinationProblem } from './links';
import { hash32 } from './visitor-sketch';

/** Condition types and the operators each accepts (the first is the default). */
export const CONDITION_OPS = {
  device: ['is', 'is_not'],
  os: ['is', 'is_not'],
  language: ['is', 'is_not'],
  country: ['is', 'is_not'],
  time: ['after', 'before'],
  query: ['equals', 'present'],
} as const;
export type ConditionType = keyof typeof CONDITION_OPS;
export const CONDITION_TYPES = Object.keys(CONDITION_OPS) as ConditionType[];

/** Values a device or OS condition may name (lower case; several comma-separated mean "any of"). */
export const RULE_DEVICES = ['mobile', 'tablet', 'desktop'] as const;
export const RULE_OSES = ['ios', 'android', 'windows', 'macos', 'linux', 'chromeos'] as const;

export const MAX_RULES = 20;
export const MAX_CONDITIONS = 10;
export const MAX_VARIANTS = 10;

export interface RuleCondition {
  type: string;
  op?: string;
  value: string;
}

export interface LinkVariant {
  destination: string;
  weight: number;
  label?: string;
}

export interface LinkRule {
  destination: string;
  conditions: RuleCondition[];
  label?: string;
  variants?: LinkVariant[];
}

/** What a visit offers the conditions; the agent is parsed only when a device or OS condition asks. */
export interface VisitFacts {
  now: number;
  agent: () => { deviceClass: string; os: string | null };
  acceptLanguage: string | null;
  country: string | null;
  search: URLSearchParams | null;
}

const listOf = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');

/** The OS name ua-parser reports, as a condition names it ("Mac OS" → macos, "Chromium OS" → chromeos). */
export function osKey(os: string | null): string {
  const key = (os ?? '').toLowerCase().replace(/\s+/g, '');
  if (key === 'macos' || key === 'macosx' || key === 'mac') return 'macos';
  if (key === 'chromiumos' || key === 'chromeos') return 'chromeos';
  return key;
}

/** Why a condition is refused, or null. */
export function conditionProblem(condition: RuleCondition): string | null {
  const ops = (CONDITION_OPS as Record<string, readonly string[]>)[condition.type];
  if (!ops) return `unknown condition type "${condition.type}" (one of ${CONDITION_TYPES.join(', ')})`;
  const op = condition.op ?? ops[0];
  if (!ops.includes(op)) return `condition ${condition.type} takes op ${ops.join(' or ')}, not "${op}"`;
  const values = listOf(condition.value);
  if (values.length === 0) return `condition ${condition.type} needs a value`;
  const outside = (allowed: readonly string[]) => values.find((value) => !allowed.includes(value));
  switch (condition.type) {
    case 'device': {
      const bad = outside(RULE_DEVICES);
      return bad ? `device "${bad}" is not one of ${RULE_DEVICES.join(', ')}` : null;
    }
    case 'os': {
      const bad = outside(RULE_OSES);
      return bad ? `os "${bad}" is not one of ${RULE_OSES.join(', ')}` : null;
    }
    case 'language': {
      const bad = values.find((value) => !/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/.test(value));
      return bad ? `language "${bad}" is not a language tag such as de or en-gb` : null;
    }
    case 'country': {
      const bad = values.find((value) => !/^[a-z]{2}$/.test(value));
      return bad ? `country "${bad}" is not a two-letter country code such as DE` : null;
    }
    case 'time':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(condition.value.trim()) &&
        !Number.isNaN(Date.parse(condition.value))
        ? null
        : `time "${condition.value}" is not an ISO-8601 date-time with zone, such as 2026-12-24T18:00:00Z`;
    case 'query':
      return op === 'equals' && !/^[^=]+=/.test(condition.value) ? `query condition with op equals takes "name=value", not "${condition.value}"` : null;
  }
  return null;
}

/** Why a set of variants is refused, or null. */
export function variantsProblem(variants: readonly LinkVariant[], where: string): string | null {
  if (variants.length < 2) return `${where} needs at least 2 variants (or none)`;
  if (variants.length > MAX_VARIANTS) return `${where} takes at most ${MAX_VARIANTS} variants`;
  for (const [i, variant] of variants.entries()) {
    if (!(Number.isFinite(variant.weight) && variant.weight > 0)) return `${where}: variant ${i + 1} weight must be a positive number`;
    const destination = destinationProblem(variant.destination);
    if (destination) return `${where}: variant ${i + 1} destination ${destination}`;
  }
  return duplicateLabel(
    variants.map((variant, i) => variantKey(variant, i)),
    `${where}: variant`,
  );
}

/** Why a rule list is refused, or null. */
export function rulesProblem(rules: readonly LinkRule[]): string | null {
  if (rules.length > MAX_RULES) return `a link takes at most ${MAX_RULES} rules`;
  for (const [i, rule] of rules.entries()) {
    const where = `rule ${i + 1}`;
    const destination = destinationProblem(rule.destination);
    if (destination) return `${where} destination ${destination}`;
    if (rule.conditions.length === 0) return `${where} needs at least one condition`;
    if (rule.conditions.length > MAX_CONDITIONS) return `${where} takes at most ${MAX_CONDITIONS} conditions`;
    for (const condition of rule.conditions) {
      const problem = conditionProblem(condition);
      if (problem) return `${where}: ${problem}`;
    }
    if (rule.variants && rule.variants.length > 0) {
      const problem = variantsProblem(rule.variants, where);
      if (problem) return problem;
    }
  }
  return duplicateLabel(
    rules.map((rule, i) => ruleKey(rule, i)),
    'rule',
  );
}

function duplicateLabel(keys: readonly string[], what: string): string | null {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) return `${what} label "${key}" is used twice`;
    seen.add(key);
  }
  return null;
}

/** How touches and reports name a rule: its label, else "rule N" (1-based). */
export const ruleKey = (rule: Pick<LinkRule, 'label'>, index: number): string => rule.label || `rule ${index + 1}`;
/** How touches and reports name a variant: its label, else A, B, C … */
export const variantKey = (variant: Pick<LinkVariant, 'label'>, index: number): string => variant.label || String.fromCharCode(65 + index);

/** A condition prepared once per cache fill: values lower-cased, times parsed. */
export interface CompiledCondition {
  type: ConditionType;
  op: string;
  negate: boolean;
  values: string[];
  atMs: number;
  param: string;
}

export function compileCondition(condition: RuleCondition): CompiledCondition {
  const type = condition.type as ConditionType;
  const op = condition.op ?? CONDITION_OPS[type][0];
  const eq = condition.value.indexOf('=');
  return {
    type,
    op,
    negate: op === 'is_not' || op === 'before',
    values: type === 'query' ? [eq >= 0 ? condition.value.slice(eq + 1) : ''] : listOf(condition.value),
    atMs: type === 'time' ? Date.parse(condition.value) : 0,
    param: type === 'query' ? (op === 'equals' ? condition.value.slice(0, eq) : condition.value).trim() : '',
  };
}

/** The visitor's preferred language (the first of Accept-Language), lower case; null without one. */
export function preferredLanguage(acceptLanguage: string | null): string | null {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return first && first !== '*' ? first : null;
}

function holds(condition: CompiledCondition, facts: VisitFacts): boolean {
  switch (condition.type) {
    case 'device':
      return condition.values.includes(facts.agent().deviceClass) !== condition.negate;
    case 'os':
      return condition.values.includes(osKey(facts.agent().os)) !== condition.negate;
    case 'language': {
      // "de" matches de, de-AT and de-CH; "de-at" matches only de-AT.
      const language = preferredLanguage(facts.acceptLanguage);
      const match = language !== null && condition.values.some((value) => language === value || language.startsWith(`${value}-`));
      return match !== condition.negate;
    }
    case 'country':
      return (facts.country !== null && condition.values.includes(facts.country.toLowerCase())) !== condition.negate;
    case 'time':
      // after: from the instant on; before: strictly earlier.
      return facts.now >= condition.atMs !== condition.negate;
    case 'query': {
      const value = facts.search?.get(condition.param) ?? null;
      return condition.op === 'present' ? value !== null : value === condition.values[0];
    }
  }
}

/** Whether every condition holds (AND). */
export const conditionsHold = (conditions: readonly CompiledCondition[], facts: VisitFacts): boolean =>
  conditions.every((condition) => holds(condition, facts));

/** The index of the first rule whose conditions all hold, or -1 (the default destination). */
export function firstMatch(rules: ReadonlyArray<{ conditions: readonly CompiledCondition[] }>, facts: VisitFacts): number {
  for (let i = 0; i < rules.length; i++) if (conditionsHold(rules[i].conditions, facts)) return i;
  return -1;
}

/** A visitor's point in [0, 1): the same 32-bit hash the visitor sketches use (FNV-1a, then murmur3's finaliser). */
export const stickyFraction = (key: string): number => hash32(key) / 2 ** 32;

/** The variant a visitor gets: the same for the same visitor and link, shares following the weights. */
export function pickVariant(weights: readonly number[], visitorKey: string, linkId: string): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let point = stickyFraction(`${linkId}|${visitorKey}`) * total;
  for (let i = 0; i < weights.length; i++) {
    point -= weights[i];
    if (point < 0) return i;
  }
  return weights.length - 1;
}

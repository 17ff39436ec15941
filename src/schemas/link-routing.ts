/** zod schemas of a link's routing: rules, variants, click cap and fallback (checked by src/domain/link-rules.ts). */
import { z } from '@hono/zod-openapi';
import type { RoutingFields } from '../domain/link-routing';
import { CONDITION_TYPES, MAX_CONDITIONS, MAX_RULES, MAX_VARIANTS, rulesProblem, variantsProblem, type LinkRule, type LinkVariant } from '../domain/link-rules';
import { destinationProblem } from '../domain/links';

const label = z.string().trim().min(1).max(60);

export const RuleCondition = z
  .object({
    type: z
      .string()
      .max(20)
      .openapi({ description: `one of ${CONDITION_TYPES.join(', ')}` }),
    op: z.string().max(20).optional().openapi({ description: 'is / is_not (device, os, language, country), after / before (time), equals / present (query)' }),
    value: z.string().max(500),
  })
  .strict()
  .openapi('RuleCondition');

export const LinkVariantSchema = z
  .object({ destination: z.string().max(4096), weight: z.number(), label: label.optional() })
  .strict()
  .openapi('LinkVariant');

export const LinkRuleSchema = z
  .object({
    destination: z.string().max(4096),
    conditions: z.array(RuleCondition).max(MAX_CONDITIONS),
    label: label.optional(),
    variants: z.array(LinkVariantSchema).max(MAX_VARIANTS).optional(),
  })
  .strict()
  .openapi('LinkRule');

const refined = <T>(schema: z.ZodType<T>, problem: (value: T) => string | null) =>
  schema.superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

export const rulesInput = refined(z.array(LinkRuleSchema).max(MAX_RULES), (rules) => rulesProblem(rules as LinkRule[]));
export const variantsInput = refined(z.array(LinkVariantSchema).max(MAX_VARIANTS), (variants) =>
  variants.length === 0 ? null : variantsProblem(variants, 'variants'),
);
const MAX_CLICKS_MESSAGE = 'must be a whole number from 1 to 1000000000';
export const maxClicksInput = z
  .number({ error: MAX_CLICKS_MESSAGE })
  .int({ error: MAX_CLICKS_MESSAGE })
  .min(1, MAX_CLICKS_MESSAGE)
  .max(1_000_000_000, MAX_CLICKS_MESSAGE);
export const fallbackUrlInput = refined(z.string(), destinationProblem);

/** The routing fields of a link create; every one optional. */
export const routingCreateFields = {
  rules: rulesInput.optional(),
  variants: variantsInput.optional(),
  max_clicks: maxClicksInput.optional(),
  fallback_url: fallbackUrlInput.optional(),
};

/** The routing fields of a link PATCH: absent leaves, null clears. */
export const routingPatchFields = {
  rules: rulesInput.nullable().optional(),
  variants: variantsInput.nullable().optional(),
  max_clicks: maxClicksInput.nullable().optional(),
  fallback_url: fallbackUrlInput.nullable().optional(),
};

/** The routing fields as the link JSON shows them. */
export const routingJsonFields = {
  rules: z.array(LinkRuleSchema),
  variants: z.array(LinkVariantSchema),
  max_clicks: z.number().nullable(),
  fallback_url: z.string().nullable(),
};

type RoutingInput = { rules?: LinkRule[] | null; variants?: LinkVariant[] | null; max_clicks?: number | null; fallback_url?: string | null };

/** The routing fields of a validated create or PATCH body (undefined: left as is). */
export const routingChange = (input: RoutingInput): Partial<RoutingFields> => ({
  rules: input.rules,
  variants: input.variants,
  maxClicks: input.max_clicks,
  fallbackUrl: input.fallback_url,
});

/** The routing of a stored link as JSON. */
export const routingJson = (link: RoutingFields) => ({
  rules: link.rules ?? [],
  variants: link.variants ?? [],
  max_clicks: link.maxClicks,
  fallback_url: link.fallbackUrl,
});

/** `GET /api/v1/links/{id}/routing`: visits and conversions per rule and variant, and each A/B split's verdict. */
export const LinkRoutingReportSchema = z
  .object({
    model: z.literal('last_touch'),
    test: z.string(),
    min_visitors_per_variant: z.number(),
    rows: z.array(
      z.object({
        rule: z.string().nullable(),
        variant: z.string().nullable(),
        after_cap: z.boolean(),
        visits: z.number(),
        unique_visitors: z.number().nullable().openapi({ description: "Distinct visitors; null on the default destination's row (no rule, variant or cap)" }),
        conversions: z.number(),
        conversion_rate: z.number().nullable().openapi({ description: 'conversions ÷ unique_visitors; null where unique_visitors is' }),
      }),
    ),
    experiments: z.array(
      z.object({
        rule: z.string().nullable(),
        variants: z.array(
          z.object({
            variant: z.string(),
            visitors: z.number(),
            conversions: z.number(),
            conversion_rate: z.number(),
            verdict: z.enum(['control', 'not_enough_data', 'significant', 'not_significant']),
            z: z.number().nullable(),
            p_value: z.number().nullable(),
          }),
        ),
      }),
    ),
  })
  .openapi('LinkRoutingReport');

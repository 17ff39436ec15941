/** The link edit form's routing fields as API input: the JSON areas parsed, the cap a number; bad JSON is named on its field. */
import type { FieldErrors, Outcome } from './forms';
import type { Texts } from './i18n';
import { fill } from './texts';

export const ROUTING_FORM_FIELDS = ['rules', 'variants', 'max_clicks', 'fallback_url'] as const;

/** Runs `run` with the routing fields of `patch` converted, or answers the fields whose JSON does not parse. */
export async function withRoutingInput<T>(
  patch: Record<string, unknown>,
  t: Texts,
  run: (input: Record<string, unknown>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const input = { ...patch };
  const errors: FieldErrors = {};
  for (const field of ['rules', 'variants'] as const) {
    const value = input[field];
    if (typeof value !== 'string') continue;
    try {
      input[field] = JSON.parse(value);
    } catch (error) {
      errors[field] = fill(t.lrNotJson, { problem: (error as Error).message });
    }
  }
  if (typeof input.max_clicks === 'string' && /^\d+$/.test(input.max_clicks)) input.max_clicks = Number(input.max_clicks);
  return Object.keys(errors).length > 0 ? { ok: false, errors } : run(input);
}

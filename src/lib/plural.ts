/** Counted phrases in any language: the CLDR plural category of the count (Intl.PluralRules) picks the form. */

/** A phrase per plural category; `{n}` is the count, formatted for the locale. `other` is required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();

/** The form of `forms` for `count` in `locale`, `{n}` replaced: "1 minute", "2 minutes", "1 Minute", "2 Minuten". */
export function plural(locale: string, count: number, forms: PluralForms): string {
  let rule = rules.get(locale);
  if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale)));
  const form = forms[rule.select(count)] ?? forms.other;
  return form.replaceAll('{n}', new Intl.NumberFormat(locale).format(count));
}

/** "1 second", "40 seconds": the wait an API error names (API messages are English). */
export const secondsText = (seconds: number): string => plural('en', seconds, { one: '{n} second', other: '{n} seconds' });

/** Dashboard languages: texts as data, the language from a cookie or Accept-Language, Intl formatting. */
import { de, en, type Texts } from './texts/index';

export { fill } from './texts/index';

export const LANGUAGES = ['en', 'de'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const LANG_COOKIE = 'tp_lang';

export const TEXTS: Record<Lang, Texts> = { en, de };
export type { Texts };

/** The language: the cookie's choice, else the first supported one in Accept-Language, else English. */
export function pickLang(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (cookie && (LANGUAGES as readonly string[]).includes(cookie)) return cookie as Lang;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase().slice(0, 2), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const hit = wanted.find((entry) => (LANGUAGES as readonly string[]).includes(entry.tag));
  return hit ? (hit.tag as Lang) : 'en';
}

const LOCALES: Record<Lang, string> = { en: 'en-GB', de: 'de-DE' };

/** Locale formatters for numbers, money, rates and dates. */
export function formatters(lang: Lang) {
  const locale = LOCALES[lang];
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const shortDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  return {
    num: (value: number | null | undefined) => (value == null ? '–' : number.format(value)),
    pct: (value: number | null | undefined) => (value == null ? '–' : percent.format(value)),
    money: (value: number, currency: string | null) =>
      currency ? new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value) : number.format(value),
    date: (iso: string) => date.format(new Date(iso)),
    /** A UTC day 'YYYY-MM-DD' as "2 Dec" / "2. Dez.". */
    day: (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`)),
    /** A country code as its name ("DE" → "Germany" / "Deutschland"); codes Intl does not know stay as they are. */
    country: (code: string) => {
      try {
        return regions.of(code) ?? code;
      } catch {
        return code;
      }
    },
  };
}
export type Formatters = ReturnType<typeof formatters>;

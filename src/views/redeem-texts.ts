/** The /redeem page's words in German and English, and the choice between them. */
import type { CodeRejection } from '../domain/vocab';
import type { PluralForms } from '../lib/plural';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface RedeemTexts {
  title: string;
  intro: string;
  label: string;
  submit: string;
  acceptedTitle: string;
  acceptedText: string;
  reward: string;
  another: string;
  refusals: Record<CodeRejection, string>;
  /** How long to wait, per plural form; `{n}` is the number of minutes. */
  retryHint: PluralForms;
}

export const REDEEM_TEXTS: Record<Language, RedeemTexts> = {
  en: {
    title: 'Enter your code',
    intro: 'Type the code printed on your pack. Upper or lower case, spaces and dashes do not matter.',
    label: 'Your code',
    submit: 'Redeem code',
    acceptedTitle: 'Thank you!',
    acceptedText: 'Your code has been accepted.',
    reward: 'Your reward:',
    another: 'Enter another code',
    refusals: {
      invalid_code: 'This code does not look right. Please check it for typos and try again.',
      unknown_code: 'We could not find this code. Please check it and try again.',
      code_used_up: 'This code has already been used.',
      code_expired: 'Sorry, this code has expired.',
      code_not_started: 'This code is not valid yet. Please try again later.',
      rate_limited: 'Too many codes entered from your network were unknown, used up or expired, so entry is paused for a while.',
    },
    retryHint: { one: 'Please wait {n} minute and try again.', other: 'Please wait {n} minutes and try again.' },
  },
  de: {
    title: 'Code eingeben',
    intro: 'Geben Sie den Code von Ihrer Packung ein. Groß- und Kleinschreibung, Leerzeichen und Bindestriche spielen keine Rolle.',
    label: 'Ihr Code',
    submit: 'Code einlösen',
    acceptedTitle: 'Vielen Dank!',
    acceptedText: 'Ihr Code wurde angenommen.',
    reward: 'Ihre Prämie:',
    another: 'Weiteren Code eingeben',
    refusals: {
      invalid_code: 'Dieser Code scheint nicht zu stimmen. Bitte prüfen Sie ihn auf Tippfehler und versuchen Sie es erneut.',
      unknown_code: 'Diesen Code konnten wir nicht finden. Bitte prüfen Sie ihn und versuchen Sie es erneut.',
      code_used_up: 'Dieser Code wurde bereits eingelöst.',
      code_expired: 'Dieser Code ist leider abgelaufen.',
      code_not_started: 'Dieser Code ist noch nicht gültig. Bitte versuchen Sie es später erneut.',
      rate_limited: 'Aus Ihrem Netz wurden zu viele unbekannte, verbrauchte oder abgelaufene Codes eingegeben, deshalb ist die Eingabe kurz gesperrt.',
    },
    retryHint: {
      one: 'Bitte warten Sie {n} Minute und versuchen Sie es dann erneut.',
      other: 'Bitte warten Sie {n} Minuten und versuchen Sie es dann erneut.',
    },
  },
};

/** The best of our languages for an Accept-Language header (q-values honoured); English by default. */
export function pickLanguage(acceptLanguage: string | null | undefined): Language {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { base: tag.split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const match = ranked.find((entry) => (LANGUAGES as readonly string[]).includes(entry.base));
  return (match?.base as Language | undefined) ?? 'en';
}

/** Small standalone HTML pages a customer may see: unknown link, expired link, try again shortly. */
import { html } from 'hono/html';
import type { Language } from './redeem-texts';

/** A self-contained page with a heading and one paragraph (no scripts, no external assets). */
export const messagePage = (title: string, text: string, lang: Language = 'en') => html`<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${title}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f6f7f9; color: #1d2430; }
      main { max-width: 28rem; padding: 2rem; text-align: center; }
      h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
    </style>
  </head>
  <body>
    <main>
      <h1>${title}</h1>
      <p>${text}</p>
    </main>
  </body>
</html>`;

export const unknownLinkPage = () => messagePage('Link not found', 'This link does not exist. Please check the address you typed or scanned.');

export const goneLinkPage = () => messagePage('This link has expired', 'The campaign behind this link has ended. Thank you for your interest.');

/** Seconds a customer is asked to wait when a visit cannot be served or kept right now. */
export const RETRY_AFTER_SECONDS = 10;

const UNAVAILABLE = {
  en: ['Please try again in a moment', 'We cannot open this link right now. Please reload the page in a few seconds.'],
  de: ['Bitte versuchen Sie es gleich noch einmal', 'Dieser Link lässt sich gerade nicht öffnen. Bitte laden Sie die Seite in ein paar Sekunden neu.'],
} as const satisfies Record<Language, readonly [string, string]>;

/** The 503 page (answered with Retry-After) when the link cannot be read or the visit cannot be kept. */
export const unavailablePage = (lang: Language) => messagePage(UNAVAILABLE[lang][0], UNAVAILABLE[lang][1], lang);

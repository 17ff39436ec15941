/** Small standalone HTML pages a customer may see: unknown link, expired link. */
import { html } from 'hono/html';

/** A self-contained page with a heading and one paragraph (no scripts, no external assets). */
export const messagePage = (title: string, text: string) => html`<!doctype html>
<html lang="en">
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

export const unknownLinkPage = () =>
  messagePage('Link not found', 'This link does not exist. Please check the address you typed or scanned.');

export const goneLinkPage = () =>
  messagePage('This link has expired', 'The campaign behind this link has ended. Thank you for your interest.');

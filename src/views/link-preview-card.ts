/**
 * The page link-preview bots (Slack, WhatsApp, Facebook …) get instead of the redirect when a link has a social
 * preview: Open Graph and Twitter card tags, every value HTML-escaped by the template. A person who lands here
 * anyway (an agent mistaken for a bot) follows the link in the body.
 */
import { html } from 'hono/html';
import type { SocialPreview } from '../domain/social-preview';

/** `url`: the short URL as shared; `destination`: where a person continues. */
export const linkPreviewCard = (preview: SocialPreview, url: string, destination: string) => html`<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <meta name="robots" content="noindex" />
    <title>${preview.title}</title>
    <meta property="og:type" content="website" />
    <meta property="og:title" content="${preview.title}" />
    ${preview.description === null ? '' : html`<meta property="og:description" content="${preview.description}" />`}
    ${preview.imageUrl === null ? '' : html`<meta property="og:image" content="${preview.imageUrl}" />`}
    <meta property="og:url" content="${url}" />
    <meta name="twitter:card" content="${preview.imageUrl === null ? 'summary' : 'summary_large_image'}" />
    <meta name="twitter:title" content="${preview.title}" />
    ${preview.description === null ? '' : html`<meta name="twitter:description" content="${preview.description}" />`}
    ${preview.imageUrl === null ? '' : html`<meta name="twitter:image" content="${preview.imageUrl}" />`}
  </head>
  <body>
    <p><a href="${destination}">${preview.title}</a></p>
  </body>
</html>`;

/** The printable QR sheet: A4, three codes a row, slug, label and short URL under each. */
import { html, raw } from 'hono/html';
import type { LinkWithCampaign } from '../db/links';

export interface QrCard {
  link: LinkWithCampaign;
  shortUrl: string;
  svg: string;
}

export const qrSheetPage = (campaignName: string, cards: QrCard[]) => html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>QR codes — ${campaignName}</title>
    <style>
      @page { size: A4; margin: 12mm; }
      body { font: 10pt/1.35 system-ui, sans-serif; color: #111; margin: 0; }
      h1 { font-size: 14pt; margin: 0 0 6mm; }
      .sheet { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6mm; }
      .card { border: 0.3mm dashed #999; padding: 4mm; text-align: center; break-inside: avoid; page-break-inside: avoid; }
      .card svg { width: 40mm; height: 40mm; display: block; margin: 0 auto 2mm; }
      .slug { font-weight: 600; font-family: ui-monospace, monospace; }
      .label { margin: 1mm 0; }
      .url { font-size: 8pt; color: #444; word-break: break-all; }
      .empty { color: #555; }
      @media print { .hint { display: none; } }
    </style>
  </head>
  <body>
    <h1>${campaignName}</h1>
    <p class="hint">Print on A4 at 100 % scale; cut along the dashed lines.</p>
    ${cards.length === 0 ? html`<p class="empty">This campaign has no active links yet.</p>` : ''}
    <div class="sheet">
      ${cards.map(
        (card) => html`<figure class="card">
          ${raw(card.svg)}
          <figcaption>
            <div class="slug">${card.link.slug}</div>
            ${card.link.label ? html`<div class="label">${card.link.label}</div>` : ''}
            <div class="url">${card.shortUrl}</div>
          </figcaption>
        </figure>`,
      )}
    </div>
  </body>
</html>`;

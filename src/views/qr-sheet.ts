/** The printable QR sheet of a campaign: A4 pages of cards, each an inline SVG code with its slug, label and short URL. */
import { html, raw } from 'hono/html';

export interface QrSheetCard {
  slug: string;
  label: string | null;
  shortUrl: string;
  /** Inline SVG markup, already escaped where it carries text. */
  svg: string;
}

export interface QrSheet {
  campaignName: string;
  /** Which links the sheet holds, said in words ("QR links", "all active links"). */
  selection: string;
  cards: QrSheetCard[];
  /** Set when the campaign has more links than one sheet shows. */
  truncatedAt?: number;
}

const card = (c: QrSheetCard) => html`<figure class="card">
      ${raw(c.svg)}
      <figcaption>
        ${c.label ? html`<strong class="label">${c.label}</strong>` : ''}
        <code class="slug">${c.slug}</code>
        <span class="url">${c.shortUrl}</span>
      </figcaption>
    </figure>`;

/** The whole page; every text goes through hono/html's escaping, only our own SVG is inserted raw. */
export const qrSheetPage = (sheet: QrSheet) => html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>QR codes · ${sheet.campaignName}</title>
    <style>
      @page { size: A4 portrait; margin: 12mm; }
      * { box-sizing: border-box; }
      body { font: 10pt/1.35 system-ui, sans-serif; color: #000; background: #fff; margin: 0 auto; max-width: 186mm; padding: 8mm 0; }
      header { margin-bottom: 6mm; }
      h1 { font-size: 14pt; margin: 0; }
      header p { margin: 1mm 0 0; color: #444; }
      .grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6mm; }
      .card { margin: 0; padding: 4mm; border: 0.3mm dashed #999; text-align: center; break-inside: avoid; page-break-inside: avoid; }
      .card svg { display: block; width: 48mm; height: 48mm; margin: 0 auto 2mm; }
      figcaption { display: flex; flex-direction: column; gap: 0.5mm; overflow-wrap: anywhere; }
      .label { font-size: 10pt; }
      .slug { font: 9pt ui-monospace, monospace; }
      .url { font-size: 8pt; color: #333; }
      @media print {
        body { padding: 0; max-width: none; }
        header p.hint { display: none; }
        .card { border-color: #ccc; }
      }
    </style>
  </head>
  <body>
    <header>
      <h1>${sheet.campaignName}</h1>
      <p>${sheet.cards.length} ${sheet.cards.length === 1 ? 'code' : 'codes'} · ${sheet.selection}${sheet.truncatedAt ? ` · first ${sheet.truncatedAt} shown` : ''}</p>
      <p class="hint">Print at 100 % scale; cut along the dashed lines.</p>
    </header>
    <main class="grid">
      ${sheet.cards.map(card)}
    </main>
  </body>
</html>`;

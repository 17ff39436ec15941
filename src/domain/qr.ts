/**
 * QR codes as pure functions: text → module matrix → SVG markup or packed pixel rows.
 * Colours are checked with WCAG relative luminance before anything is drawn.
 */
import { create } from 'qrcode';
import type { QrEcc } from './vocab';

export const QR_SIZE = { min: 64, max: 4096, default: 512 } as const;
export const QR_MARGIN = { min: 0, max: 16, default: 4 } as const;
export const QR_DEFAULT_FG = '#000000';
export const QR_DEFAULT_BG = '#ffffff';
/**
 * Smallest foreground/background contrast we draw. 4.5:1 is WCAG AA for body text; phone scanners
 * binarise a greyscale image, and below roughly this ratio print, glare and camera noise make the
 * dark and light modules hard to tell apart.
 */
export const QR_MIN_CONTRAST = 4.5;

/** A square grid of modules, row-major; 1 = dark. */
export interface QrMatrix {
  size: number;
  modules: Uint8Array;
}

export interface QrStyle {
  /** Image width and height in pixels. */
  size: number;
  /** Quiet zone in modules on each side. */
  margin: number;
  /** `#rrggbb`, lower case. */
  fg: string;
  bg: string;
}

/** The module matrix of `text` at error-correction level `ecc` (smallest version that fits). */
export function qrMatrix(text: string, ecc: QrEcc): QrMatrix {
  const code = create(text, { errorCorrectionLevel: ecc });
  return { size: code.modules.size, modules: Uint8Array.from(code.modules.data) };
}

const HEX_COLOUR = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** `#rgb`, `#rrggbb` (the `#` optional) → `#rrggbb` lower case; null when it is not a hex colour. */
export function normaliseHexColour(value: string): string | null {
  const match = HEX_COLOUR.exec(value.trim());
  if (!match) return null;
  const hex = match[1].toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((d) => d + d).join('') : hex}`;
}

/** WCAG 2.x relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white). */
export function relativeLuminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Why `fg` on `bg` would not scan, naming the field; null when it is fine. */
export function colourProblem(fg: string, bg: string): string | null {
  if (relativeLuminance(fg) > relativeLuminance(bg)) {
    return `fg: ${fg} is lighter than bg ${bg}; many scanners cannot read light-on-dark codes`;
  }
  const ratio = contrastRatio(fg, bg);
  if (ratio < QR_MIN_CONTRAST) {
    return `fg: contrast with bg is ${ratio.toFixed(2)}:1, at least ${QR_MIN_CONTRAST}:1 is needed to scan reliably`;
  }
  return null;
}

/** `#rrggbb` → [r, g, b]. */
export function rgb(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** The SVG path of the dark modules: one rectangle per horizontal run, offset by the margin. */
export function modulePath(matrix: QrMatrix, margin: number): string {
  const parts: string[] = [];
  const n = matrix.size;
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!matrix.modules[y * n + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < n && matrix.modules[y * n + x]) x++;
      parts.push(`M${start + margin} ${y + margin}h${x - start}v1h-${x - start}z`);
    }
  }
  return parts.join('');
}

/** A standalone SVG image: `size` px square, viewBox in modules, one crisp path on a background rect. */
export function renderSvg(matrix: QrMatrix, style: QrStyle, title?: string): string {
  const extent = matrix.size + 2 * style.margin;
  const label = title === undefined ? '' : `<title>${escapeXml(title)}</title>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${style.size}" height="${style.size}" viewBox="0 0 ${extent} ${extent}" shape-rendering="crispEdges">` +
    label +
    `<rect width="${extent}" height="${extent}" fill="${style.bg}"/>` +
    `<path fill="${style.fg}" d="${modulePath(matrix, style.margin)}"/>` +
    `</svg>`
  );
}

/** Escapes text for XML and HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Smallest image size in pixels that gives every module (and the quiet zone) at least one pixel. */
export const minimumPixels = (matrix: QrMatrix, margin: number): number => matrix.size + 2 * margin;

/**
 * Pixel layout of a raster image: whole pixels per module so every module has the same width
 * (scanners misread uneven modules); what is left over widens the quiet zone evenly.
 */
export function rasterLayout(matrix: QrMatrix, style: Pick<QrStyle, 'size' | 'margin'>): { scale: number; offset: number } {
  const scale = Math.floor(style.size / minimumPixels(matrix, style.margin));
  if (scale < 1) throw new RangeError(`size ${style.size} is below ${minimumPixels(matrix, style.margin)} px`);
  const offset = Math.floor((style.size - scale * matrix.size) / 2);
  return { scale, offset };
}

/**
 * The image as PNG scanlines at 1 bit per pixel (palette index 0 = background, 1 = foreground),
 * each row prefixed with filter type 0, ready to be deflated into IDAT.
 */
export function packedScanlines(matrix: QrMatrix, style: Pick<QrStyle, 'size' | 'margin'>): Uint8Array<ArrayBuffer> {
  const { scale, offset } = rasterLayout(matrix, style);
  const stride = 1 + Math.ceil(style.size / 8);
  const out = new Uint8Array(stride * style.size);
  const n = matrix.size;
  for (let y = 0; y < n; y++) {
    const row = new Uint8Array(stride);
    for (let x = 0; x < n; x++) {
      if (!matrix.modules[y * n + x]) continue;
      for (let px = offset + x * scale, end = px + scale; px < end; px++) row[1 + (px >> 3)] |= 0x80 >> (px & 7);
    }
    for (let k = 0, top = offset + y * scale; k < scale; k++) out.set(row, (top + k) * stride);
  }
  return out;
}

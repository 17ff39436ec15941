/**
 * QR codes as pure data: the module matrix, colours and their contrast, the
 * SVG drawing and the 1-bit palette scanlines a PNG is built from.
 */
import QRCode from 'qrcode';

export const QR_ECC_LEVELS = ['L', 'M', 'Q', 'H'] as const;
export type QrEcc = (typeof QR_ECC_LEVELS)[number];

export const QR_SIZE = { min: 64, max: 4096, default: 512 } as const;
export const QR_MARGIN = { min: 0, max: 16, default: 4 } as const;
/** Minimum WCAG contrast ratio between background and foreground for a code phones read reliably. */
export const MIN_QR_CONTRAST = 3;

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  dark: (row: number, col: number) => boolean;
}

/** The module matrix encoding `text` at error-correction level `ecc`. */
export function qrMatrix(text: string, ecc: QrEcc): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: ecc });
  return { size: modules.size, dark: (row, col) => modules.data[row * modules.size + col] === 1 };
}

export type Rgb = readonly [number, number, number];

/** `#rgb` or `#rrggbb` (the # optional) to RGB, or null when it is not a colour. */
export function parseHexColour(value: string): Rgb | null {
  const hex = value.replace(/^#/, '');
  if (!/^([0-9a-f]{3}|[0-9a-f]{6})$/i.test(hex)) return null;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

export const hexColour = ([r, g, b]: Rgb): string => `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Why a foreground/background pair cannot be printed as a QR code, or null. */
export function colourProblem(fg: Rgb, bg: Rgb): string | null {
  const dark = luminance(fg);
  const light = luminance(bg);
  if (dark >= light) return 'the foreground must be darker than the background';
  const ratio = (light + 0.05) / (dark + 0.05);
  if (ratio < MIN_QR_CONTRAST) return `contrast ${ratio.toFixed(2)}:1 is too low to scan; at least ${MIN_QR_CONTRAST}:1 is needed`;
  return null;
}

export interface QrStyle {
  margin: number;
  fg: Rgb;
  bg: Rgb;
}

/** An SVG of the code: one background rect and one path of horizontal runs, crisp at any size. */
export function qrSvg(matrix: QrMatrix, style: QrStyle, pixelSize: number): string {
  const total = matrix.size + 2 * style.margin;
  let path = '';
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      if (!matrix.dark(row, col)) continue;
      let run = 1;
      while (col + run < matrix.size && matrix.dark(row, col + run)) run++;
      path += `M${col + style.margin} ${row + style.margin}h${run}v1h-${run}z`;
      col += run - 1;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${pixelSize}" height="${pixelSize}" viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges">` +
    `<rect width="${total}" height="${total}" fill="${hexColour(style.bg)}"/>` +
    `<path fill="${hexColour(style.fg)}" d="${path}"/></svg>`
  );
}

/**
 * PNG scanlines for a `pixelSize`² image at 1 bit per pixel (palette index 1
 * = foreground), each prefixed with filter type 0.
 */
export function qrScanlines(matrix: QrMatrix, margin: number, pixelSize: number): Uint8Array {
  const total = matrix.size + 2 * margin;
  const rowBytes = Math.ceil(pixelSize / 8);
  const out = new Uint8Array(pixelSize * (rowBytes + 1));
  const moduleAt = (pixel: number) => Math.floor((pixel * total) / pixelSize) - margin;
  const columns = Array.from({ length: pixelSize }, (_, x) => moduleAt(x));
  for (let y = 0; y < pixelSize; y++) {
    const offset = y * (rowBytes + 1);
    const row = moduleAt(y);
    if (row < 0 || row >= matrix.size) continue;
    for (let x = 0; x < pixelSize; x++) {
      const col = columns[x];
      if (col >= 0 && col < matrix.size && matrix.dark(row, col)) out[offset + 1 + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return out;
}

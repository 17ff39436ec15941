/** QR images as HTTP bodies: SVG or PNG of a text, with a strong ETag over everything that shapes the bytes. */
import { minimumPixels, packedScanlines, qrMatrix, renderSvg, rgb, type QrStyle } from '../domain/qr';
import type { QrEcc, QrFormat } from '../domain/vocab';
import { sha256Hex } from '../lib/crypto';
import { ApiError } from '../lib/errors';
import { encodePalettePng } from '../lib/png';

/** Bump when the renderer's output changes, so cached images are not revalidated as unchanged. */
const RENDERER_VERSION = 1;

export interface QrImageRequest extends QrStyle {
  text: string;
  format: QrFormat;
  ecc: QrEcc;
}

export const QR_CONTENT_TYPES = { svg: 'image/svg+xml; charset=utf-8', png: 'image/png' } as const satisfies Record<QrFormat, string>;

/** A strong ETag: hash of the encoded text, every option and the format. */
export async function qrEtag(request: QrImageRequest): Promise<string> {
  const { text, format, size, margin, ecc, fg, bg } = request;
  const digest = await sha256Hex(JSON.stringify([RENDERER_VERSION, text, format, size, margin, ecc, fg, bg]));
  return `"qr-${digest.slice(0, 32)}"`;
}

/** True when an `If-None-Match` header names `etag` (or is `*`); weak comparison, as RFC 9110 asks for GET. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** The image bytes (PNG) or markup (SVG); 422 when `size` cannot give each module a pixel. */
export async function renderQrImage(request: QrImageRequest): Promise<Uint8Array<ArrayBuffer> | string> {
  const matrix = qrMatrix(request.text, request.ecc);
  const needed = minimumPixels(matrix, request.margin);
  if (request.size < needed) {
    throw new ApiError(
      'unprocessable',
      `size: this link's code has ${needed} modules with margin ${request.margin} at ECC ${request.ecc}; ask for at least ${needed} px, or a smaller margin or ECC level`,
    );
  }
  if (request.format === 'svg') return renderSvg(matrix, request);
  return encodePalettePng({
    width: request.size,
    height: request.size,
    bitDepth: 1,
    palette: [rgb(request.bg), rgb(request.fg)],
    scanlines: packedScanlines(matrix, request),
  });
}

/** Test helpers: draw our SVG's path onto pixels, and read a QR code from RGBA pixels with jsQR. */
import jsQR from 'jsqr';
import type { XmlElement } from './xml';
import type { RgbaImage } from './png-decode';

/**
 * Rasterises the SVG we render (a background rect and one path of `M x y h w v1 h-w z` runs)
 * at `scale` pixels per viewBox unit; throws on any path command it does not expect.
 */
export function rasteriseSvg(svg: XmlElement, scale: number): RgbaImage {
  const [, , extent] = svg.attrs.viewBox.split(' ').map(Number);
  const width = extent * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  const path = svg.children.find((child) => child.name === 'path')!;
  const runs = path.attrs.d.match(/M\d+ \d+h\d+v1h-\d+z/g) ?? [];
  if (runs.join('') !== path.attrs.d) throw new Error('unexpected path commands');
  for (const run of runs) {
    const [x, y, w] = run.match(/\d+/g)!.map(Number);
    for (let py = y * scale; py < (y + 1) * scale; py++) {
      for (let px = x * scale; px < (x + w) * scale; px++) data.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
    }
  }
  return { width, height: width, data };
}

/** The text of the QR code in an image, or null when jsQR finds none. */
export function readQr(image: RgbaImage): string | null {
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

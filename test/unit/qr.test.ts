import { describe, expect, it } from 'vitest';
import {
  colourProblem,
  contrastRatio,
  modulePath,
  normaliseHexColour,
  packedScanlines,
  qrMatrix,
  rasterLayout,
  relativeLuminance,
  renderSvg,
} from '../../src/domain/qr';
import { QR_ECC_LEVELS } from '../../src/domain/vocab';
import { crc32, encodePalettePng } from '../../src/lib/png';
import { decodePng, pngChunks } from '../png-decode';
import { rasteriseSvg, readQr } from '../qr-raster';
import { parseXml } from '../xml';

const URL = 'https://tp.test/spring24?qr=1';
const style = { size: 300, margin: 4, fg: '#000000', bg: '#ffffff' };

async function png(text: string, ecc: (typeof QR_ECC_LEVELS)[number], size: number, margin = 4, fg = '#000000', bg = '#ffffff') {
  const matrix = qrMatrix(text, ecc);
  return encodePalettePng({
    width: size,
    height: size,
    bitDepth: 1,
    palette: [bg, fg].map((c) => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)] as const),
    scanlines: packedScanlines(matrix, { size, margin }),
  });
}

describe('colours', () => {
  it('normalises #rgb and #rrggbb, with or without #', () => {
    expect(normaliseHexColour('#ABC')).toBe('#aabbcc');
    expect(normaliseHexColour('1a2B3c')).toBe('#1a2b3c');
    expect(normaliseHexColour('#12345')).toBeNull();
    expect(normaliseHexColour('red')).toBeNull();
  });

  it('computes WCAG luminance and contrast', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBe(1);
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#ffffff', '#000000')).toBe(21);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('refuses a foreground lighter than the background and low contrast', () => {
    expect(colourProblem('#000000', '#ffffff')).toBeNull();
    expect(colourProblem('#1a4b8c', '#ffffff')).toBeNull();
    expect(colourProblem('#ffffff', '#000000')).toBe('fg: #ffffff is lighter than bg #000000; many scanners cannot read light-on-dark codes');
    expect(colourProblem('#777777', '#ffffff')).toBe('fg: contrast with bg is 4.48:1, at least 4.5:1 is needed to scan reliably');
    expect(colourProblem('#ffffff', '#ffffff')).toBe('fg: contrast with bg is 1.00:1, at least 4.5:1 is needed to scan reliably');
  });
});

describe('matrix and layout', () => {
  it('picks a larger version for a higher error-correction level', () => {
    expect(qrMatrix(URL, 'L').size).toBe(25);
    expect(qrMatrix(URL, 'H').size).toBe(33);
  });

  it('uses whole pixels per module and centres the code', () => {
    const matrix = qrMatrix(URL, 'M'); // 29 modules + 8 quiet = 37
    expect(matrix.size).toBe(29);
    expect(rasterLayout(matrix, { size: 300, margin: 4 })).toEqual({ scale: 8, offset: 34 });
    expect(rasterLayout(matrix, { size: 64, margin: 4 })).toEqual({ scale: 1, offset: 17 });
    expect(() => rasterLayout(matrix, { size: 36, margin: 4 })).toThrow(RangeError);
  });

  it('draws one rectangle per horizontal run of dark modules', () => {
    const matrix = { size: 3, modules: Uint8Array.from([1, 1, 0, 0, 0, 0, 1, 0, 1]) };
    expect(modulePath(matrix, 2)).toBe('M2 2h2v1h-2zM2 4h1v1h-1zM4 4h1v1h-1z');
  });
});

describe('svg', () => {
  it('is well-formed XML with size, viewBox, crisp edges and one path', () => {
    const svg = parseXml(renderSvg(qrMatrix(URL, 'M'), style, 'QR <"Tom & Jerry">'));
    expect(svg.name).toBe('svg');
    expect(svg.attrs).toEqual({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '300',
      height: '300',
      viewBox: '0 0 37 37',
      'shape-rendering': 'crispEdges',
    });
    expect(svg.children.map((child) => child.name)).toEqual(['title', 'rect', 'path']);
    expect(svg.children[0].text).toBe('QR <"Tom & Jerry">');
    expect(svg.children[1].attrs).toEqual({ width: '37', height: '37', fill: '#ffffff' });
    expect(svg.children[2].attrs.fill).toBe('#000000');
  });

  it.each(QR_ECC_LEVELS)('rasterises back to the encoded text at ECC %s', (ecc) => {
    const svg = parseXml(renderSvg(qrMatrix(URL, ecc), style));
    expect(readQr(rasteriseSvg(svg, 4))).toBe(URL);
  });
});

describe('png', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('writes IHDR, PLTE, IDAT, IEND with a 1-bit palette', async () => {
    const chunks = pngChunks(await png(URL, 'M', 300, 4, '#1a4b8c', '#fffdf0'));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
    expect([...chunks[0].data]).toEqual([0, 0, 1, 44, 0, 0, 1, 44, 1, 3, 0, 0, 0]);
    expect([...chunks[1].data]).toEqual([0xff, 0xfd, 0xf0, 0x1a, 0x4b, 0x8c]);
  });

  it('decodes to pixels: a light quiet zone and the top-left finder pattern', async () => {
    const image = await decodePng(await png(URL, 'M', 300));
    const pixel = (x: number, y: number) => [...image.data.subarray((y * 300 + x) * 4, (y * 300 + x) * 4 + 4)];
    expect([image.width, image.height]).toEqual([300, 300]);
    expect(pixel(0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(33, 33)).toEqual([255, 255, 255, 255]);
    expect(pixel(34, 34)).toEqual([0, 0, 0, 255]); // offset 34, scale 8
    expect(pixel(34 + 8, 34 + 8)).toEqual([255, 255, 255, 255]);
  });

  for (const size of [64, 300, 1024]) {
    it.each(QR_ECC_LEVELS)(`reads back the exact URL at ${size} px, ECC %s`, async (ecc) => {
      const image = await decodePng(await png(URL, ecc, size));
      expect(readQr(image)).toBe(URL);
    });
  }
});

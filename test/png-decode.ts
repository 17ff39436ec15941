/** Test helper: decodes a PNG (8-bit or lower palette, greyscale, RGB, RGBA; no interlace) to RGBA, checking every CRC. */
import { crc32 } from '../src/lib/png';

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The image's chunks in order, after checking the signature and each CRC. */
export function pngChunks(png: Uint8Array): Array<{ type: string; data: Uint8Array }> {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, i) => png[i] === byte)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (view.getUint32(at + 8 + length) !== crc32(png.subarray(at + 4, at + 8 + length))) throw new Error(`bad CRC in ${type}`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

/** PNG bytes → RGBA pixels. */
export async function decodePng(png: Uint8Array): Promise<RgbaImage> {
  const chunks = pngChunks(png);
  const ihdr = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  const bitDepth = ihdr.getUint8(8);
  const colourType = ihdr.getUint8(9);
  if (ihdr.getUint8(12) !== 0) throw new Error('interlaced PNGs are not supported');
  if (bitDepth === 16) throw new Error('16-bit PNGs are not supported');
  const palette = chunks.find((c) => c.type === 'PLTE')?.data;
  const idat = chunks.filter((c) => c.type === 'IDAT').map((c) => c.data);
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  idat.reduce((at, d) => (joined.set(d, at), at + d.length), 0);
  const raw = await inflate(joined);

  const bitsPerPixel = CHANNELS[colourType] * bitDepth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  if (raw.length !== (stride + 1) * height) throw new Error(`IDAT holds ${raw.length} bytes, expected ${(stride + 1) * height}`);
  const lines = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? lines[y * stride + x - bpp] : 0;
      const b = y > 0 ? lines[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? lines[(y - 1) * stride + x - bpp] : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`unknown filter ${filter}`);
      lines[y * stride + x] = (src[x] + predictor) & 0xff;
    }
  }

  const data = new Uint8ClampedArray(width * height * 4);
  const sample = (y: number, index: number): number => {
    const bit = index * bitDepth;
    const byte = lines[y * stride + (bit >> 3)];
    return bitDepth === 8 ? byte : (byte >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * 4;
      const channels = CHANNELS[colourType];
      const values = Array.from({ length: channels }, (_, k) => sample(y, x * channels + k));
      let rgba: number[];
      if (colourType === 3) {
        if (!palette || values[0] * 3 + 2 >= palette.length) throw new Error('palette index out of range');
        rgba = [palette[values[0] * 3], palette[values[0] * 3 + 1], palette[values[0] * 3 + 2], 255];
      } else if (colourType === 0 || colourType === 4) {
        const grey = Math.round((values[0] * 255) / ((1 << bitDepth) - 1));
        rgba = [grey, grey, grey, colourType === 4 ? values[1] : 255];
      } else {
        rgba = [values[0], values[1], values[2], colourType === 6 ? values[3] : 255];
      }
      data.set(rgba, out);
    }
  }
  return { width, height, data };
}

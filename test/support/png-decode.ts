/** Test-side PNG reader for 1/8-bit palette and greyscale images (what the QR writer emits), to RGBA for jsqr. */
export interface DecodedPng {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function decodePng(png: Uint8Array): Promise<DecodedPng> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, i) => png[i] === byte)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0, height = 0, bitDepth = 0, colourType = 0;
  let palette: number[][] = [];
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      const header = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = header.getUint32(0);
      height = header.getUint32(4);
      bitDepth = data[8];
      colourType = data[9];
    } else if (type === 'PLTE') {
      palette = Array.from({ length: data.length / 3 }, (_, i) => [data[i * 3], data[i * 3 + 1], data[i * 3 + 2]]);
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const compressed = new Uint8Array(idat.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of idat) {
    compressed.set(part, at);
    at += part.length;
  }
  const raw = await inflate(compressed);
  const rowBytes = Math.ceil((width * bitDepth) / 8);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)];
    if (filter !== 0) throw new Error(`filter ${filter} not supported by this reader`);
    const row = raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    for (let x = 0; x < width; x++) {
      const bit = (x * bitDepth) % 8;
      const sample = (row[Math.floor((x * bitDepth) / 8)] >> (8 - bitDepth - bit)) & ((1 << bitDepth) - 1);
      const colour = colourType === 3 ? palette[sample] : [sample, sample, sample].map((v) => (v * 255) / ((1 << bitDepth) - 1));
      rgba.set([colour[0], colour[1], colour[2], 255], (y * width + x) * 4);
    }
  }
  return { width, height, rgba };
}

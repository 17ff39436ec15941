/** gzip on the Workers runtime's CompressionStream: text in, bytes out, and back. */

/** The gzip bytes of `text` (UTF-8). */
export async function gzipText(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The text (UTF-8) inside gzip `bytes`; rejects when they are not a whole gzip stream. */
export async function gunzipText(bytes: ReadableStream<Uint8Array> | ArrayBuffer | Uint8Array): Promise<string> {
  const source = bytes instanceof ReadableStream ? bytes : new Blob([bytes]).stream();
  return new Response(source.pipeThrough(new DecompressionStream('gzip'))).text();
}

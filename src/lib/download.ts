/**
 * Downloads: the headers that offer a body as a named file, and a pull-driven
 * stream that fetches one page at a time only when the reader asks for more,
 * so a download of any size holds one page in memory (CSV and NDJSON alike).
 */

/** The headers of a download named `filename` of `contentType` (also for streamed bodies). */
export const downloadHeaders = (filename: string, contentType: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'Content-Type': contentType,
  'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  ...extra,
});

/** One page of a paged stream: its text, and the cursor of the next page (null: this was the last). */
export interface TextPage<C> {
  text: string;
  next: C | null;
}

/**
 * Streams `head`, then the text of pages from `nextPage(cursor)`, each page
 * read only when the reader pulls (highWaterMark 1: nothing is read ahead of
 * it), until a page says there is no next one.
 */
export function pagedStream<C>(head: string, first: C, nextPage: (cursor: C) => Promise<TextPage<C>>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: C | null = first;
  let headSent = head === '';
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headSent) {
          headSent = true;
          controller.enqueue(encoder.encode(head));
          return;
        }
        if (cursor === null) {
          controller.close();
          return;
        }
        const page = await nextPage(cursor);
        cursor = page.next;
        if (page.text !== '') controller.enqueue(encoder.encode(page.text));
        if (cursor === null) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}

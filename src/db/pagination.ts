/** Cursor pagination over time-sortable ids: the cursor is the last id of the page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cuts `limit + 1` fetched rows to a page and derives the next cursor. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}

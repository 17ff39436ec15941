/** Merging what every touch shard's rollups give into what one database holding every touch would give. */

/** A report cell: its group's dimension values, then what is added up. */
type Cell = { dims: Partial<Record<string, string | null>> };
type Traffic = { visits: number; clicks: number; scans: number; code_entries: number; bots: number };

/**
 * Cells read on every touch shard, added up per group (`add` folds a cell into the group's), in the
 * order of their dimension values ('' first, as SQLite's GROUP BY gives them). One shard: its cells as read.
 */
export function mergeShardCells<C extends Cell>(perShard: readonly C[][], dims: readonly string[], add: (into: C, cell: C) => void): C[] {
  if (perShard.length === 1) return perShard[0];
  const merged = new Map<string, C>();
  for (const cells of perShard) {
    for (const cell of cells) {
      const key = JSON.stringify(dims.map((dim) => cell.dims[dim] ?? ''));
      const into = merged.get(key);
      if (into) add(into, cell);
      else merged.set(key, { ...cell });
    }
  }
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => cell);
}

/**
 * Credit cells read on every conversion shard (sharded conversions), added up per group, currency and rate day, in
 * the order SQLite's GROUP BY gives them on one database. One shard: its cells as read.
 */
export function mergeCreditCells<C extends Cell & { currency: string | null; day: string; conversions: number; revenue: number }>(
  perShard: readonly C[][],
  dims: readonly string[],
): C[] {
  if (perShard.length === 1) return perShard[0];
  const merged = new Map<string, C>();
  for (const cells of perShard) {
    for (const cell of cells) {
      const key = JSON.stringify([...dims.map((dim) => cell.dims[dim] ?? ''), cell.currency ?? '', cell.day]);
      const into = merged.get(key);
      if (into) {
        into.conversions += cell.conversions;
        into.revenue += cell.revenue;
      } else merged.set(key, { ...cell });
    }
  }
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => cell);
}

export const addTraffic = (into: Traffic, cell: Traffic): void => {
  into.visits += cell.visits;
  into.clicks += cell.clicks;
  into.scans += cell.scans;
  into.code_entries += cell.code_entries;
  into.bots += cell.bots;
};

/** Distinct visitors add up across shards: a visitor's touches all sit on one shard (the hash of its id). */
export const addVisitors = (into: { visitors: number }, cell: { visitors: number }): void => {
  into.visitors += cell.visitors;
};

/**
 * Rows of every shard added up per `keyOf(row)`: the `fields` summed (as numbers), the other columns as the first
 * row of the key has them; keys in the order first seen.
 */
export function sumRowsBy<R extends object>(rows: readonly R[], keyOf: (row: R) => string, fields: readonly (keyof R & string)[]): R[] {
  const sums = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const values = row as Record<string, unknown>;
    const sum = sums.get(keyOf(row));
    if (sum) for (const field of fields) sum[field] = Number(sum[field]) + Number(values[field]);
    else sums.set(keyOf(row), { ...values, ...Object.fromEntries(fields.map((field) => [field, Number(values[field])])) });
  }
  return [...sums.values()] as R[];
}

/**
 * The `limit` values with the most visits over every shard's top values, most first, then by value ('' first).
 * With several shards, each shard's values are read whole (no LIMIT), so the top is exact.
 */
export function topValues(perShard: ReadonlyArray<ReadonlyArray<{ value: string | null; visits: number }>>, limit: number) {
  const visits = new Map<string, number>();
  for (const rows of perShard) for (const row of rows) visits.set(row.value ?? '', (visits.get(row.value ?? '') ?? 0) + Number(row.visits));
  return [...visits]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, limit)
    .map(([value, count]) => ({ value: value === '' ? null : value, visits: count }));
}

/**
 * Distinct-visitor sketches (HyperLogLog, 2^10 registers, ±3.25 % standard
 * error): a report over a long or busy range counts unique visitors from one
 * sketch per day and dimension cell instead of from every visitor, so its cost
 * follows the number of cells, not the number of touches.
 *
 * A visitor id hashes to 32 bits: the top PRECISION bits pick a register, the
 * rank is 1 + the leading zeros of the rest. A touch stores both as one integer
 * (`touches.visitor_hll` = register × 32 + rank); the rollup trigger of
 * schema/0006_visitor_sketch.sql keeps, per register, the highest rank seen.
 * Registers are stored as text, one character per register: '@' + rank.
 * Pure functions.
 */

export const PRECISION = 10;
export const REGISTERS = 1 << PRECISION;
/** Highest rank a register can hold: 32 − PRECISION bits left, all zero → 23. */
const MAX_RANK = 32 - PRECISION + 1;
const ZERO_CHAR = 64; // '@'

/** The dimensions a sketch cell can be split by; a cell holds '*' in the others. */
export const SKETCH_DIMS = ['campaign_id', 'channel', 'device_class', 'link_id'] as const;
export type SketchDim = (typeof SKETCH_DIMS)[number];
export const ANY = '*';

/**
 * The cell shapes of visitor_sketch (mirrored by the trigger in
 * schema/0006_visitor_sketch.sql), fewest cells first.
 */
export const SKETCH_SHAPES: ReadonlyArray<{ shape: number; dims: readonly SketchDim[] }> = [
  { shape: 0, dims: [] },
  { shape: 1, dims: ['campaign_id'] },
  { shape: 2, dims: ['channel', 'device_class'] },
  { shape: 3, dims: ['campaign_id', 'link_id'] },
  { shape: 4, dims: ['campaign_id', 'channel', 'device_class'] },
];

export type SketchCellKey = { shape: number } & Record<SketchDim, string>;
export type SketchCell = SketchCellKey & { registers: string };

/** Every cell of every shape for one day's visitors (what the trigger would have built from their touches). */
export function sketchCellsOf(visitors: Iterable<Record<SketchDim, string> & { visitor_id: string }>): SketchCell[] {
  const cells = new Map<string, { key: SketchCellKey; visitorIds: string[] }>();
  for (const visitor of visitors) {
    for (const { shape, dims } of SKETCH_SHAPES) {
      const key = { shape, ...Object.fromEntries(SKETCH_DIMS.map((dim) => [dim, dims.includes(dim) ? visitor[dim] : ANY])) } as SketchCellKey;
      const id = JSON.stringify(key);
      const cell = cells.get(id) ?? { key, visitorIds: [] };
      cell.visitorIds.push(visitor.visitor_id);
      cells.set(id, cell);
    }
  }
  return [...cells.values()].map(({ key, visitorIds }) => ({ ...key, registers: encodeRegisters(sketchOf(visitorIds)) }));
}

/** Ranges with at most this many human visits count unique visitors exactly; busier ones estimate them. */
export const DEFAULT_EXACT_VISITORS_LIMIT = 20_000;

/** Whether unique visitors behind `humanVisits` are estimated from sketches rather than counted exactly. */
export const estimatesVisitors = (humanVisits: number, exactVisitorsLimit: number): boolean => humanVisits > exactVisitorsLimit;

/** 32-bit hash of a string: FNV-1a over UTF-16 code units, then MurmurHash3's finaliser for avalanche. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The register and rank of a visitor, packed as register × 32 + rank (what `touches.visitor_hll` holds). */
export function sketchSlot(visitorId: string): number {
  const h = hash32(visitorId);
  const register = h >>> (32 - PRECISION);
  const rest = (h << PRECISION) >>> 0;
  const rank = rest === 0 ? MAX_RANK : Math.clz32(rest) + 1;
  return register * 32 + rank;
}

/** Registers as stored: one character per register. */
export function encodeRegisters(ranks: ArrayLike<number>): string {
  let text = '';
  for (let i = 0; i < REGISTERS; i++) text += String.fromCharCode(ZERO_CHAR + (ranks[i] ?? 0));
  return text;
}

/** Registers of a set of visitor ids (the same registers the trigger builds). */
export function sketchOf(visitorIds: Iterable<string>): Uint8Array {
  const ranks = new Uint8Array(REGISTERS);
  for (const id of visitorIds) {
    const slot = sketchSlot(id);
    const register = slot >>> 5;
    ranks[register] = Math.max(ranks[register], slot & 31);
  }
  return ranks;
}

/** Merges stored registers into `into` (the union of the visitor sets). */
export function mergeRegisters(into: Uint8Array, stored: string): Uint8Array {
  const length = Math.min(stored.length, REGISTERS);
  for (let i = 0; i < length; i++) {
    const rank = stored.charCodeAt(i) - ZERO_CHAR;
    if (rank > into[i]) into[i] = rank;
  }
  return into;
}

/** The estimated number of distinct visitors in the union of stored sketches. */
export function estimateStored(stored: Iterable<string>): number {
  const ranks = new Uint8Array(REGISTERS);
  for (const registers of stored) mergeRegisters(ranks, registers);
  return estimateCardinality(ranks);
}

/**
 * The cardinality estimate of merged registers: Ertl's improved raw estimator
 * ("New cardinality estimation algorithms for HyperLogLog sketches", 2017),
 * unbiased from 0 to billions without empirical correction tables.
 */
export function estimateCardinality(ranks: Uint8Array): number {
  const counts = new Array<number>(MAX_RANK + 1).fill(0);
  for (const rank of ranks) counts[rank] += 1;
  const m = REGISTERS;
  let z = m * tau(1 - counts[MAX_RANK] / m);
  for (let k = MAX_RANK - 1; k >= 1; k--) z = 0.5 * (z + counts[k]);
  z += m * sigma(counts[0] / m);
  return Math.round((m * m) / (2 * Math.LN2) / z);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const previous = z;
    z += x * y;
    y += y;
    if (z === previous) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const previous = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === previous) return z / 3;
  }
}

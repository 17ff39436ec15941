/**
 * JSON.parse that keeps integers beyond 2^53 exact, as their decimal text: Shopify's ids are 64-bit integers
 * sent as JSON numbers, which a plain parse would round to a neighbouring id. Uses the reviver's source text
 * (V8's JSON.parse source text access); every other value parses as usual.
 */
type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepBigIntegers: Reviver = (_key, value, context) =>
  typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source) ? context.source : value;

/** The parsed value of `text`, unsafe integers as strings; throws SyntaxError like JSON.parse. */
export const parseExactJson = (text: string): unknown => JSON.parse(text, keepBigIntegers as (key: string, value: unknown) => unknown);

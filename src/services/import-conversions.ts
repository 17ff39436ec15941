/**
 * Historic order import: each CSV row is one conversion, checked by the
 * conversion API's own schema and recorded by the same service, so it is
 * attributed to the touches before its occurred_at, redeems its promo code and
 * (a sale with a customer, under a bonus program) earns loyalty points dated
 * at occurred_at, exactly as if the shop had sent it then. The service is
 * idempotent on order_id: an order recorded before is a duplicate with the id
 * of the first. A refused row (a promo code used up, a bad value) fails alone.
 */
import type { Db } from '../db/client';
import type { Bindings } from '../env';
import { ApiError } from '../lib/errors';
import { describeZodError } from '../lib/validation';
import { ConversionInput } from '../schemas/conversions';
import type { ImportRow } from '../schemas/imports';
import { conversionInputOf } from './conversion-input';
import type { TableRow } from './import-table';
import { recordConversion } from './record-conversion';

const DECIMAL = /^\d+(\.\d+)?$/;

/** The JSON body the conversion API would take for `cells`; `type` defaults to sale. */
function bodyOf(cells: Record<string, string>): Record<string, unknown> {
  const { value, type, ...rest } = cells;
  return { ...rest, type: type ?? 'sale', ...(value === undefined ? {} : { value: DECIMAL.test(value) ? Number(value) : value }) };
}

/** Records one row; its result. */
async function importRow(db: Db, env: Bindings, row: TableRow, now: number): Promise<ImportRow> {
  const at = { row: row.row, line: row.line };
  const fail = (code: string, message: string): ImportRow => ({ ...at, status: 'failed', error: { code, message } });
  if (row.problem) return fail('validation_error', row.problem);
  for (const column of ['order_id', 'occurred_at']) if (!row.cells[column]) return fail('validation_error', `${column}: Required`);
  const parsed = ConversionInput.safeParse(bodyOf(row.cells));
  if (!parsed.success)
    return fail(
      'validation_error',
      describeZodError(parsed.error).replace(/value: Invalid input: expected number, received string/, 'value: must be a number like 19.99'),
    );
  try {
    const recorded = await recordConversion(db, env, conversionInputOf(parsed.data, now), now);
    return { ...at, status: recorded.created ? 'created' : 'duplicate', id: recorded.id };
  } catch (error) {
    if (error instanceof ApiError) return fail(error.code, error.message);
    // Not this row's fault (D1 unavailable …): say so and go on; a re-run records what is missing.
    console.error('conversion import row failed', error);
    return fail('internal_error', 'Could not be stored; import the file again (recorded rows are skipped as duplicates)');
  }
}

/** Imports the order rows of a CSV file one by one; one result per row, in file order. */
export async function importConversions(db: Db, env: Bindings, rows: readonly TableRow[], now: number): Promise<ImportRow[]> {
  const results: ImportRow[] = [];
  for (const row of rows) results.push(await importRow(db, env, row, now));
  return results;
}

/**
 * The whole-file part of a CSV import: the body must be UTF-8 `text/csv` of
 * bounded size, RFC 4180, with a header row naming known columns; any of that
 * wrong refuses the file (nothing written). What is left is one record per
 * data row, each judged on its own by the import that reads it.
 */
import { scanCsv } from '../lib/csv';
import { ApiError } from '../lib/errors';
import { MAX_IMPORT_BYTES, type CsvColumns } from '../schemas/imports';

/** A data record: its cells by column name (absent columns and empty cells are missing), or why it cannot be read. */
export interface TableRow {
  row: number;
  line: number;
  cells: Record<string, string>;
  /** The record's field count differs from the header's. */
  problem: string | null;
}

const tooLarge = () => new ApiError('payload_too_large', `The body is larger than ${MAX_IMPORT_BYTES} bytes; split the file`);

/** The body of an import request as text: `text/csv` (UTF-8), at most MAX_IMPORT_BYTES. */
export async function readCsvBody(request: Request): Promise<string> {
  const type = request.headers.get('Content-Type') ?? '';
  const [essence, ...params] = type.split(';').map((part) => part.trim().toLowerCase());
  const charset = params
    .find((param) => param.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (essence !== 'text/csv' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new ApiError('unsupported_media_type', `Send the file as "Content-Type: text/csv" (UTF-8), not "${type.slice(0, 100)}"`);
  }
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_IMPORT_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_IMPORT_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return utf8Text(bytes);
}

/** Strict UTF-8 text of an import's bytes (a BOM kept for the CSV reader to drop). */
function utf8Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ApiError('validation_error', 'The body is not UTF-8 text');
  }
}

/** An uploaded file (the dashboard's form) as text, under the same rules as the API's body: at most MAX_IMPORT_BYTES of UTF-8. */
export async function readCsvFile(file: Blob): Promise<string> {
  if (file.size > MAX_IMPORT_BYTES) throw tooLarge();
  return utf8Text(new Uint8Array(await file.arrayBuffer()));
}

/**
 * The data records of CSV `text` by column name. Refuses (400) text that is not
 * RFC 4180, a missing header row, unknown, repeated or missing required columns,
 * and (413) more than `maxRows` data records.
 */
export function importTable(text: string, columns: CsvColumns, maxRows: number): TableRow[] {
  const { records, problem } = scanCsv(text);
  if (problem) throw new ApiError('validation_error', `Not CSV (RFC 4180): ${problem}`);
  const [header, ...data] = records;
  if (!header) throw new ApiError('validation_error', `The file is empty: a header row naming the columns is required (${columns.required.join(', ')} …)`);
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const known = new Set([...columns.required, ...columns.optional]);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ApiError(
      'validation_error',
      `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')}; the columns are ${[...known].join(', ')}`,
    );
  }
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) throw new ApiError('validation_error', `Column "${repeated[0]}" is named twice`);
  const missing = columns.required.filter((name) => !names.includes(name));
  if (missing.length > 0) throw new ApiError('validation_error', `Missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (data.length > maxRows) throw new ApiError('payload_too_large', `The file has ${data.length} rows; one request takes at most ${maxRows}`);

  return data.map((record, index) => {
    const cells: Record<string, string> = {};
    names.forEach((name, i) => {
      const value = record.fields[i]?.trim();
      if (value) cells[name] = value;
    });
    const problem =
      record.fields.length === names.length
        ? null
        : `has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}; the header has ${names.length}`;
    return { row: index + 1, line: record.line, cells, problem };
  });
}

/**
 * Date pickers: the dashboard's date and time fields are `<input type="datetime-local">`,
 * whose value ("2026-12-01T09:30") carries no time zone. The dashboard shows and
 * reads every time in UTC (its labels say so), so a picked value is that UTC time;
 * the stored ISO string is shown back the same way.
 */
import type { FormValues } from './forms';

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A picked "YYYY-MM-DDTHH:MM[:SS]" or "YYYY-MM-DD" read as UTC, as an ISO string; anything else (a full ISO time, a typo) as it is, for the schema to judge. */
export function pickedToIso(value: string): string {
  const local = LOCAL_DATE_TIME.exec(value);
  if (local) return `${local[1]}T${local[2]}${local[3] ?? ':00'}Z`;
  if (DATE_ONLY.test(value)) return `${value}T00:00:00Z`;
  return value;
}

/** The form values with each of `fields` that holds a picked time turned into UTC ISO (empty fields stay empty). */
export function withIsoTimes(values: FormValues, fields: readonly string[]): FormValues {
  const out = { ...values };
  for (const field of fields) if (out[field]) out[field] = pickedToIso(out[field]);
  return out;
}

/** What a date field shows: a picked value as it was typed, a stored or typed ISO time in UTC. */
export const pickedValue = (value: string | null | undefined): string => (value && LOCAL_DATE_TIME.test(value) ? value : isoToPicked(value));

/** A stored ISO time as a datetime-local value in UTC ("2026-12-01T09:30"); '' for none. */
export function isoToPicked(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const text = new Date(ms).toISOString();
  return text.endsWith(':00.000Z') ? text.slice(0, 16) : text.slice(0, 19);
}

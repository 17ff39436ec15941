/**
 * Form posts run through the API's own zod schemas and services; their
 * messages ("field: problem") are split back onto the fields they name.
 */
import type { z } from 'zod';
import { ApiError } from '../lib/errors';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

/** The text fields of a parsed form body, trimmed; the CSRF field left out. */
export function formValues(body: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const [name, value] of Object.entries(body)) if (name !== '_csrf' && typeof value === 'string') values[name] = value.trim();
  return values;
}

/** The input for a schema: empty fields are absent; `numbers` are converted; unknown fields dropped. */
export function toInput(values: FormValues, fields: readonly string[], numbers: readonly string[] = []): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field];
    if (value === undefined || value === '') continue;
    input[field] = numbers.includes(field) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return input;
}

/** A patch for an edit form: every field the form sent; an emptied `nullable` field clears it (null), other emptied ones are left to the schema to refuse. */
export function toPatch(values: FormValues, fields: readonly string[], nullable: readonly string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field];
    if (value !== undefined) patch[field] = value === '' && nullable.includes(field) ? null : value;
  }
  return patch;
}

/** "name: Required; slug: taken" → {name: "Required", slug: "taken"}; a message without a field goes under "_". */
export function splitMessage(message: string, known: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const part of message.split('; ')) {
    const colon = part.indexOf(': ');
    const field = colon > 0 ? part.slice(0, colon) : '';
    const key = known.includes(field) ? field : '_';
    const text = key === '_' ? part : part.slice(colon + 2);
    errors[key] = errors[key] ? `${errors[key]}; ${text}` : text;
  }
  return errors;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Validates with `schema`, runs `action`; validation and API errors come back per field. */
export async function runForm<S extends z.ZodType, T>(
  schema: S,
  input: Record<string, unknown>,
  fields: readonly string[],
  action: (value: z.infer<S>) => Promise<T>,
): Promise<Outcome<T>> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '_');
      const key = fields.includes(field) ? field : '_';
      errors[key] = errors[key] ? `${errors[key]}; ${issue.message}` : issue.message;
    }
    return { ok: false, errors };
  }
  try {
    return { ok: true, value: await action(parsed.data) };
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return { ok: false, errors: splitMessage(error.message, fields) };
    throw error;
  }
}

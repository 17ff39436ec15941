/** The link forms' social preview fields (preview_title, preview_description, preview_image_url) as the API's `preview`. */
import type { FormValues } from './forms';

/** `{preview: {...}}` when any preview field is filled (the schema then requires the title), else nothing. */
export function previewInput(values: FormValues): { preview?: Record<string, string> } {
  const title = values.preview_title?.trim() ?? '';
  const description = values.preview_description?.trim() ?? '';
  const image = values.preview_image_url?.trim() ?? '';
  if (!title && !description && !image) return {};
  return { preview: { title, ...(description && { description }), ...(image && { image_url: image }) } };
}

/** For an edit form that sent the preview fields: the preview, or null (all emptied: removed); nothing when it sent none. */
export function previewPatch(values: FormValues): { preview?: Record<string, string> | null } {
  if (values.preview_title === undefined) return {};
  return { preview: previewInput(values).preview ?? null };
}

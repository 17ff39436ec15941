/** A link's social preview: what a messenger or network shows as the card when the short URL is shared. */

export interface SocialPreview {
  title: string;
  description: string | null;
  imageUrl: string | null;
}

export const PREVIEW_TITLE_MAX = 200;
export const PREVIEW_DESCRIPTION_MAX = 500;
export const PREVIEW_IMAGE_URL_MAX = 2048;

/** The preview of stored columns; null when the link has none (no title). */
export const socialPreviewOf = (title: string | null, description: string | null, imageUrl: string | null): SocialPreview | null =>
  title === null ? null : { title, description, imageUrl };

/** What links carry of issue 16's domains and previews: the domain field and the social preview. */
import { z } from '@hono/zod-openapi';
import { hostnameProblem, normalHostname } from '../domain/domains';
import { destinationProblem } from '../domain/links';
import { PREVIEW_DESCRIPTION_MAX, PREVIEW_IMAGE_URL_MAX, PREVIEW_TITLE_MAX, type SocialPreview } from '../domain/social-preview';

/** A hostname as typed (any case, a trailing dot), normalised; refused when it could never be a branded domain. */
export const DomainHostname = z
  .string()
  .max(260)
  .transform(normalHostname)
  .superRefine((value, ctx) => {
    const problem = hostnameProblem(value, null);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ type: 'string', example: 'go.brand.com' });

const imageUrl = z
  .string()
  .max(PREVIEW_IMAGE_URL_MAX)
  .superRefine((value, ctx) => {
    const problem = destinationProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const LinkPreviewInput = z
  .object({
    title: z.string().trim().min(1).max(PREVIEW_TITLE_MAX),
    description: z.string().trim().max(PREVIEW_DESCRIPTION_MAX).nullable().optional(),
    image_url: imageUrl.nullable().optional(),
  })
  .strict()
  .openapi('LinkPreviewInput', { description: 'What link-preview bots (Slack, WhatsApp, Facebook …) show as the card of the short URL' });

export const LinkPreviewSchema = z.object({ title: z.string(), description: z.string().nullable(), image_url: z.string().nullable() }).openapi('LinkPreview');

/** The stored preview of an input. */
export const toSocialPreview = (input: z.infer<typeof LinkPreviewInput>): SocialPreview => ({
  title: input.title,
  description: input.description || null,
  imageUrl: input.image_url ?? null,
});

export const linkPreviewJson = (preview: SocialPreview | null): z.infer<typeof LinkPreviewSchema> | null =>
  preview && { title: preview.title, description: preview.description, image_url: preview.imageUrl };

/** Request and response schemas of /api/v1/integrations (shop connections); a signing secret is taken, never answered. */
import { z } from '@hono/zod-openapi';
import type { Integration } from '../db/integrations';
import { INTEGRATION_PLATFORMS, type IntegrationPlatform } from '../domain/vocab';

const secret = z
  .string()
  .trim()
  .min(8, 'must be the signing secret the platform shows (at least 8 characters)')
  .max(500)
  .openapi({ description: 'The signing secret the platform shows (Stripe: the endpoint’s whsec_… secret); stored encrypted, never answered' });

/** Why `secret` cannot be `platform`'s signing secret (Stripe's is an endpoint's whsec_…, never an API key), or null. */
export const secretProblem = (platform: IntegrationPlatform, secret: string): string | null =>
  platform === 'stripe' && !secret.startsWith('whsec_') ? 'must be the endpoint’s signing secret (whsec_…), not an API key' : null;

export const IntegrationInput = z
  .object({
    platform: z.enum(INTEGRATION_PLATFORMS),
    name: z.string().trim().min(1).max(100),
    secret,
  })
  .strict()
  .superRefine((input, ctx) => {
    const problem = secretProblem(input.platform, input.secret);
    if (problem) ctx.addIssue({ code: 'custom', path: ['secret'], message: problem });
  })
  .openapi('IntegrationInput');

export const RotateInput = z.object({ secret }).strict().openapi('IntegrationRotateInput');

export const IntegrationSchema = z
  .object({
    id: z.string(),
    platform: z.enum(INTEGRATION_PLATFORMS),
    name: z.string(),
    webhook_url: z.string().describe('Paste this into the platform as the webhook’s URL'),
    created_at: z.string(),
    rotated_at: z.string().nullable(),
    last_received_at: z.string().nullable().describe('When a delivery last arrived with a valid signature (to the minute)'),
  })
  .openapi('Integration');

/** The webhook URL of an integration under `origin`. */
export const webhookUrl = (origin: string, integration: Pick<Integration, 'platform' | 'id'>): string =>
  `${origin}/hooks/${integration.platform}/${integration.id}`;

export const integrationJson = (integration: Integration, origin: string) => ({
  id: integration.id,
  platform: integration.platform,
  name: integration.name,
  webhook_url: webhookUrl(origin, integration),
  created_at: integration.createdAt,
  rotated_at: integration.rotatedAt,
  last_received_at: integration.lastReceivedAt,
});

/** What `/api/v1/domains` accepts and answers: branded hostnames and their app-link settings. */
import { z } from '@hono/zod-openapi';
import type { Domain } from '../db/domains';
import { ANDROID_PACKAGE, APPLE_APP_ID, APPLE_PATH, CERT_FINGERPRINT } from '../domain/app-links';
import { DomainHostname } from './link-domains';

export const DomainInput = z.object({ hostname: DomainHostname }).strict().openapi('DomainInput');

const AppleAppLinksSchema = z
  .object({
    app_ids: z.array(z.string().regex(APPLE_APP_ID, 'must be TEAMID.bundle.id: a 10-character team id of A-Z and 0-9, a dot, the bundle id')).min(1).max(20),
    paths: z
      .array(z.string().regex(APPLE_PATH, 'must start with /, * or ? (or "NOT " and one of them), printable ASCII without spaces, at most 256 characters'))
      .min(1)
      .max(100)
      .default(['*']),
  })
  .strict()
  .openapi('AppleAppLinks', { description: 'iOS universal links: the apps and the paths they open (`NOT /path` excludes one); paths default to ["*"]' });

const AndroidAppLinksSchema = z
  .object({
    package_name: z.string().max(255).regex(ANDROID_PACKAGE, 'must be an Android package name such as com.brand.app'),
    sha256_cert_fingerprints: z
      .array(
        z
          .string()
          .transform((value) => value.trim().toUpperCase())
          .pipe(z.string().regex(CERT_FINGERPRINT, 'must be a SHA-256 fingerprint: 32 bytes as hex pairs joined by colons (14:6D:E9:…)')),
      )
      .min(1)
      .max(10),
  })
  .strict()
  .openapi('AndroidAppLinks', { description: 'Android App Links: the package and the SHA-256 fingerprints of its signing certificates' });

export const AppLinksInput = z
  .object({ apple: AppleAppLinksSchema.nullable().default(null), android: AndroidAppLinksSchema.nullable().default(null) })
  .strict()
  .openapi('AppLinksInput', { description: 'Both files as a whole: an absent or null platform is not served' });

export const DomainSchema = z
  .object({
    id: z.string(),
    hostname: z.string(),
    short_url_base: z.string().openapi({ description: 'What short URLs of its links start with' }),
    app_links: z.object({ apple: AppleAppLinksSchema.nullable(), android: AndroidAppLinksSchema.nullable() }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Domain');

/** The domain as the API shows it. */
export const domainJson = (domain: Domain): z.infer<typeof DomainSchema> => ({
  id: domain.id,
  hostname: domain.hostname,
  short_url_base: `https://${domain.hostname}/`,
  app_links: { apple: domain.apple, android: domain.android },
  created_at: domain.createdAt,
  updated_at: domain.updatedAt,
});

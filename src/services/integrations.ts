/**
 * Shop integrations: their signing secrets are sealed (lib/secret-box.ts) under the Worker's secrets key with a
 * label naming the integration, so a sealed secret copied onto another row does not open there.
 */
import type { Db } from '../db/client';
import { findIntegrationById, insertIntegration, updateIntegrationSecret, type Integration } from '../db/integrations';
import type { IntegrationPlatform } from '../domain/vocab';
import { secretsKey, type Bindings } from '../env';
import { ApiError } from '../lib/errors';
import { newId } from '../lib/ids';
import { open, seal } from '../lib/secret-box';
import { toIso } from '../lib/time';
import { secretProblem } from '../schemas/integrations';

const label = (id: string): string => `integration:${id}`;

/** Stores a new integration with its secret sealed; resolves to it. */
export async function createIntegration(
  db: Db,
  env: Bindings,
  input: { platform: IntegrationPlatform; name: string; secret: string },
  now: number,
): Promise<Integration> {
  const id = newId('integration', now);
  const integration = {
    id,
    platform: input.platform,
    name: input.name,
    secretSealed: await seal(secretsKey(env), label(id), input.secret),
    createdAt: toIso(now),
  };
  await insertIntegration(db, integration);
  return { ...integration, rotatedAt: null, lastReceivedAt: null };
}

/**
 * Replaces an integration's secret (the old one stops verifying at once); null when there is no such integration,
 * 400 for a secret the platform's connection could not have (as at creation).
 */
export async function rotateIntegrationSecret(db: Db, env: Bindings, id: string, secret: string, now: number): Promise<Integration | null> {
  const integration = await findIntegrationById(db, id);
  if (!integration) return null;
  const problem = secretProblem(integration.platform, secret);
  if (problem) throw new ApiError('validation_error', `secret: ${problem}`);
  if (!(await updateIntegrationSecret(db, id, await seal(secretsKey(env), label(id), secret), now))) return null;
  return findIntegrationById(db, id);
}

/** The plaintext signing secret of an integration, or null when it does not open (the secrets key changed). */
export const integrationSecret = (env: Bindings, integration: Pick<Integration, 'id' | 'secretSealed'>): Promise<string | null> =>
  open(secretsKey(env), label(integration.id), integration.secretSealed);

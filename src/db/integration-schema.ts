/** Kysely table types of schema/0019_integrations.sql (kept apart from schema.ts, which is long enough). */
import type { Selectable } from 'kysely';
import type { IntegrationPlatform } from '../domain/vocab';

export interface IntegrationTable {
  id: string;
  platform: IntegrationPlatform;
  name: string;
  secret_sealed: string;
  created_at: string;
  rotated_at: string | null;
  last_received_at: string | null;
}

export interface IntegrationTables {
  integrations: IntegrationTable;
}

export type IntegrationRow = Selectable<IntegrationTable>;

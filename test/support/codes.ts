/** Mints a code batch through the API and reads its stored codes. */
import { env } from 'cloudflare:workers';
import { call, json, makeCampaign } from '../helpers';

export async function mintCodes(fields: Record<string, unknown> = {}): Promise<{ batch: any; codes: string[] }> {
  const campaignId = fields.campaign_id ?? (await makeCampaign()).id;
  const response = await call('POST', '/api/v1/code-batches', { body: { count: 1, ...fields, campaign_id: campaignId } });
  if (response.status !== 201) throw new Error(`batch: ${response.status} ${await response.text()}`);
  const batch = await json(response);
  const rows = await env.DB.prepare('SELECT code FROM action_codes WHERE batch_id = ? ORDER BY id').bind(batch.id).all<{ code: string }>();
  return { batch, codes: rows.results.map((row) => row.code) };
}

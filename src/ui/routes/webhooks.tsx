/** `/settings/webhooks`: outgoing webhook endpoints in the browser (admin sessions), over the API's schemas and services. */
import type { Context } from 'hono';
import { findDelivery, listDeliveries } from '../../db/webhook-deliveries';
import { listWebhookEndpoints } from '../../db/webhook-endpoints';
import { WEBHOOK_EVENTS } from '../../domain/vocab';
import { notFound } from '../../lib/errors';
import { WebhookInput } from '../../schemas/webhooks';
import { replayDelivery } from '../../services/webhook-delivery';
import { createEndpoint, editEndpoint, getEndpoint, pingEndpoint } from '../../services/webhooks';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { DeliveriesPage, WebhooksPage, type WebhooksView } from '../pages/webhooks';
import type { Texts } from '../texts';

const admin = requireSession('admin');
const PATH = '/settings/webhooks';
const LIST_LIMIT = 100;

/** `?done=` codes of this page and their texts (nothing from the address is shown as it is). */
const DONE: Record<string, keyof Texts> = { tested: 'whNoticeTested', replayed: 'whNoticeReplayed', enabled: 'whNoticeEnabled', disabled: 'whNoticeDisabled' };
const doneOf = (c: Context<UiEnv>): string | null => {
  const code = c.req.query('done') ?? '';
  return Object.hasOwn(DONE, code) ? c.var.t[DONE[code]] : null;
};

async function renderEndpoints(c: Context<UiEnv>, status: 200 | 201 | 400, extra: Pick<WebhooksView, 'created' | 'values' | 'errors'> = {}) {
  const page = await listWebhookEndpoints(c.var.db, LIST_LIMIT);
  return c.html(<WebhooksPage lang={c.var.lang} t={c.var.t} fmt={c.var.fmt} csrf={c.var.csrf} endpoints={page.items} notice={doneOf(c)} {...extra} />, status);
}

export const webhookPages = uiRouter();

webhookPages.get(PATH, admin, (c) => renderEndpoints(c, 200));

// The secret is shown in this response only (no redirect: it is stored sealed, never in clear).
webhookPages.post(PATH, admin, async (c) => {
  const values: FormValues = formValues(await readForm(c));
  const input = {
    url: values.url ?? '',
    events: WEBHOOK_EVENTS.filter((event) => values[`event-${event}`] === 'on'),
    ...(values.description ? { description: values.description } : {}),
  };
  const outcome = await runForm(WebhookInput, input, ['url', 'events', 'description'], (parsed) => createEndpoint(c.var.db, c.env, parsed, c.var.now()));
  if (!outcome.ok) return renderEndpoints(c, 400, { values, errors: outcome.errors as FieldErrors });
  return renderEndpoints(c, 201, { created: { url: outcome.value.endpoint.url, secret: outcome.value.secret } });
});

webhookPages.get(`${PATH}/:id`, admin, async (c) => {
  const endpoint = await getEndpoint(c.var.db, c.req.param('id'));
  const page = await listDeliveries(c.var.db, endpoint.id, LIST_LIMIT);
  return c.html(
    <DeliveriesPage lang={c.var.lang} t={c.var.t} fmt={c.var.fmt} csrf={c.var.csrf} endpoint={endpoint} deliveries={page.items} notice={doneOf(c)} />,
  );
});

webhookPages.post(`${PATH}/:id/test`, admin, async (c) => {
  const endpoint = await getEndpoint(c.var.db, c.req.param('id'));
  await pingEndpoint(c.var.db, c.env, endpoint.id, c.var.now());
  return redirectLocal(c, `${PATH}/${endpoint.id}?done=tested`);
});

for (const [action, enabled] of [
  ['enable', true],
  ['disable', false],
] as const) {
  webhookPages.post(`${PATH}/:id/${action}`, admin, async (c) => {
    await editEndpoint(c.var.db, c.env, c.req.param('id'), { enabled }, c.var.now());
    return redirectLocal(c, `${PATH}?done=${action}d`);
  });
}

webhookPages.post(`${PATH}/deliveries/:id/replay`, admin, async (c) => {
  const delivery = await findDelivery(c.var.db, c.req.param('id'));
  if (!delivery) throw notFound('Webhook delivery');
  await replayDelivery(c.var.db, c.env, delivery.id, c.var.now());
  return redirectLocal(c, `${PATH}/${delivery.endpointId}?done=replayed`);
});

/** `/settings/connections`: adding, rotating and deleting shop connections in the browser (admin sessions), over the API's schemas and services. */
import type { Context } from 'hono';
import { deleteIntegration, findIntegrationById, listIntegrations, type Integration } from '../../db/integrations';
import { notFound } from '../../lib/errors';
import { publicOrigin } from '../../lib/origin';
import { IntegrationInput, RotateInput, webhookUrl } from '../../schemas/integrations';
import { createIntegration, rotateIntegrationSecret } from '../../services/integrations';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { ConfirmPage } from '../pages/confirm';
import { CONNECTIONS_PATH, ConnectionsPage, RotatePage, type ConnectionsView } from '../pages/connections';
import { fill } from '../texts';

const admin = requireSession('admin');
const LIST_LIMIT = 200;

const rowOf = (c: Context<UiEnv>, integration: Integration) => ({ integration, webhookUrl: webhookUrl(publicOrigin(c), integration) });

async function renderConnections(c: Context<UiEnv>, status: 200 | 400, extra: Pick<ConnectionsView, 'values' | 'errors'> = {}) {
  const page = await listIntegrations(c.var.db, LIST_LIMIT);
  const { t } = c.var;
  const done = status === 200 ? c.req.query('done') : undefined;
  const createdId = status === 200 ? c.req.query('created') : undefined;
  const created = createdId ? page.items.find((integration) => integration.id === createdId) : undefined;
  const notice = done === 'rotated' ? t.secretRotated : done === 'deleted' ? t.connectionDeleted : null;
  return c.html(
    <ConnectionsPage
      lang={c.var.lang}
      t={t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      rows={page.items.map((integration) => rowOf(c, integration))}
      created={created ? rowOf(c, created) : null}
      notice={notice}
      {...extra}
    />,
    status,
  );
}

/** The form's values without the secret: a refused form never sends it back. */
const withoutSecret = ({ secret: _secret, ...values }: FormValues): FormValues => values;

export const connectionPages = uiRouter();

connectionPages.get(CONNECTIONS_PATH, admin, (c) => renderConnections(c, 200));

connectionPages.post(CONNECTIONS_PATH, admin, async (c) => {
  const values: FormValues = formValues(await readForm(c));
  const input = { platform: values.platform ?? '', name: values.name ?? '', secret: values.secret ?? '' };
  const outcome = await runForm(IntegrationInput, input, ['platform', 'name', 'secret'], (parsed) => createIntegration(c.var.db, c.env, parsed, c.var.now()));
  if (!outcome.ok) return renderConnections(c, 400, { values: withoutSecret(values), errors: outcome.errors as FieldErrors });
  return redirectLocal(c, `${CONNECTIONS_PATH}?created=${outcome.value.id}`);
});

const findOr404 = async (c: Context<UiEnv>): Promise<Integration> => {
  const integration = await findIntegrationById(c.var.db, c.req.param('id') ?? '');
  if (!integration) throw notFound('Integration');
  return integration;
};

const renderRotate = (c: Context<UiEnv>, integration: Integration, status: 200 | 400, error?: string) =>
  c.html(<RotatePage lang={c.var.lang} t={c.var.t} fmt={c.var.fmt} csrf={c.var.csrf} integration={integration} error={error} />, status);

connectionPages.get(`${CONNECTIONS_PATH}/:id/rotate`, admin, async (c) => renderRotate(c, await findOr404(c), 200));

connectionPages.post(`${CONNECTIONS_PATH}/:id/rotate`, admin, async (c) => {
  const integration = await findOr404(c);
  const values: FormValues = formValues(await readForm(c));
  const outcome = await runForm(RotateInput, { secret: values.secret ?? '' }, ['secret'], (parsed) =>
    rotateIntegrationSecret(c.var.db, c.env, integration.id, parsed.secret, c.var.now()),
  );
  if (!outcome.ok) return renderRotate(c, integration, 400, outcome.errors.secret ?? outcome.errors._);
  if (!outcome.value) throw notFound('Integration');
  return redirectLocal(c, `${CONNECTIONS_PATH}?done=rotated`);
});

// Deleting asks first: the page names the connection, says its URL stops answering and that the secret is gone.
connectionPages.get(`${CONNECTIONS_PATH}/:id/delete`, admin, async (c) => {
  const integration = await findOr404(c);
  const { t } = c.var;
  const path = `${CONNECTIONS_PATH}/${integration.id}/delete`;
  return c.html(
    <ConfirmPage
      lang={c.var.lang}
      t={t}
      csrf={c.var.csrf}
      admin
      path={path}
      question={fill(t.confirmDeleteConnection, { name: integration.name })}
      consequences={[fill(t.deleteConnectionUrl, { url: rowOf(c, integration).webhookUrl }), t.deleteConnectionKept]}
      undo={t.deleteConnectionFinal}
      action={path}
      confirm={t.deleteConnection}
      cancel={CONNECTIONS_PATH}
    />,
  );
});

connectionPages.post(`${CONNECTIONS_PATH}/:id/delete`, admin, async (c) => {
  if (!(await deleteIntegration(c.var.db, c.req.param('id') ?? ''))) throw notFound('Integration');
  return redirectLocal(c, `${CONNECTIONS_PATH}?done=deleted`);
});

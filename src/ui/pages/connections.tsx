/** `/settings/connections`: the shop connections with their webhook URLs, a form to add one (its secret a password field, never shown back), and the rotate form. */
import type { Integration } from '../../db/integrations';
import { INTEGRATION_PLATFORMS } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Field, Layout } from '../layout';
import { fill } from '../texts';
import { Notice } from './confirm';
import { SelectField, TextField } from './loyalty-forms';
import { Card, Cell, DataTable, FormError, KeyCell, type PageView, Submit } from './parts';
import { SettingsTabs } from './settings-tabs';

export const CONNECTIONS_PATH = '/settings/connections';

/** How the platforms are named on the page. */
export const PLATFORM_NAMES: Record<Integration['platform'], string> = { shopify: 'Shopify', woocommerce: 'WooCommerce', stripe: 'Stripe' };

export interface ConnectionRow {
  integration: Integration;
  webhookUrl: string;
}

export interface ConnectionsView extends PageView {
  rows: ConnectionRow[];
  /** The connection just added (its URL shown on top). */
  created?: ConnectionRow | null;
  notice?: string | null;
  values?: FormValues;
  errors?: FieldErrors;
}

/** The secret's password field under its label: it never carries a value back to the browser. */
const SecretLabelled = (props: { label: string; error?: string }) => (
  <Field
    name="secret"
    label={props.label}
    type="password"
    value=""
    error={props.error}
    required
    attrs={{ autocomplete: 'off', minlength: 8, maxlength: 500 }}
  />
);

export function ConnectionsPage(view: ConnectionsView) {
  const { t, fmt } = view;
  const values = view.values ?? {};
  const errors = view.errors ?? {};
  return (
    <Layout lang={view.lang} t={t} title={t.connectionsTitle} path={CONNECTIONS_PATH} csrf={view.csrf} admin>
      <h1>{t.connectionsTitle}</h1>
      <SettingsTabs t={t} path={CONNECTIONS_PATH} />
      <p class="muted">{t.connectionsIntro}</p>
      <Notice text={view.notice ?? null} />
      {view.created && (
        <section class="card" aria-labelledby="created-title">
          <p class="notice ok" role="status" id="created-title">
            {t.connectionCreated}
          </p>
          <output class="preview" id="new-webhook-url">
            {view.created.webhookUrl}
          </output>
        </section>
      )}
      <Card id="connections" title={t.connectionsTitle}>
        <DataTable
          class="cards"
          rows={view.rows}
          empty={t.noConnections}
          columns={[
            { label: t.name },
            { label: t.connectionPlatform },
            { label: t.connectionWebhookUrl },
            { label: t.connectionLastReceived },
            { label: `${t.rotateSecret} · ${t.deleteConnection}`, muted: true },
          ]}
          row={({ integration, webhookUrl }) => (
            <tr data-connection={integration.id}>
              <KeyCell>{integration.name}</KeyCell>
              <Cell label={t.connectionPlatform}>{PLATFORM_NAMES[integration.platform]}</Cell>
              <Cell label={t.connectionWebhookUrl} class="wrap" col="webhook_url">
                <code>{webhookUrl}</code>
              </Cell>
              <Cell label={t.connectionLastReceived} col="last_received">
                {integration.lastReceivedAt ? fmt.date(integration.lastReceivedAt) : t.never}
              </Cell>
              <td class="row-actions">
                <a class="button secondary" href={`${CONNECTIONS_PATH}/${integration.id}/rotate`} aria-label={`${t.rotateSecret}: ${integration.name}`}>
                  {t.rotateSecret}…
                </a>
                <a class="button secondary" href={`${CONNECTIONS_PATH}/${integration.id}/delete`} aria-label={`${t.deleteConnection}: ${integration.name}`}>
                  {t.deleteConnection}…
                </a>
              </td>
            </tr>
          )}
        />
      </Card>
      <Card id="new-connection" title={t.newConnection}>
        <FormError error={errors._} />
        <form class="stack" method="post" action={CONNECTIONS_PATH}>
          <Csrf token={view.csrf} />
          <SelectField
            name="platform"
            label={t.connectionPlatform}
            options={INTEGRATION_PLATFORMS.map((platform) => ({ value: platform, label: PLATFORM_NAMES[platform] }))}
            values={values}
            errors={errors}
          />
          <TextField name="name" label={t.name} values={values} errors={errors} required attrs={{ maxlength: 100 }} />
          <SecretLabelled label={t.connectionSecret} error={errors.secret} />
          <p class="muted field wide">{t.connectionSecretHelp}</p>
          <Submit label={t.addConnection} />
        </form>
      </Card>
    </Layout>
  );
}

export interface RotateView extends PageView {
  integration: Integration;
  error?: string;
}

/** The form that replaces a connection's signing secret. */
export function RotatePage(view: RotateView) {
  const { t, integration } = view;
  const title = fill(t.rotateTitle, { name: integration.name });
  const path = `${CONNECTIONS_PATH}/${integration.id}/rotate`;
  return (
    <Layout lang={view.lang} t={t} title={title} path={path} csrf={view.csrf} admin>
      <section class="card" aria-labelledby="rotate-title">
        <h1 id="rotate-title">{title}</h1>
        <p class="muted">{t.rotateIntro}</p>
        <form class="stack" method="post" action={path}>
          <Csrf token={view.csrf} />
          <SecretLabelled label={t.connectionSecret} error={view.error} />
          <p class="muted">{t.connectionSecretHelp}</p>
          <Submit label={t.saveSecret} />
        </form>
        <p>
          <a href={CONNECTIONS_PATH}>{t.cpCancel}</a>
        </p>
      </section>
    </Layout>
  );
}

/** `/settings/webhooks`: outgoing webhook endpoints (the secret shown once), and one endpoint's delivery log with replays. */
import type { WebhookDelivery } from '../../db/webhook-deliveries';
import type { WebhookEndpoint } from '../../db/webhook-endpoints';
import { WEBHOOK_EVENTS } from '../../domain/vocab';
import type { DeliveryState } from '../../domain/webhooks';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Field, Layout } from '../layout';
import type { Texts } from '../texts';
import { Notice } from './confirm';
import { DataTable, FormError, type PageView, Submit } from './parts';
import { SettingsTabs } from './settings-tabs';

const PATH = '/settings/webhooks';

const STATE_TEXT: Record<DeliveryState, keyof Texts> = { pending: 'whStatePending', succeeded: 'whStateSucceeded', failed: 'whStateFailed' };

/** A one-button form posting to `action`. */
const Action = (props: { csrf: string; action: string; label: string; name: string }) => (
  <form method="post" action={props.action} class="inline">
    <Csrf token={props.csrf} />
    <button type="submit" class="secondary" aria-label={`${props.label}: ${props.name}`}>
      {props.label}
    </button>
  </form>
);

export interface WebhooksView extends PageView {
  endpoints: WebhookEndpoint[];
  created?: { url: string; secret: string };
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string | null;
}

export function WebhooksPage(view: WebhooksView) {
  const { t } = view;
  const values = view.values ?? {};
  const errors = view.errors ?? {};
  return (
    <Layout lang={view.lang} t={t} title={t.whTitle} path={PATH} csrf={view.csrf} admin>
      <h1>{t.whTitle}</h1>
      <SettingsTabs t={t} path={PATH} />
      <p class="muted">{t.whIntro}</p>
      <Notice text={view.notice ?? null} />
      {view.created && (
        <section class="card" aria-labelledby="created-title">
          <p class="notice ok" role="status" id="created-title">
            {t.whCreated} <strong>{view.created.url}</strong>
          </p>
          <output class="preview" id="new-secret">
            {view.created.secret}
          </output>
        </section>
      )}
      <section class="card" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">{t.whEndpoints}</h2>
        <DataTable
          rows={view.endpoints}
          empty={t.whNoEndpoints}
          columns={[{ label: t.whUrl }, { label: t.whEvents }, { label: t.whState }, { label: t.whFailures }, { label: t.whDeliveries, muted: true }]}
          row={(endpoint) => (
            <tr data-endpoint={endpoint.id}>
              <td>
                <code>{endpoint.url}</code>
                {endpoint.description && <div class="muted">{endpoint.description}</div>}
              </td>
              <td>{endpoint.events.join(', ')}</td>
              <td>
                {endpoint.enabled ? t.whEnabled : t.whDisabled}
                {endpoint.disabledReason && <div class="muted">{endpoint.disabledReason}</div>}
              </td>
              <td>{endpoint.failureCount}</td>
              <td>
                <a href={`${PATH}/${endpoint.id}`}>{t.whDeliveries}</a>{' '}
                <Action csrf={view.csrf} action={`${PATH}/${endpoint.id}/test`} label={t.whSendTest} name={endpoint.url} />{' '}
                <Action
                  csrf={view.csrf}
                  action={`${PATH}/${endpoint.id}/${endpoint.enabled ? 'disable' : 'enable'}`}
                  label={endpoint.enabled ? t.whDisable : t.whEnable}
                  name={endpoint.url}
                />
              </td>
            </tr>
          )}
        />
      </section>
      <section class="card" aria-labelledby="new-endpoint-title">
        <h2 id="new-endpoint-title">{t.whNew}</h2>
        <FormError error={errors._} />
        <form class="stack" method="post" action={PATH}>
          <Csrf token={view.csrf} />
          <Field name="url" label={t.whUrl} value={values.url} error={errors.url} required />
          <Field name="description" label={t.whDescription} value={values.description} error={errors.description} />
          <fieldset class="field" aria-describedby={errors.events ? 'f-events-error' : undefined}>
            <legend>{t.whEvents}</legend>
            {WEBHOOK_EVENTS.map((event) => (
              <label class="check">
                <input type="checkbox" name={`event-${event}`} value="on" checked={values[`event-${event}`] === 'on'} /> {event}
              </label>
            ))}
            {errors.events && (
              <span class="error" id="f-events-error">
                {errors.events}
              </span>
            )}
          </fieldset>
          <Submit label={t.whCreate} />
        </form>
      </section>
    </Layout>
  );
}

export interface DeliveriesView extends PageView {
  endpoint: WebhookEndpoint;
  deliveries: WebhookDelivery[];
  notice?: string | null;
}

export function DeliveriesPage(view: DeliveriesView) {
  const { t, fmt } = view;
  return (
    <Layout lang={view.lang} t={t} title={`${t.whDeliveries}: ${view.endpoint.url}`} path={PATH} csrf={view.csrf} admin>
      <p>
        <a href={PATH}>← {t.whBack}</a>
      </p>
      <h1>
        {t.whDeliveries}: <code>{view.endpoint.url}</code>
      </h1>
      <Notice text={view.notice ?? null} />
      <section class="card" aria-labelledby="log-title">
        <h2 id="log-title">{t.whDeliveries}</h2>
        <DataTable
          rows={view.deliveries}
          empty={t.whNoDeliveries}
          class="cards"
          columns={[
            { label: t.whEvent },
            { label: t.whWebhookId },
            { label: t.whState },
            { label: t.whAttempts },
            { label: t.whLastStatus },
            { label: t.whResponseMs },
            { label: t.whNextAttempt },
            { label: t.whExcerpt },
            { label: t.whReplay, muted: true },
          ]}
          row={(delivery) => (
            <tr data-delivery={delivery.id}>
              <td data-label={t.whEvent}>{delivery.event}</td>
              <td data-label={t.whWebhookId}>
                <code>{delivery.messageId}</code>
              </td>
              <td data-label={t.whState}>{t[STATE_TEXT[delivery.state]]}</td>
              <td data-label={t.whAttempts}>
                {delivery.attempts} / {delivery.maxAttempts}
              </td>
              <td data-label={t.whLastStatus}>{delivery.lastStatus ?? delivery.lastError ?? '—'}</td>
              <td data-label={t.whResponseMs}>{delivery.responseMs ?? '—'}</td>
              <td data-label={t.whNextAttempt}>{delivery.state === 'pending' && delivery.nextAttemptAt ? fmt.date(delivery.nextAttemptAt) : '—'}</td>
              <td data-label={t.whExcerpt}>
                <code>{delivery.responseExcerpt ? delivery.responseExcerpt.slice(0, 120) : ''}</code>
              </td>
              <td>
                <Action csrf={view.csrf} action={`${PATH}/deliveries/${delivery.id}/replay`} label={t.whReplay} name={delivery.messageId} />
              </td>
            </tr>
          )}
        />
      </section>
    </Layout>
  );
}

/** `/settings/keys`: the API keys (admin), a form to mint one (its secret shown once), revoke buttons. */
import type { ApiKey } from '../../db/api-keys';
import type { DeadLetterCounts } from '../../services/dead-letters';
import { SCOPES } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Field, Layout } from '../layout';
import { Notice } from './confirm';
import { DataTable, FormError, type PageView, Submit } from './parts';
import { SettingsTabs } from './settings-tabs';
import { fill } from '../texts';

export interface KeysView extends PageView {
  keys: ApiKey[];
  /** The key just minted, with its secret (this response only). */
  created?: { name: string; secret: string };
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string | null;
  /** Dead-lettered touches waiting in R2 for a replay; null when they could not be counted. */
  deadLetters?: DeadLetterCounts | null;
}

export function KeysPage(view: KeysView) {
  const { t, fmt } = view;
  const values = view.values ?? {};
  const errors = view.errors ?? {};
  return (
    <Layout lang={view.lang} t={t} title={t.apiKeys} path="/settings/keys" csrf={view.csrf} admin>
      <h1>{t.apiKeys}</h1>
      <SettingsTabs t={t} path={'/settings/keys'} />
      <p class="muted">{t.keysIntro}</p>
      <Notice text={view.notice ?? null} />
      {view.deadLetters && view.deadLetters.objects > 0 && (
        <form class="notice" method="post" action="/settings/keys/replay-dead-letters">
          <Csrf token={view.csrf} />
          <p role="status" id="dead-letters">
            {fill(t.deadLettersWaiting, { objects: fmt.num(view.deadLetters.objects), touches: fmt.num(view.deadLetters.touches) })}
          </p>
          <Submit label={t.replayDeadLetters} />
        </form>
      )}
      {view.created && (
        <section class="card" aria-labelledby="created-title">
          <p class="notice ok" role="status" id="created-title">
            {t.keyCreated} <strong>{view.created.name}</strong>
          </p>
          <output class="preview" id="new-key">
            {view.created.secret}
          </output>
        </section>
      )}
      <section class="card" aria-labelledby="keys-title">
        <h2 id="keys-title">{t.apiKeys}</h2>
        <DataTable
          rows={view.keys}
          empty={t.noKeys}
          columns={[
            { label: t.name },
            { label: t.scopes },
            { label: t.keyStarts },
            { label: t.created },
            { label: t.lastUsed },
            { label: t.revoke, muted: true },
          ]}
          row={(key) => (
            <tr data-key={key.id}>
              <td>{key.name}</td>
              <td>{key.scopes.join(', ')}</td>
              <td>
                <code>{key.keyPrefix}…</code>
              </td>
              <td>{fmt.date(key.createdAt)}</td>
              <td>{key.lastUsedAt ? fmt.date(key.lastUsedAt) : t.never}</td>
              <td>
                <a class="button secondary" href={`/settings/keys/${key.id}/revoke`} aria-label={`${t.revoke}: ${key.name}`}>
                  {t.revoke}…
                </a>
              </td>
            </tr>
          )}
        />
      </section>
      <section class="card" aria-labelledby="new-key-title">
        <h2 id="new-key-title">{t.newKey}</h2>
        <FormError error={errors._} />
        <form class="stack" method="post" action="/settings/keys">
          <Csrf token={view.csrf} />
          <Field name="name" label={t.name} value={values.name} error={errors.name} required />
          <fieldset class="field" aria-describedby={errors.scopes ? 'f-scopes-error' : undefined}>
            <legend>{t.scopes}</legend>
            {SCOPES.map((scope) => (
              <label class="check">
                <input type="checkbox" name={`scope-${scope}`} value="on" checked={values[`scope-${scope}`] === 'on'} /> {scope}
              </label>
            ))}
            {errors.scopes && (
              <span class="error" id="f-scopes-error">
                {errors.scopes}
              </span>
            )}
          </fieldset>
          <Submit label={t.createKey} />
        </form>
        <p class="muted">{t.scopeHelp}</p>
      </section>
    </Layout>
  );
}

/** `/settings/keys`: the API keys (admin), a form to mint one (its secret shown once), revoke buttons. */
import type { ApiKey } from '../../db/api-keys';
import { SCOPES } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Lang, Texts } from '../i18n';
import { Csrf, Field, Layout } from '../layout';
import { Notice } from './confirm';

export interface KeysView {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
  keys: ApiKey[];
  /** The key just minted, with its secret (this response only). */
  created?: { name: string; secret: string };
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string | null;
}

export function KeysPage(view: KeysView) {
  const { t, fmt } = view;
  const values = view.values ?? {};
  const errors = view.errors ?? {};
  return (
    <Layout lang={view.lang} t={t} title={t.apiKeys} path="/settings/keys" csrf={view.csrf} admin>
      <h1>{t.apiKeys}</h1>
      <p class="muted">{t.keysIntro}</p>
      <Notice text={view.notice ?? null} />
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
        {view.keys.length === 0 ? (
          <p class="empty">{t.noKeys}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.name}</th>
                  <th scope="col">{t.scopes}</th>
                  <th scope="col">{t.keyStarts}</th>
                  <th scope="col">{t.created}</th>
                  <th scope="col">{t.lastUsed}</th>
                  <th scope="col">
                    <span class="muted">{t.revoke}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.keys.map((key) => (
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
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="new-key-title">
        <h2 id="new-key-title">{t.newKey}</h2>
        {errors._ && (
          <p class="notice" role="alert">
            {errors._}
          </p>
        )}
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
          <div class="field">
            <button type="submit">{t.createKey}</button>
          </div>
        </form>
        <p class="muted">{t.scopeHelp}</p>
      </section>
    </Layout>
  );
}

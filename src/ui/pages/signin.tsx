/** The sign-in page: one field for the API key. */
import { Layout } from '../layout';
import type { Lang, Texts } from '../i18n';

export function SignInPage(props: { lang: Lang; t: Texts; token: string; next: string; error?: string; notice?: string }) {
  const { t } = props;
  return (
    <Layout lang={props.lang} t={t} title={t.signIn} path="/signin">
      <section class="card signin">
        <h1>{t.signIn}</h1>
        <p class="muted">{t.signInIntro}</p>
        {props.notice && (
          <p class="notice ok" role="status">
            {props.notice}
          </p>
        )}
        <form method="post" action="/signin">
          <input type="hidden" name="_csrf" value={props.token} />
          <input type="hidden" name="next" value={props.next} />
          <div class="field">
            <label for="f-key">{t.apiKey}</label>
            <input
              id="f-key"
              name="key"
              type="password"
              autocomplete="current-password"
              required
              aria-invalid={props.error ? 'true' : undefined}
              aria-describedby={props.error ? 'f-key-error' : undefined}
            />
            {props.error && (
              <span class="error" id="f-key-error" role="alert">
                {props.error}
              </span>
            )}
          </div>
          <p>
            <button type="submit">{t.signIn}</button>
          </p>
        </form>
      </section>
    </Layout>
  );
}

/** The page frame: head with the static assets, top navigation, language switch, sign-out. */
import type { Child } from 'hono/jsx';
import { ASSET_PATHS } from './assets';
import type { Lang, Texts } from './i18n';

export interface LayoutProps {
  lang: Lang;
  t: Texts;
  title: string;
  /** The current path, for aria-current and the language switch's way back. */
  path: string;
  /** Present when signed in: the CSRF token for the sign-out form. */
  csrf?: string;
  /** The session may manage API keys (admin scope): the navigation shows the key page. */
  admin?: boolean;
  /** Load the chart library (the reports page). */
  charts?: boolean;
  /** The page's own scripts (asset paths), after the app's. */
  scripts?: readonly string[];
  children?: Child;
}

export function Layout(props: LayoutProps) {
  const { t, path } = props;
  const back = encodeURIComponent(path);
  const nav = (href: string, label: string, section = href) => (
    <a href={href} aria-current={(href === '/' ? path === '/' : path.startsWith(section)) ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${t.appName}`}</title>
        <link rel="stylesheet" href={ASSET_PATHS.css} />
        {props.charts && <link rel="stylesheet" href={ASSET_PATHS.chartCss} />}
        {props.charts && <script src={ASSET_PATHS.chartJs} defer></script>}
        <script src={ASSET_PATHS.js} defer></script>
        {props.scripts?.map((src) => (
          <script src={src} defer></script>
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <header class="top">
          <a class="brand" href="/">
            {t.appName}
          </a>
          {props.csrf && (
            <nav aria-label="main">
              {nav('/', t.navOverview)} {nav('/campaigns', t.navCampaigns)} {nav('/reports', t.navReports)} {nav('/loyalty', t.navLoyalty)}{' '}
              {nav('/imports', t.navImport)} {props.admin && nav('/settings/keys', t.navSettings, '/settings/')}
            </nav>
          )}
          <nav class="langs" aria-label={t.language}>
            <a href={`/settings/language/en?back=${back}`} lang="en" aria-current={props.lang === 'en' ? 'true' : undefined}>
              EN
            </a>
            <a href={`/settings/language/de?back=${back}`} lang="de" aria-current={props.lang === 'de' ? 'true' : undefined}>
              DE
            </a>
          </nav>
          {props.csrf && (
            <form method="post" action="/signout">
              <input type="hidden" name="_csrf" value={props.csrf} />
              <button type="submit">{t.signOut}</button>
            </form>
          )}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** A labelled form field with its error next to it. */
export function Field(props: {
  name: string;
  /** The input's id when the page holds two fields of this name (default f-<name>). */
  id?: string;
  label: string;
  value?: string;
  error?: string;
  type?: string;
  required?: boolean;
  wide?: boolean;
  attrs?: Record<string, string | number>;
}) {
  const id = props.id ?? `f-${props.name}`;
  const errorId = `${id}-error`;
  return (
    <div class={props.wide ? 'field wide' : 'field'}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? errorId : undefined}
        {...(props.attrs ?? {})}
      />
      {props.error && (
        <span class="error" id={errorId}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/** The hidden CSRF field every form carries. */
export const Csrf = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;

/** A page with one message, for errors. */
export const NoticePage = (props: { lang: Lang; t: Texts; title: string; text: string }) => (
  <Layout lang={props.lang} t={props.t} title={props.title} path="/">
    <section class="card">
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p>
        <a href="/">{props.t.back}</a>
      </p>
    </section>
  </Layout>
);

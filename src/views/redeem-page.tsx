/** The hosted /redeem page: one form, no scripts, readable on a phone. */
import type { CodeRejection } from '../domain/vocab';
import { plural } from '../lib/plural';
import { REDEEM_TEXTS, type Language } from './redeem-texts';

export type RedeemView =
  | { state: 'form'; code: string }
  | { state: 'accepted'; reward: string | null }
  | { state: 'refused'; code: string; reason: CodeRejection; retryAfterSeconds: number | null };

const STYLE = `
body { font: 18px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2430; }
main { max-width: 26rem; margin: 0 auto; padding: 2rem 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
label { display: block; font-weight: 600; margin: 1.25rem 0 .35rem; }
input { box-sizing: border-box; width: 100%; font: 600 1.25rem/1.2 ui-monospace, monospace; letter-spacing: .08em;
  text-transform: uppercase; padding: .75rem; border: 2px solid #8a94a6; border-radius: .5rem; }
input:focus { outline: 3px solid #2f6fed; border-color: #2f6fed; }
button { width: 100%; margin-top: 1rem; padding: .85rem; font: 600 1.1rem system-ui, sans-serif; color: #fff;
  background: #2f6fed; border: 0; border-radius: .5rem; }
.notice { padding: .75rem 1rem; border-radius: .5rem; background: #fdecec; color: #8a1c1c; margin: 1rem 0 0; }
.ok { background: #e7f6ec; color: #155d2b; }
`;

function Layout(props: { language: Language; title: string; children: unknown }) {
  return (
    <html lang={props.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

function CodeForm(props: { language: Language; code: string }) {
  const texts = REDEEM_TEXTS[props.language];
  return (
    <form method="post" action="/redeem">
      <label for="code">{texts.label}</label>
      <input id="code" name="code" value={props.code} required maxlength={64} autocomplete="off" autocapitalize="characters" spellcheck={false} />
      <button type="submit">{texts.submit}</button>
    </form>
  );
}

/** The page for one state of the form: empty or prefilled, accepted, or refused with the reason. */
export function redeemPage(language: Language, view: RedeemView) {
  const texts = REDEEM_TEXTS[language];
  if (view.state === 'accepted') {
    return (
      <Layout language={language} title={texts.acceptedTitle}>
        <h1>{texts.acceptedTitle}</h1>
        <p class="notice ok" role="status">
          {texts.acceptedText}
        </p>
        {view.reward ? (
          <p>
            <strong>{texts.reward}</strong> {view.reward}
          </p>
        ) : null}
        <p>
          <a href="/redeem">{texts.another}</a>
        </p>
      </Layout>
    );
  }
  const refusal =
    view.state === 'refused'
      ? [texts.refusals[view.reason], view.retryAfterSeconds ? plural(language, Math.ceil(view.retryAfterSeconds / 60), texts.retryHint) : '']
          .filter(Boolean)
          .join(' ')
      : null;
  return (
    <Layout language={language} title={texts.title}>
      <h1>{texts.title}</h1>
      <p>{texts.intro}</p>
      {refusal ? (
        <p class="notice" role="alert">
          {refusal}
        </p>
      ) : null}
      <CodeForm language={language} code={view.code} />
    </Layout>
  );
}

/** Dashboard test helpers: sign in through the form, keep cookies, read CSRF tokens off pages. */
import type { Bindings } from '../../src/env';
import { ADMIN, call } from '../helpers';

export interface Browser {
  cookies: Map<string, string>;
}

export const newBrowser = (): Browser => ({ cookies: new Map() });

const cookieHeader = (browser: Browser) => [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

function keepCookies(browser: Browser, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (value === '' || /max-age=0/i.test(line)) browser.cookies.delete(name);
    else browser.cookies.set(name, value);
  }
}

/** A browser-like request: cookies sent and kept, no API key. */
export async function visit(
  browser: Browser,
  method: string,
  path: string,
  form?: Record<string, string>,
  options: { now?: () => number; headers?: Record<string, string>; env?: Partial<Bindings> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (browser.cookies.size > 0) headers.Cookie = cookieHeader(browser);
  let rawBody: string | undefined;
  if (form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    rawBody = new URLSearchParams(form).toString();
  }
  const response = await call(method, path, { key: null, headers, rawBody, now: options.now, env: options.env });
  keepCookies(browser, response);
  return response;
}

/** The `_csrf` value of the first form on a page. */
export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Signs in with `key` through the form; returns the POST's response. */
export async function signIn(browser: Browser, key: string, options: { now?: () => number } = {}): Promise<Response> {
  const page = await visit(browser, 'GET', '/signin', undefined, options);
  return visit(browser, 'POST', '/signin', { _csrf: csrfOf(await page.text()), key, next: '/' }, options);
}

/** A new browser signed in with `key` (the admin token by default). */
export async function signedIn(key = ADMIN): Promise<Browser> {
  const browser = newBrowser();
  await signIn(browser, key);
  return browser;
}

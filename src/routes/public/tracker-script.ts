/**
 * `GET /t.js`: the landing-site script. It keeps `tp_click` from the landing
 * URL in a first-party cookie (localStorage as fallback) for the lookback
 * window, exposes `window.touchpoint.clickId()`, and fills empty
 * `<input name="tp_click">` fields so a checkout form carries the click id to
 * the shop's backend, which sends it with the order to POST /api/v1/conversions.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../env';
import { lookbackDaysSetting } from '../../services/window-settings';

/** The script for a lookback of `lookbackDays` (the cookie's lifetime). */
export function trackerScript(lookbackDays: number): string {
  return `/* Touchpoint: keeps tp_click first-party. touchpoint.clickId() returns it (or null). */
(function (w, d) {
  'use strict';
  var KEY = 'tp_click', MAX_AGE = ${lookbackDays * 86400}, PATTERN = /^tpc_[0-9A-Z]{26}$/;
  function valid(v) { return typeof v === 'string' && PATTERN.test(v) ? v : null; }
  function fromUrl() {
    var m = /[?&]tp_click=([^&#]*)/.exec(w.location.search);
    try { return m ? valid(decodeURIComponent(m[1])) : null; } catch (e) { return null; }
  }
  function fromCookie() {
    var m = /(?:^|;\\s*)tp_click=([^;]*)/.exec(d.cookie);
    return m ? valid(m[1]) : null;
  }
  function fromStorage() {
    try {
      var s = JSON.parse(w.localStorage.getItem(KEY) || 'null');
      return s && Date.now() - s.at <= MAX_AGE * 1000 ? valid(s.id) : null;
    } catch (e) { return null; }
  }
  function keep(id) {
    d.cookie = KEY + '=' + id + '; Max-Age=' + MAX_AGE + '; Path=/; SameSite=Lax' + (w.location.protocol === 'https:' ? '; Secure' : '');
    try { w.localStorage.setItem(KEY, JSON.stringify({ id: id, at: Date.now() })); } catch (e) {}
  }
  function clickId() { return fromUrl() || fromCookie() || fromStorage(); }
  function fillInputs() {
    var id = clickId(), inputs = d.querySelectorAll('input[name="tp_click"]');
    for (var i = 0; id && i < inputs.length; i++) if (!inputs[i].value) inputs[i].value = id;
  }
  var landed = fromUrl();
  if (landed) keep(landed);
  w.touchpoint = { clickId: clickId, fillInputs: fillInputs };
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', fillInputs); else fillInputs();
})(window, document);
`;
}

export const trackerScriptRoute = new Hono<AppEnv>();

trackerScriptRoute.get('/t.js', (c) =>
  c.body(trackerScript(lookbackDaysSetting(c.env)), 200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
    'Access-Control-Allow-Origin': '*',
    'X-Content-Type-Options': 'nosniff',
  }),
);

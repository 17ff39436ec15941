/**
 * The dashboard's script, served as /assets/app.js (the CSP allows no inline
 * scripts). It only enhances pages that work without it:
 * - the UTM builder previews the tracked URL live, by the rules of
 *   src/domain/utm.ts (buildTrackedUrl: the destination's own query and
 *   fragment kept as written, same-named parameters replaced, utm_* appended
 *   in canonical order); the e2e test checks it against the API's tracked_url;
 * - the QR controls swap the preview image and download links without a reload.
 */
export const APP_JS = `(function () {
  'use strict';
  var UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];

  function splitUrl(url) {
    var hashAt = url.indexOf('#');
    var fragment = hashAt >= 0 ? url.slice(hashAt) : '';
    var beforeHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
    var queryAt = beforeHash.indexOf('?');
    return queryAt >= 0
      ? { base: beforeHash.slice(0, queryAt), query: beforeHash.slice(queryAt + 1), fragment: fragment }
      : { base: beforeHash, query: '', fragment: fragment };
  }
  function paramName(segment) {
    var eq = segment.indexOf('=');
    var raw = eq >= 0 ? segment.slice(0, eq) : segment;
    try { return decodeURIComponent(raw.replace(/\\+/g, ' ')); } catch (e) { return raw; }
  }
  function trackedUrl(destination, utm) {
    var pairs = UTM_FIELDS.filter(function (f) { return utm[f]; }).map(function (f) { return [f, utm[f]]; });
    if (pairs.length === 0) return destination;
    var parts = splitUrl(destination);
    var names = pairs.map(function (p) { return p[0]; });
    var kept = parts.query === '' ? [] : parts.query.split('&').filter(function (s) { return s !== '' && names.indexOf(paramName(s)) < 0; });
    var added = pairs.map(function (p) { return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]); });
    return parts.base + '?' + kept.concat(added).join('&') + parts.fragment;
  }
  window.touchpointTrackedUrl = trackedUrl;

  function setupUtm(form) {
    var out = form.querySelector('output[data-utm-preview]');
    if (!out) return;
    var fallbackCampaign = out.getAttribute('data-campaign-utm') || '';
    function update() {
      var value = function (name) { var el = form.elements.namedItem(name); return el ? el.value.trim() : ''; };
      var utm = {};
      UTM_FIELDS.forEach(function (f) { utm[f] = value(f); });
      if (!utm.utm_campaign) utm.utm_campaign = fallbackCampaign;
      var destination = value('destination');
      out.textContent = destination ? trackedUrl(destination, utm) : '';
    }
    form.addEventListener('input', update);
    update();
  }

  function setupQr(form) {
    var img = document.getElementById(form.getAttribute('data-qr-img'));
    var svg = document.getElementById(form.getAttribute('data-qr-svg'));
    var png = document.getElementById(form.getAttribute('data-qr-png'));
    var base = form.getAttribute('data-qr-base');
    function update(event) {
      if (event) event.preventDefault();
      var params = new URLSearchParams();
      ['size', 'ecc', 'fg', 'bg'].forEach(function (name) { params.set(name, form.elements.namedItem(name).value); });
      params.set('format', 'png');
      img.src = base + '?' + params.toString();
      png.href = base + '?' + params.toString() + '&download=1';
      params.set('format', 'svg');
      svg.href = base + '?' + params.toString() + '&download=1';
    }
    form.addEventListener('change', update);
    form.addEventListener('submit', update);
  }

  document.querySelectorAll('form[data-utm]').forEach(setupUtm);
  document.querySelectorAll('form[data-qr-img]').forEach(setupQr);
})();
`;

/**
 * The dashboard's script, served as /assets/app.js (the CSP allows no inline
 * scripts). It only enhances pages that work without it:
 * - the UTM builder previews the tracked URL live: it asks the server
 *   (GET /campaigns/:id/preview, services/link-preview.ts), which applies the
 *   same domain rules as the API, so the rule is never copied into the browser;
 * - the QR controls swap the preview image and download links without a reload.
 */
export const APP_JS = `(function () {
  'use strict';

  function setupUtm(form) {
    var out = form.querySelector('output[data-utm-preview]');
    var url = form.getAttribute('data-utm');
    if (!out || !url) return;
    var timer = null;
    var asked = 0;
    function update() {
      var params = new URLSearchParams();
      ['destination', 'kind', 'channel', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'].forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (el) params.set(name, el.value);
      });
      var ticket = ++asked;
      fetch(url + '?' + params.toString(), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (preview) {
          // Only the answer to the latest question may write the preview.
          if (!preview || ticket !== asked) return;
          out.textContent = preview.tracked_url || preview.problem || '';
          out.classList.toggle('invalid', !preview.tracked_url && !!preview.problem);
          out.setAttribute('data-channel', preview.channel || '');
        })
        .catch(function () {});
    }
    function later() { clearTimeout(timer); timer = setTimeout(update, 120); }
    form.addEventListener('input', later);
    form.addEventListener('change', later);
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

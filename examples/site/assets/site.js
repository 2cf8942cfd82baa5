window.inkling =
  window.inkling ||
  function () {
    (inkling.q = inkling.q || []).push([Date.now(), arguments]);
  };
inkling.push =
  inkling.push ||
  function (c) {
    inkling.apply(null, c);
  };

// The line above is Inkling's optional stub: calls made before /inkling.min.js has loaded are queued
// with their time and replayed by the SDK. It lives here, not in an inline <script>, because the site
// runs under a Content-Security-Policy without 'unsafe-inline'. This file is loaded without async or
// defer, before the SDK tag, so the stub exists before anything calls it.
(function () {
  'use strict';

  var DISMISSED_KEY = 'ledgerline:specialist-prompt-dismissed';

  function onReady(fn) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  }

  // Demo request: the form is never really submitted. Only the fact that a demo was requested goes to
  // Inkling, with where it came from; no field value is read, let alone sent.
  function setUpDemoForm() {
    var form = document.querySelector('form.demo-form');
    var thanks = document.querySelector('.form-thanks');
    if (!form || !thanks) return;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      window.inkling('track', 'demo_request', { source: 'contact-page' });
      form.reset();
      form.hidden = true;
      thanks.hidden = false;
      thanks.focus();
    });
  }

  // The "Talk to a specialist" prompt is shown by CSS once the SDK sets data-inkling-intent on <html>.
  // Dismissing it keeps it closed for the rest of this browser session.
  function setUpSpecialistPrompt() {
    var prompt = document.querySelector('.specialist-prompt');
    if (!prompt) return;
    try {
      if (window.sessionStorage.getItem(DISMISSED_KEY) === '1') prompt.classList.add('is-dismissed');
    } catch (error) {
      // Storage can be blocked (private modes, strict cookie settings); the prompt then stays dismissible per page.
    }
    var button = prompt.querySelector('.specialist-dismiss');
    if (!button) return;
    button.addEventListener('click', function () {
      prompt.classList.add('is-dismissed');
      try {
        window.sessionStorage.setItem(DISMISSED_KEY, '1');
      } catch (error) {
        // See above: nothing to remember without storage.
      }
    });
  }

  onReady(function () {
    setUpDemoForm();
    setUpSpecialistPrompt();
  });
})();

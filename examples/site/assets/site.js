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

  // The sample workspace: a visitor who opens it works for that company, so the site puts them in its account.
  // The account is named by the company's domain ("domain:contoso.com"), which is also the account the receiver
  // makes for a lead identified with an e-mail address on that domain: both kinds of visitor meet in one account.
  function setUpWorkspace() {
    var button = document.querySelector('.workspace-open');
    var thanks = document.querySelector('.workspace-thanks');
    if (!button || !thanks) return;
    button.addEventListener('click', function () {
      window.inkling('group', button.getAttribute('data-account'), { name: button.getAttribute('data-account-name') });
      thanks.hidden = false;
      thanks.focus();
    });
  }

  // Newsletter: the address goes to the site's own backend (as any sign-up form's does), which answers with the
  // subscriber's opaque id and tells the receiver, server to server, who that subscriber is (their e-mail address,
  // whose domain puts them in their company's account). The browser only links the visitor to the opaque id:
  // Inkling never reads the form, and never sends an e-mail address from the browser.
  function setUpNewsletter() {
    var form = document.querySelector('form.newsletter-form');
    var thanks = document.querySelector('.newsletter-thanks');
    if (!form || !thanks) return;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      fetch(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.elements.email.value }),
      })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(new Error('subscribe: ' + response.status));
        })
        .then(function (subscriber) {
          window.inkling('identify', subscriber.userId);
          form.hidden = true;
          thanks.hidden = false;
          thanks.focus();
        })
        .catch(function (error) {
          console.warn(error);
        });
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
    setUpWorkspace();
    setUpNewsletter();
    setUpSpecialistPrompt();
  });
})();

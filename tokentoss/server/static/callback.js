// The OAuth redirect target of the tokentoss sign-in popup.
//
// It hands its own URL (code, state, or the provider's error) to the JupyterLab tab that
// opened it, then scrubs the URL from history and closes. Two channels, because each fails
// somewhere: window.opener is severed when the provider's pages send
// Cross-Origin-Opener-Policy, and BroadcastChannel is missing in some embedded browsers.
// The opener accepts only same-origin messages whose state matches the one it generated.
// Everything shown on the page is set with textContent: the query string is
// attacker-controlled and must never be parsed as HTML.
(function () {
  'use strict';

  var MESSAGE_TYPE = 'tokentoss:callback';
  var CHANNEL_PREFIX = 'tokentoss:';
  var MAX_SHOWN_CHARS = 500;

  function show(title, detail, isError) {
    document.getElementById('tokentoss-title').textContent = title;
    document.getElementById('tokentoss-detail').textContent = detail || '';
    if (isError) {
      document.body.classList.add('tokentoss-error');
    }
  }

  function shorten(text) {
    return text.length > MAX_SHOWN_CHARS
      ? text.slice(0, MAX_SHOWN_CHARS) + '…'
      : text;
  }

  function relay(message, state) {
    var delivered = false;
    if (state && typeof BroadcastChannel === 'function') {
      try {
        var channel = new BroadcastChannel(CHANNEL_PREFIX + state);
        // Messages posted before close() are still delivered.
        channel.postMessage(message);
        channel.close();
        delivered = true;
      } catch {
        // Fall through to window.opener.
      }
    }
    try {
      if (window.opener && !window.opener.closed) {
        // Target our own origin only: the code must never reach another site.
        window.opener.postMessage(message, window.location.origin);
        delivered = true;
      }
    } catch {
      // A cross-origin opener throws on access; nothing to deliver to then.
    }
    return delivered;
  }

  function main() {
    var params = new URLSearchParams(window.location.search);
    var state = params.get('state');
    var error = params.get('error');
    var message = { type: MESSAGE_TYPE, url: window.location.href };

    var delivered = relay(message, state);

    // The authorization code must not stay in the history or be re-used by a reload.
    try {
      window.history.replaceState(null, '', window.location.pathname);
    } catch {
      // Nothing else to scrub with; the code is single-use and short-lived anyway.
    }

    if (error) {
      var description = params.get('error_description');
      show(
        'Sign-in failed',
        shorten(error + (description ? ': ' + description : '')),
        true
      );
    } else if (!state) {
      show(
        'Sign-in failed',
        'The answer from the identity provider has no state.',
        true
      );
    } else if (!delivered) {
      show(
        'Sign-in could not be handed back',
        'The JupyterLab tab that started the sign-in was not found. Close this window and ' +
          'try again from the tokentoss sidebar.',
        true
      );
    } else {
      show('Signed in — you can close this window', '', false);
    }

    if (delivered) {
      window.close();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', main);
  } else {
    main();
  }
})();

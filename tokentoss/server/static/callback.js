// The outcome page of the tokentoss sign-in popup (callback/done?state=S).
//
// The server already did everything with the provider's answer: this page's URL and content
// carry no code and no token. The script only tells the JupyterLab tab that opened the popup
// that sign-in S has an outcome, so it reads it from its server (GET signins/S), and closes the
// popup unless the sign-in failed. Two channels, because each fails somewhere: window.opener is
// severed when the provider's pages send Cross-Origin-Opener-Policy, and BroadcastChannel is
// missing in some embedded browsers. The server rendered the state and the outcome into the
// page (escaped); an answer that belongs to no sign-in of this server has no state, so
// nothing is relayed.
(function () {
  'use strict';

  var MESSAGE_TYPE = 'tokentoss:callback';
  var CHANNEL_PREFIX = 'tokentoss:';
  var RELAYED = ['answered', 'succeeded', 'failed'];

  function relay(message, state) {
    var delivered = false;
    if (typeof BroadcastChannel === 'function') {
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
        // Our own origin only.
        window.opener.postMessage(message, window.location.origin);
        delivered = true;
      }
    } catch {
      // A cross-origin opener throws on access; nothing to deliver to then.
    }
    return delivered;
  }

  function main() {
    var state = document.body.dataset.state;
    var outcome = document.body.dataset.outcome;
    if (!state || RELAYED.indexOf(outcome) < 0) {
      return;
    }
    var message = { type: MESSAGE_TYPE, state: state };
    var delivered = relay(message, state);
    if (!delivered && outcome !== 'failed') {
      document.getElementById('tokentoss-detail').textContent =
        'Return to JupyterLab: the tokentoss sidebar shows the result.';
    }
    if (delivered && outcome !== 'failed') {
      window.close();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', main);
  } else {
    main();
  }
})();

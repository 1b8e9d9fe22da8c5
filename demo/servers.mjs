#!/usr/bin/env node
// The demo and test back ends, on loopback only (contract: docs/architecture.md, "Demo servers"):
//   - a local OpenID provider that behaves like Google where it matters (provider.mjs),
//   - an IAP-like protected service with the test hooks (service.mjs).
//
//   node demo/servers.mjs [--idp-port N] [--service-port N] [--client-id ID] [--client-secret S]
//                         [--email E] [--accounts E1,E2] [--id-token-ttl SECONDS]
//
// When both listen it prints ONE JSON line to stdout:
//   {"issuer": "http://127.0.0.1:P", "service": "http://127.0.0.1:Q", "client_id": ..., "client_secret": ...}
// --accounts offers several accounts on a "Choose an account" page (a login_hint naming one of them
// skips it), as a hub's users need; without it every sign-in answers as --email / the `email` hook.
// Everything else goes to stderr. SIGTERM / SIGINT close both servers and exit 0.
//
// Counters in GET /__stats: token_requests = authorization-code exchanges, refresh_requests = refresh
// grants (both counted when they arrive, before any check), revocations = grants actually revoked,
// authorizations = GET /authorize, plus service_requests / service_rejections of the protected service.
// POST /__control also accepts slow_ms (delay of refresh "slow", 3000), coop (true: the authorization
// page sends Cross-Origin-Opener-Policy: same-origin before redirecting), consent ("auto", or "wait":
// the authorization page waits for the user to click Allow), authorize_error (e.g.
// "access_denied") with authorize_error_description (any text, sent as is), email, hd, azp (null:
// the client ID) and email_verified (claims of the next ID tokens). POST /__reset restores stats and
// control; issued grants stay valid. A refresh token is issued only for access_type=offline, as Google.
import http from 'node:http';
import { parseArgs } from 'node:util';

import { createProvider } from './provider.mjs';
import { listen, stopOnSignals } from './http-util.mjs';
import { createService, defaultControl, freshStats } from './service.mjs';

const HOST = '127.0.0.1';

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'idp-port': { type: 'string', default: '0' },
      'service-port': { type: 'string', default: '0' },
      'client-id': { type: 'string', default: 'tokentoss-demo' },
      'client-secret': { type: 'string', default: 'demo-secret' },
      email: { type: 'string', default: 'demo@example.com' },
      accounts: { type: 'string', default: '' },
      'id-token-ttl': { type: 'string', default: '3600' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  });
  if (values.help) {
    process.stderr.write(
      'usage: node demo/servers.mjs [--idp-port N] [--service-port N] [--client-id ID]\n' +
        '       [--client-secret S] [--email E] [--accounts E1,E2] [--id-token-ttl SECONDS]\n'
    );
    process.exit(0);
  }
  const int = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`--${name} must be an integer between ${min} and ${max}`);
    }
    return n;
  };
  return {
    idpPort: int('idp-port', 0, 65535),
    servicePort: int('service-port', 0, 65535),
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    email: values.email,
    accounts: values.accounts.split(',').filter(Boolean),
    idTokenTtl: int('id-token-ttl', 1, 86400)
  };
}

async function main() {
  const opts = parseOptions();
  const state = { stats: freshStats(), control: defaultControl(opts) };
  const reset = () => {
    state.stats = freshStats();
    state.control = defaultControl(opts);
  };

  const provider = await createProvider({
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    accounts: opts.accounts,
    // Both read state.stats / state.control at request time, so reset() applies at once.
    state
  });
  const idpServer = http.createServer(
    (req, res) => void provider.handle(req, res)
  );
  const idpPort = await listen(idpServer, opts.idpPort, HOST);
  // oauth2-mock-server would say "localhost"; the issuer must be the address we really bound.
  const issuerUrl = `http://${HOST}:${idpPort}`;
  provider.setUrl(issuerUrl);

  const handleService = createService({
    issuerUrl,
    clientId: opts.clientId,
    state,
    reset
  });
  const serviceServer = http.createServer(
    (req, res) => void handleService(req, res)
  );
  const servicePort = await listen(serviceServer, opts.servicePort, HOST);

  stopOnSignals('demo servers', [idpServer, serviceServer]);

  process.stdout.write(
    JSON.stringify({
      issuer: issuerUrl,
      service: `http://${HOST}:${servicePort}`,
      client_id: opts.clientId,
      client_secret: opts.clientSecret
    }) + '\n'
  );
}

main().catch(err => {
  process.stderr.write(`demo servers: ${err.message}\n`);
  process.exit(1);
});

#!/usr/bin/env node
// A certified OpenID provider on loopback for tests and demos: npm `oidc-provider` (OpenID Certified),
// configured as its documentation recommends for production, plus the IAP-like protected service of
// service.mjs accepting this provider's ID tokens. Not Google-like on purpose: standard OpenID only.
//
//   node demo/certified-provider.mjs [--port N] [--service-port N]
//        [--redirect-uri URI ...] [--origin ORIGIN ...]
//
// When both listen it prints ONE JSON line to stdout:
//   {"issuer", "service", "confidential": {"client_id", "client_secret"}, "public": {"client_id"}}
// SIGTERM / SIGINT stop it. What the configuration decides (docs/architecture.md, "Certified provider"):
//   - a confidential client (client_secret_post; its code is exchanged by the Jupyter server) and a
//     public client (auth method none; the browser exchanges, so CORS is open for it and only it, for
//     the --origin values; the confidential client gets no CORS at the token endpoint),
//   - PKCE S256 required for every client,
//   - refresh tokens only for the offline_access scope, which the provider keeps only with
//     prompt=consent (its default issueRefreshToken policy; OpenID Connect Core 11),
//   - refresh-token rotation on every use; presenting a used refresh token revokes the whole grant,
//   - claims released by its defaults: with a code flow the ID token carries no email or name
//     (conformIdTokenClaims), the userinfo endpoint does,
//   - revocation on: revoking a refresh token revokes its grant, an access token only itself.
// Deviations from production, each for the tests: the library's own login and consent pages
// (devInteractions; any login and password signs in, the login is the subject), its in-memory
// adapter, plain http on loopback and keys made at start-up.
// The confidential client's secret is random per start, or TOKENTOSS_CERTIFIED_CLIENT_SECRET when
// set (the Galata config gives its server-mode lab the same value; an environment variable, not an
// argument, so it never shows in the process list).
// Test hooks on the service port (no auth, loopback only, refused to browsers): GET /__stats
// (authorizations, code_grants, refresh_grants, refresh_rejections, grants_revoked, revocations,
// userinfo_requests, service_requests, service_rejections) and POST /__reset (counters to zero).
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

import { listen, stopOnSignals } from './http-util.mjs';
import { createService, freshStats } from './service.mjs';

const HOST = '127.0.0.1';
const CONFIDENTIAL_CLIENT_ID = 'tokentoss-server';
const PUBLIC_CLIENT_ID = 'tokentoss-browser';
const CORS_ORIGINS_KEY = 'urn:tokentoss:allowed-cors-origins';

/** Display names of the test accounts; any other login gets its login as name. */
const NAMES = { 'ada@example.org': 'Ada Lovelace' };

function parseOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'service-port': { type: 'string', default: '0' },
      'redirect-uri': { type: 'string', multiple: true, default: [] },
      origin: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  });
  if (values.help) {
    process.stderr.write(
      'usage: node demo/certified-provider.mjs [--port N] [--service-port N]\n' +
        '       [--redirect-uri URI ...] [--origin ORIGIN ...]\n'
    );
    process.exit(0);
  }
  const port = name => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      throw new Error(`--${name} must be a port number`);
    }
    return n;
  };
  return {
    port: port('port'),
    servicePort: port('service-port'),
    redirectUris: values['redirect-uri'].length
      ? values['redirect-uri']
      : ['http://127.0.0.1:9/tokentoss/callback'],
    origins: values.origin
  };
}

/** The account behind a login of the development login page: its claims by scope. */
async function findAccount(ctx, sub) {
  const email = sub.includes('@') ? sub : `${sub}@example.org`;
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        email,
        email_verified: true,
        name: NAMES[email] ?? sub
      };
    }
  };
}

/** The provider's configuration (see the header for why each choice). */
async function providerConfiguration({ redirectUris, origins }) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const secret =
    process.env.TOKENTOSS_CERTIFIED_CLIENT_SECRET ||
    randomBytes(24).toString('base64url');
  const configuration = {
    clients: [
      {
        client_id: CONFIDENTIAL_CLIENT_ID,
        client_secret: secret,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris
      },
      {
        client_id: PUBLIC_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        [CORS_ORIGINS_KEY]: origins
      }
    ],
    extraClientMetadata: {
      properties: [CORS_ORIGINS_KEY],
      validator(ctx, key, value) {
        if (
          key === CORS_ORIGINS_KEY &&
          value !== undefined &&
          !(Array.isArray(value) && value.every(v => typeof v === 'string'))
        ) {
          throw new Error(`${CORS_ORIGINS_KEY} must be an array of origins`);
        }
      }
    },
    // Browsers may call the token, revocation and userinfo endpoints only for a public client and
    // only from its registered origins (the library's recipe "client_based_origins").
    clientBasedCORS(ctx, origin, client) {
      return (
        client.clientAuthMethod === 'none' &&
        (client[CORS_ORIGINS_KEY] ?? []).includes(origin)
      );
    },
    pkce: { methods: ['S256'], required: () => true },
    // The library's default, written out: a refresh token only with offline_access.
    async issueRefreshToken(ctx, client, code) {
      return (
        client.grantTypeAllowed('refresh_token') &&
        code.scopes.has('offline_access')
      );
    },
    rotateRefreshToken: true,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name']
    },
    findAccount,
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true }
    },
    jwks: { keys: [await exportJWK(privateKey)] },
    cookies: { keys: [randomBytes(32).toString('base64url')] }
  };
  return { configuration, secret };
}

/** Counts what the tests check, from the provider's own events. */
function countEvents(provider, state) {
  provider.on('authorization.success', () => {
    state.stats.authorizations += 1;
  });
  provider.on('grant.success', ctx => {
    const grant = ctx.oidc.params?.grant_type;
    if (grant === 'authorization_code') state.stats.code_grants += 1;
    if (grant === 'refresh_token') state.stats.refresh_grants += 1;
  });
  provider.on('grant.error', ctx => {
    if (ctx.oidc?.params?.grant_type === 'refresh_token') {
      state.stats.refresh_rejections += 1;
    }
  });
  provider.on('grant.revoked', () => {
    state.stats.grants_revoked += 1;
  });
  provider.on('revocation.success', () => {
    state.stats.revocations += 1;
  });
  // The library emits no event for a userinfo success: count answered requests of its route.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'userinfo' && ctx.status === 200) {
      state.stats.userinfo_requests += 1;
    }
  });
}

function certifiedStats() {
  return {
    ...freshStats(),
    code_grants: 0,
    refresh_grants: 0,
    refresh_rejections: 0,
    grants_revoked: 0,
    revocations: 0,
    userinfo_requests: 0
  };
}

async function main() {
  const opts = parseOptions();
  const idpServer = http.createServer();
  const port = await listen(idpServer, opts.port, HOST);
  const issuer = `http://${HOST}:${port}`;
  const { configuration, secret } = await providerConfiguration(opts);
  const provider = new Provider(issuer, configuration);
  const state = { stats: certifiedStats(), control: {} };
  countEvents(provider, state);
  idpServer.on('request', provider.callback());

  const handleService = createService({
    issuerUrl: issuer,
    clientId: [CONFIDENTIAL_CLIENT_ID, PUBLIC_CLIENT_ID],
    state,
    reset: () => {
      state.stats = certifiedStats();
    }
  });
  const serviceServer = http.createServer(
    (req, res) => void handleService(req, res)
  );
  const servicePort = await listen(serviceServer, opts.servicePort, HOST);

  stopOnSignals('certified provider', [idpServer, serviceServer]);

  process.stdout.write(
    JSON.stringify({
      issuer,
      service: `http://${HOST}:${servicePort}`,
      confidential: {
        client_id: CONFIDENTIAL_CLIENT_ID,
        client_secret: secret
      },
      public: { client_id: PUBLIC_CLIENT_ID }
    }) + '\n'
  );
}

main().catch(err => {
  process.stderr.write(`certified provider: ${err.stack ?? err.message}\n`);
  process.exit(1);
});

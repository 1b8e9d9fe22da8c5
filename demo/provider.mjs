// A local OpenID provider that behaves like Google where tokentoss cares.
//
// oauth2-mock-server signs real JWTs and serves a real JWKS, but it ignores client secrets, accepts any
// code and any refresh token, and skips PKCE when no verifier is sent. This module shapes its answers
// with the hooks it offers (beforeAuthorizeRedirect, beforeTokenSigning, beforeResponse,
// beforeUserinfo, beforeRevoke) and keeps a small front only where a hook cannot do it (pages shown
// instead of a redirect, checks that must answer before the mock's own, a delay): client
// authentication, single-use codes bound to client + redirect URI + PKCE, Google-style scope URLs, no
// refresh_token in refresh answers, invalid_grant for revoked grants, a revocation endpoint that really
// revokes (see docs/architecture.md, "Demo servers"). Nothing here logs a token value.
import { createHash, randomUUID } from 'node:crypto';

import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

import {
  escapeHtml,
  isLoopbackHost,
  readBody,
  sendHtml,
  sendJson,
  sleep
} from './http-util.mjs';

const GOOGLE_SCOPES = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile'
};
const CODE_LIFETIME_MS = 10 * 60 * 1000;
const REVOKED = 'Token has been expired or revoked.';

/** Map requested scopes to what Google answers: `email` → the userinfo.email URL, and so on. */
export function googleScopes(scope) {
  const out = [];
  for (const s of String(scope ?? '').split(/\s+/)) {
    const mapped = GOOGLE_SCOPES[s] ?? s;
    if (mapped && !out.includes(mapped)) {
      out.push(mapped);
    }
  }
  return out;
}

/** A stable Google-like numeric subject for an email address. */
function subjectFor(email) {
  const digest = createHash('sha256').update(email).digest('hex');
  return BigInt('0x' + digest.slice(0, 15))
    .toString()
    .padStart(21, '1');
}

function oauthError(res, status, error, description) {
  sendJson(res, status, { error, error_description: description });
}

/** Hidden form fields that send an authorization request's parameters back to /authorize. */
function hiddenFields(query) {
  return [...query]
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`
    )
    .join('');
}

/**
 * Which account answers this authorization request. With no `accounts` offered: the test hook's
 * `email`. With several (a hub's users): the one picked on the chooser page (`__account`), else a
 * `login_hint` naming one of them (Google skips its chooser then too); undefined = ask.
 */
function chosenAccount(query, accounts, control) {
  if (accounts.length === 0) {
    return control.email;
  }
  return [query.get('__account'), query.get('login_hint')].find(email =>
    accounts.includes(email)
  );
}

/** Google's "Choose an account" page: one button per offered account, back to /authorize. */
function accountChooser(url, accounts) {
  const buttons = accounts
    .map(
      email =>
        `<button type="submit" name="__account" value="${escapeHtml(email)}">${escapeHtml(email)}</button>`
    )
    .join(' ');
  return (
    `<!doctype html><title>Choose an account</title><h1>Choose an account</h1>` +
    `<form method="get" action="${escapeHtml(url.pathname)}">${hiddenFields(url.searchParams)}` +
    `${buttons}</form>`
  );
}

/**
 * Create the provider. `state` is shared with the demo service's test hooks:
 * `state.stats` (counters) and `state.control` (refresh behaviour, ID-token lifetime, extras).
 * `accounts` (optional): the email addresses a user can choose from, as on Google's account chooser.
 * Returns `{ issuer, handle(req, res), setUrl(url) }`.
 */
export async function createProvider({
  clientId,
  clientSecret,
  state,
  accounts = []
}) {
  const issuer = new OAuth2Issuer();
  await issuer.keys.generate('RS256');
  const service = new OAuth2Service(issuer);

  /** code → what the authorization request bound it to. */
  const codes = new Map();
  /** refresh token → grant; a grant is `{ clientId, scopes, email, revoked, accessTokens: Set }`. */
  const grants = new Map();
  /** access token → grant (revocation accepts either token, as Google does). */
  const grantsByAccessToken = new Map();

  /** The scopes a consent grants: the requested ones minus those the user "unticked". */
  const grantedScopes = scope => {
    const unticked = googleScopes(state.control.unticked_scopes.join(' '));
    return googleScopes(scope).filter(s => !unticked.includes(s));
  };

  const identity = email => ({ email, sub: subjectFor(email) });

  service.on('beforeAuthorizeRedirect', (redirect, req) => {
    const code = redirect.url.searchParams.get('code');
    const ctx = req.tokentoss;
    if (!code || !ctx) {
      return;
    }
    const { authorize_error: error, authorize_error_description: detail } =
      state.control;
    if (error) {
      // The user said no (or the provider failed): an error instead of the code, state kept.
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', error);
      if (detail) {
        redirect.url.searchParams.set('error_description', detail);
      }
      return;
    }
    codes.set(code, { ...ctx, expiresAt: Date.now() + CODE_LIFETIME_MS });
    // Google's callback carries these beside code and state.
    redirect.url.searchParams.set('iss', issuer.url);
    redirect.url.searchParams.set('scope', ctx.scopes.join(' '));
    redirect.url.searchParams.set('authuser', '0');
    redirect.url.searchParams.set('prompt', 'consent');
  });

  service.on('beforeTokenSigning', (token, req) => {
    const ctx = req.tokentoss;
    if (!ctx) {
      return;
    }
    const { payload } = token;
    const ttl = state.control.id_token_ttl;
    payload.exp = payload.iat + ttl;
    delete payload.amr;
    const scopes = ctx.scopes;
    Object.assign(payload, {
      sub: ctx.sub,
      azp: state.control.azp ?? clientId
    });
    if ('scope' in payload) {
      // The access token (Google's are opaque; here a JWT, which nobody should read). Unique
      // per issue, as Google's are: a refresh within the same second must not repeat it.
      payload.scope = scopes.join(' ');
      payload.aud = clientId;
      payload.jti = randomUUID();
      return;
    }
    payload.aud = clientId;
    if (scopes.includes(GOOGLE_SCOPES.email)) {
      payload.email = ctx.email;
      payload.email_verified = state.control.email_verified;
    }
    if (scopes.includes(GOOGLE_SCOPES.profile)) {
      Object.assign(payload, {
        name: state.control.name,
        given_name: 'Demo',
        family_name: 'User'
      });
    }
    if (state.control.hd) {
      payload.hd = state.control.hd;
    }
    if (ctx.kind === 'code' && ctx.nonce !== undefined) {
      payload.nonce = ctx.nonce;
    } else {
      delete payload.nonce;
    }
  });

  service.on('beforeResponse', (response, req) => {
    const ctx = req.tokentoss;
    if (!ctx || response.statusCode !== 200) {
      return;
    }
    const body = response.body;
    body.scope = ctx.scopes.join(' ');
    body.expires_in = state.control.id_token_ttl;
    if (!ctx.scopes.includes('openid')) {
      delete body.id_token;
    }
    if (ctx.kind === 'code') {
      const grant = {
        clientId,
        scopes: ctx.scopes,
        email: ctx.email,
        sub: ctx.sub,
        revoked: false,
        accessTokens: new Set([body.access_token])
      };
      grantsByAccessToken.set(body.access_token, grant);
      if (ctx.offline && state.control.issue_refresh_token) {
        grants.set(body.refresh_token, grant);
        addRefreshTokenLifetime(body);
      } else {
        // Google hands out a refresh token only for access_type=offline.
        delete body.refresh_token;
      }
    } else {
      // Google's refresh answer has a new access token and ID token, but no refresh_token.
      delete body.refresh_token;
      addRefreshTokenLifetime(body);
      ctx.grant.accessTokens.add(body.access_token);
      grantsByAccessToken.set(body.access_token, ctx.grant);
    }
  });

  /** Google states the refresh token's lifetime when it has one (apps in Testing status). */
  function addRefreshTokenLifetime(body) {
    if (state.control.refresh_token_expires_in !== null) {
      body.refresh_token_expires_in = state.control.refresh_token_expires_in;
    }
  }

  function discovery() {
    const base = issuer.url;
    return {
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/userinfo`,
      revocation_endpoint: `${base}/revoke`,
      jwks_uri: `${base}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'client_secret_basic'
      ],
      claims_supported: [
        'aud',
        'email',
        'email_verified',
        'exp',
        'family_name',
        'given_name',
        'iat',
        'iss',
        'name',
        'sub'
      ],
      code_challenge_methods_supported: ['plain', 'S256'],
      grant_types_supported: ['authorization_code', 'refresh_token']
    };
  }

  function authorize(req, res, url) {
    state.stats.authorizations += 1;
    const q = url.searchParams;
    const page = (status, title, detail) =>
      sendHtml(
        res,
        status,
        `<!doctype html><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1>` +
          `<p>${escapeHtml(detail)}</p>`
      );
    if (q.get('client_id') !== clientId) {
      page(401, 'Error 401: invalid_client', 'The OAuth client was not found.');
      return;
    }
    let redirect;
    try {
      redirect = new URL(q.get('redirect_uri') ?? '');
    } catch {
      page(
        400,
        'Error 400: invalid_request',
        'Missing or malformed redirect_uri.'
      );
      return;
    }
    // Like a Google Desktop client: any port and path, but only on this machine.
    if (
      !['http:', 'https:'].includes(redirect.protocol) ||
      !isLoopbackHost(redirect.hostname)
    ) {
      page(
        400,
        'Error 400: redirect_uri_mismatch',
        'Only loopback redirect URIs are allowed.'
      );
      return;
    }
    const method = q.get('code_challenge_method');
    if (
      q.get('code_challenge') &&
      method !== null &&
      !['plain', 'S256'].includes(method)
    ) {
      page(
        400,
        'Error 400: invalid_request',
        `Unsupported code_challenge_method ${method}.`
      );
      return;
    }
    const email = chosenAccount(q, accounts, state.control);
    if (email === undefined) {
      sendHtml(res, 200, accountChooser(url, accounts));
      return;
    }
    const { coop, consent } = state.control;
    if ((coop || consent === 'wait') && q.get('__consented') !== '1') {
      // A consent-like page: with coop it severs window.opener, as Google's pages may; with
      // consent "wait" it waits for the user to click Allow (a GET form back to /authorize).
      q.set('__consented', '1');
      const next = escapeHtml(url.pathname + url.search);
      const fields = hiddenFields(q);
      sendHtml(
        res,
        200,
        consent === 'wait'
          ? `<!doctype html><title>Consent</title><h1>Allow tokentoss-demo to sign you in?</h1>` +
              `<form method="get" action="${escapeHtml(url.pathname)}">${fields}` +
              `<button type="submit">Allow</button></form>`
          : `<!doctype html><meta http-equiv="refresh" content="0;url=${next}">` +
              `<title>Consent</title><p><a href="${next}">Continue</a></p>`,
        coop ? { 'Cross-Origin-Opener-Policy': 'same-origin' } : {}
      );
      return;
    }
    const who = identity(email);
    req.tokentoss = {
      kind: 'code',
      clientId,
      redirectUri: q.get('redirect_uri'),
      scopes: grantedScopes(q.get('scope') ?? 'openid'),
      nonce: q.get('nonce') ?? undefined,
      challenge: q.get('code_challenge') ?? undefined,
      challengeMethod: method ?? 'plain',
      offline: q.get('access_type') === 'offline',
      ...who
    };
    service.requestHandler(req, res);
  }

  /** Client authentication as Google does it: Basic or client_secret_post, secret always required. */
  function authenticateClient(req, form, res) {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const auth = req.headers.authorization ?? '';
    if (auth.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    if (!id) {
      oauthError(
        res,
        400,
        'invalid_request',
        'Could not determine client ID from request.'
      );
    } else if (id !== clientId) {
      oauthError(res, 401, 'invalid_client', 'The OAuth client was not found.');
    } else if (!secret) {
      oauthError(res, 400, 'invalid_request', 'client_secret is missing.');
    } else if (secret !== clientSecret) {
      oauthError(res, 401, 'invalid_client', 'Unauthorized');
    } else {
      return true;
    }
    return false;
  }

  function checkCode(form, res) {
    const code = form.get('code') ?? '';
    const bound = codes.get(code);
    codes.delete(code); // single use, whatever happens next
    if (!bound || bound.expiresAt < Date.now()) {
      oauthError(res, 400, 'invalid_grant', 'Malformed auth code.');
      return undefined;
    }
    if (form.get('redirect_uri') !== bound.redirectUri) {
      oauthError(res, 400, 'redirect_uri_mismatch', 'Bad Request');
      return undefined;
    }
    if (bound.challenge !== undefined) {
      const verifier = form.get('code_verifier');
      if (!verifier) {
        oauthError(res, 400, 'invalid_grant', 'Missing code verifier.');
        return undefined;
      }
      const expected =
        bound.challengeMethod === 'S256'
          ? createHash('sha256').update(verifier).digest('base64url')
          : verifier;
      if (expected !== bound.challenge) {
        oauthError(res, 400, 'invalid_grant', 'Invalid code verifier.');
        return undefined;
      }
    }
    return bound;
  }

  async function token(req, res) {
    const type = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const raw = await readBody(req);
    if (type !== 'application/x-www-form-urlencoded') {
      oauthError(
        res,
        400,
        'invalid_request',
        'Expected application/x-www-form-urlencoded.'
      );
      return;
    }
    const form = new URLSearchParams(raw);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      state.stats.token_requests += 1;
    } else if (grantType === 'refresh_token') {
      state.stats.refresh_requests += 1;
    }
    if (!authenticateClient(req, form, res)) {
      return;
    }
    if (grantType === 'authorization_code') {
      const bound = checkCode(form, res);
      if (!bound) {
        return;
      }
      req.tokentoss = bound;
    } else if (grantType === 'refresh_token') {
      const mode = state.control.refresh;
      if (mode === 'slow') {
        await sleep(state.control.slow_ms);
      } else if (mode === 'invalid_grant') {
        oauthError(res, 400, 'invalid_grant', REVOKED);
        return;
      } else if (mode === 'invalid_rapt' || mode === 'rapt_required') {
        // A Workspace reauthentication policy: Google adds error_subtype to invalid_grant.
        sendJson(res, 400, {
          error: 'invalid_grant',
          error_description: 'reauth related error (' + mode + ')',
          error_subtype: mode
        });
        return;
      } else if (mode === 'server_error') {
        oauthError(
          res,
          500,
          'server_error',
          'Temporary failure: try again later.'
        );
        return;
      }
      const grant = grants.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked) {
        oauthError(res, 400, 'invalid_grant', REVOKED);
        return;
      }
      req.tokentoss = {
        kind: 'refresh',
        grant,
        scopes: grant.scopes,
        email: grant.email,
        sub: grant.sub
      };
    } else {
      oauthError(
        res,
        400,
        'unsupported_grant_type',
        `Invalid grant_type: ${grantType ?? ''}`
      );
      return;
    }
    // oauth2-mock-server's body parser sees the stream finished and keeps our req.body.
    req.body = Object.fromEntries(form);
    service.requestHandler(req, res);
  }

  /** The grant a revocation names: its refresh token or one of its access tokens, as Google takes. */
  service.on('beforeRevoke', (response, req) => {
    const value = req.body?.token ?? '';
    const grant = grants.get(value) ?? grantsByAccessToken.get(value);
    if (!grant || grant.revoked) {
      response.statusCode = 400;
      return;
    }
    grant.revoked = true;
    state.stats.revocations += 1;
  });

  /** Userinfo answers only for access tokens this provider issued and has not revoked. */
  service.on('beforeUserinfo', (response, req) => {
    const auth = req.headers.authorization ?? '';
    const grant = grantsByAccessToken.get(auth.replace(/^Bearer\s+/i, ''));
    if (!grant || grant.revoked) {
      response.statusCode = 401;
      response.body = {
        error: 'invalid_token',
        error_description: 'Invalid Credentials'
      };
      return;
    }
    response.body = {
      sub: grant.sub,
      email: grant.email,
      // Says what the ID token says (as Google's userinfo does).
      email_verified: state.control.email_verified,
      name: state.control.name
    };
  });

  /** The revocation form, read here: the mock parses only JSON bodies on /revoke. */
  async function revoke(req, res) {
    const raw = await readBody(req);
    req.body = Object.fromEntries(new URLSearchParams(raw));
    service.requestHandler(req, res);
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', issuer.url);
    try {
      if (
        req.method === 'OPTIONS' ||
        (req.method === 'GET' && ['/jwks', '/userinfo'].includes(url.pathname))
      ) {
        // CORS preflights, keys and userinfo: the mock's own routes (userinfo via its hook).
        service.requestHandler(req, res);
      } else if (url.pathname === '/.well-known/openid-configuration') {
        // No hook for discovery: the mock's says auth method "none" and lacks refresh_token.
        sendJson(res, 200, discovery());
      } else if (url.pathname === '/authorize' && req.method === 'GET') {
        // Front: the chooser, consent and error pages are pages, not a redirect a hook can edit.
        authorize(req, res, url);
      } else if (url.pathname === '/token' && req.method === 'POST') {
        // Front: Google's checks must answer before the mock's own (its PKCE error is not Google's).
        await token(req, res);
      } else if (url.pathname === '/revoke' && req.method === 'POST') {
        await revoke(req, res);
      } else {
        sendJson(res, 404, {
          error: 'not_found',
          error_description: `No route ${url.pathname}`
        });
      }
    } catch (err) {
      if (!res.headersSent) {
        const status = err.status ?? 500;
        oauthError(
          res,
          status,
          status === 413 ? 'invalid_request' : 'server_error',
          err.message
        );
      }
    }
  }

  return {
    issuer,
    handle,
    setUrl(url) {
      issuer.url = url;
    }
  };
}

// An IAP-like protected service: every request needs `Authorization: Bearer <ID token>` from the local
// provider, checked as Identity-Aware Proxy does (signature against the JWKS, iss, aud = client ID, exp).
// The same port carries the test hooks /__stats, /__control and /__reset (no auth: loopback only).
import { createRemoteJWKSet, jwtVerify } from 'jose';

import { answerPreflight, readBody, sendJson } from './http-util.mjs';

const REFRESH_MODES = [
  'ok',
  'invalid_grant',
  'invalid_rapt',
  'rapt_required',
  'server_error',
  'slow'
];

/** The knobs POST /__control accepts, with their checks. Unknown keys are refused. */
const CONTROL_KEYS = {
  refresh: v => REFRESH_MODES.includes(v),
  id_token_ttl: v => Number.isInteger(v) && v > 0 && v <= 86400,
  slow_ms: v => Number.isInteger(v) && v >= 0 && v <= 120000,
  coop: v => typeof v === 'boolean',
  consent: v => ['auto', 'wait'].includes(v),
  authorize_error: v =>
    v === null || (typeof v === 'string' && /^[a-z_]{1,64}$/.test(v)),
  // Free text on purpose: tests send a hostile provider's HTML through it.
  authorize_error_description: v =>
    v === null || (typeof v === 'string' && v.length <= 512),
  email: v => typeof v === 'string' && /^[^@\s]+@[^@\s]+$/.test(v),
  hd: v => v === null || (typeof v === 'string' && v.length <= 253),
  // null: the client ID (as Google sends it); a string: another client's ID.
  azp: v => v === null || (typeof v === 'string' && v.length <= 253),
  email_verified: v => typeof v === 'boolean',
  // Free text on purpose (≤ 512): tests send hostile names (markup, control characters).
  name: v => typeof v === 'string' && v.length <= 512,
  // Consent and lifetime, as Google's granular consent and Testing-status apps give them.
  unticked_scopes: v =>
    Array.isArray(v) &&
    v.length <= 16 &&
    v.every(s => typeof s === 'string' && /^[!#-[\]-~]{1,256}$/.test(s)),
  issue_refresh_token: v => typeof v === 'boolean',
  refresh_token_expires_in: v =>
    v === null || (Number.isInteger(v) && v > 0 && v <= 315360000)
};

/** Counters reported by GET /__stats. */
export function freshStats() {
  return {
    token_requests: 0,
    refresh_requests: 0,
    revocations: 0,
    authorizations: 0,
    service_requests: 0,
    service_rejections: 0
  };
}

/** Provider behaviour that tests can change with POST /__control. */
export function defaultControl({ idTokenTtl, email }) {
  return {
    refresh: 'ok',
    id_token_ttl: idTokenTtl,
    slow_ms: 3000,
    coop: false,
    consent: 'auto',
    authorize_error: null,
    authorize_error_description: null,
    email,
    hd: null,
    azp: null,
    email_verified: true,
    name: 'Demo User',
    unticked_scopes: [],
    issue_refresh_token: true,
    refresh_token_expires_in: null
  };
}

/**
 * Create the service's request handler. `state` is `{ stats, control }`, shared with the provider;
 * `reset()` puts it back to the start values.
 */
export function createService({ issuerUrl, clientId, state, reset }) {
  const jwks = createRemoteJWKSet(new URL(`${issuerUrl}/jwks`));

  async function authenticate(req, res) {
    const auth = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!match) {
      state.stats.service_rejections += 1;
      sendJson(
        res,
        401,
        {
          error: 'unauthorized',
          message: 'Missing Authorization: Bearer <ID token>.'
        },
        { 'WWW-Authenticate': 'Bearer' }
      );
      return undefined;
    }
    try {
      const { payload } = await jwtVerify(match[1], jwks, {
        issuer: issuerUrl,
        audience: clientId,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub']
      });
      return payload;
    } catch (err) {
      state.stats.service_rejections += 1;
      sendJson(
        res,
        401,
        {
          error: 'invalid_token',
          message: `Invalid ID token: ${err.code ?? err.name}`
        },
        { 'WWW-Authenticate': 'Bearer error="invalid_token"' }
      );
      return undefined;
    }
  }

  async function control(req, res) {
    let body;
    try {
      body = JSON.parse((await readBody(req)) || '{}');
    } catch {
      sendJson(res, 400, {
        error: 'bad_request',
        message: 'Body must be JSON.'
      });
      return;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      sendJson(res, 400, {
        error: 'bad_request',
        message: 'Body must be a JSON object.'
      });
      return;
    }
    for (const [key, value] of Object.entries(body)) {
      const check = CONTROL_KEYS[key];
      if (!check || !check(value)) {
        sendJson(res, 400, {
          error: 'bad_request',
          message: `Bad control value for ${key}.`
        });
        return;
      }
    }
    Object.assign(state.control, body);
    sendJson(res, 200, state.control);
  }

  async function protectedRoute(req, res, url) {
    state.stats.service_requests += 1;
    const claims = await authenticate(req, res);
    if (!claims) {
      return;
    }
    const who = {
      email: claims.email ?? null,
      sub: claims.sub,
      aud: claims.aud
    };
    // /api/data and /api/items: the paths of tokentoss 0.1's README quick start.
    if (
      (url.pathname === '/whoami' || url.pathname === '/api/data') &&
      req.method === 'GET'
    ) {
      sendJson(res, 200, who);
    } else if (url.pathname === '/echo' || url.pathname === '/api/items') {
      // For IAPClient.post and friends: what arrived, as the caller.
      const raw = await readBody(req);
      let json = null;
      try {
        json = raw ? JSON.parse(raw) : null;
      } catch {
        json = null;
      }
      sendJson(res, 200, {
        ...who,
        method: req.method,
        path: url.pathname,
        query: url.search,
        json,
        body: raw
      });
    } else {
      sendJson(res, 404, {
        error: 'not_found',
        message: `No route ${url.pathname}`
      });
    }
  }

  return async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (url.pathname.startsWith('/__') && req.headers.origin) {
        // The test hooks are for test code, never for a web page open in the browser.
        sendJson(res, 403, {
          error: 'forbidden',
          message: 'The test hooks do not answer browsers.'
        });
      } else if (req.method === 'OPTIONS') {
        answerPreflight(req, res);
      } else if (url.pathname === '/__stats' && req.method === 'GET') {
        sendJson(res, 200, state.stats);
      } else if (url.pathname === '/__control' && req.method === 'GET') {
        sendJson(res, 200, state.control);
      } else if (url.pathname === '/__control' && req.method === 'POST') {
        await control(req, res);
      } else if (url.pathname === '/__reset' && req.method === 'POST') {
        reset();
        sendJson(res, 200, { stats: state.stats, control: state.control });
      } else {
        await protectedRoute(req, res, url);
      }
    } catch (err) {
      if (!res.headersSent) {
        sendJson(res, err.status ?? 500, {
          error: 'server_error',
          message: err.message
        });
      }
    }
  };
}

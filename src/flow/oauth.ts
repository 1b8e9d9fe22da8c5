/**
 * The OAuth 2.0 authorization-code flow with PKCE S256, state and nonce, for an
 * OpenID Connect provider (Google by default). Pure: no JupyterLab imports, so
 * it runs in node against a real local provider in the tests, and it is split
 * into a chunk that the browser fetches only when the user first signs in.
 */
import * as oauth from 'oauth4webapi';

import type { IFlowConfig, ITokenUpload } from '../tokens';
import { SignInError } from './errors';
import {
  checkExtraClaims,
  describe,
  CLOCK_TOLERANCE_SECONDS,
  verifyIdToken
} from './idToken';
import { offlineRequest } from './offline';
import type { IFlowOptions, IPendingAuthorization } from './pending';
import { isLoopbackHttp, parseSecureUrl } from './urls';
import { completeIdentity, grantsProfile } from './userinfo';

// Callers (signin.ts, the tests) take the flow's shapes from here, with its functions.
export type { IFlowOptions, IPendingAuthorization } from './pending';

function httpOptions(config: IFlowConfig, options: IFlowOptions) {
  // Plain http is only ever allowed for a provider on this machine.
  return {
    [oauth.allowInsecureRequests]: isLoopbackHttp(config.issuer),
    ...(options.fetch ? { [oauth.customFetch]: options.fetch } : {})
  };
}

function client(config: IFlowConfig): oauth.Client {
  return {
    client_id: config.clientId,
    [oauth.clockTolerance]: CLOCK_TOLERANCE_SECONDS
  };
}

function clientAuth(config: IFlowConfig): oauth.ClientAuth {
  // Google's token endpoint demands the (non-confidential) Desktop client secret even with PKCE.
  return config.clientSecret
    ? oauth.ClientSecretPost(config.clientSecret)
    : oauth.None();
}

/** Fetches and checks the provider's discovery document. */
export async function discover(
  config: IFlowConfig,
  options: IFlowOptions = {}
): Promise<oauth.AuthorizationServer> {
  try {
    const response = await oauth.discoveryRequest(config.issuer, {
      algorithm: 'oidc',
      ...httpOptions(config, options)
    });
    const server = await oauth.processDiscoveryResponse(
      config.issuer,
      response
    );
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri'
    ] as const) {
      if (!server[endpoint]) {
        throw new Error(`the discovery document has no ${endpoint}`);
      }
      parseSecureUrl(server[endpoint]!, endpoint);
    }
    return server;
  } catch (reason) {
    throw new SignInError(
      'discovery_failed',
      `Could not read the identity provider's configuration at ${config.issuer.href} (${describe(reason)}). Check the issuer setting and your network.`,
      describe(reason)
    );
  }
}

/** Discovery, PKCE, state and nonce, and the URL to send the popup to. */
export async function prepareAuthorization(
  config: IFlowConfig,
  options: IFlowOptions = {}
): Promise<IPendingAuthorization> {
  const server = await discover(config, options);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(server.authorization_endpoint!);
  const params = url.searchParams;
  params.set('client_id', config.clientId);
  params.set('redirect_uri', config.redirectUri);
  params.set('response_type', 'code');
  // A refresh token: offline_access where the provider lists it, Google's access_type otherwise.
  const offline = offlineRequest(server, config.scopes);
  params.set('scope', offline.scopes.join(' '));
  for (const [name, value] of Object.entries(offline.parameters)) {
    params.set(name, value);
  }
  params.set(
    'code_challenge',
    await oauth.calculatePKCECodeChallenge(codeVerifier)
  );
  params.set('code_challenge_method', 'S256');
  params.set('state', state);
  params.set('nonce', nonce);
  if (config.hostedDomain) {
    params.set('hd', config.hostedDomain);
  }
  if (config.loginHint) {
    params.set('login_hint', config.loginHint);
  }
  return { config, server, authorizationUrl: url, state, nonce, codeVerifier };
}

/** The `state` a callback URL carries, or null. */
export function stateOf(callbackUrl: URL): string | null {
  return callbackUrl.searchParams.get('state');
}

/**
 * Validates the callback, exchanges the code, verifies the ID token against the
 * provider's JWKS and returns what the server stores (the server takes the token
 * endpoint from the issuer's discovery, never from us).
 */
export async function completeAuthorization(
  pending: IPendingAuthorization,
  callbackUrl: URL,
  options: IFlowOptions = {}
): Promise<ITokenUpload> {
  const { config, server } = pending;
  const parameters = validateCallback(pending, callbackUrl);
  let result: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      server,
      client(config),
      clientAuth(config),
      parameters,
      config.redirectUri,
      pending.codeVerifier,
      httpOptions(config, options)
    );
    result = await oauth.processAuthorizationCodeResponse(
      server,
      client(config),
      response,
      {
        expectedNonce: pending.nonce,
        requireIdToken: true
      }
    );
  } catch (reason) {
    throw tokenError(reason);
  }
  checkExtraClaims(pending, oauth.getValidatedIdTokenClaims(result)!);
  const claims = await verifyIdToken(pending, result.id_token!, options);
  const scopes = result.scope
    ? result.scope.split(/\s+/).filter(Boolean)
    : config.scopes;
  // Providers that follow OpenID's default put the email and name in userinfo only.
  const identity = await completeIdentity(
    server,
    client(config),
    result.access_token,
    claims,
    httpOptions(config, options),
    grantsProfile(scopes),
    why => console.warn(`tokentoss: userinfo not used (${why})`)
  );
  const now = Date.now();
  const accessExpiry = now + (result.expires_in ?? 3600) * 1000;
  const expiresAt = Math.min(accessExpiry, claims.exp * 1000);
  return {
    state: pending.state,
    access_token: result.access_token,
    id_token: result.id_token!,
    refresh_token: result.refresh_token ?? null,
    expires_at: new Date(expiresAt).toISOString(),
    scopes,
    // The ID token's email and name or else userinfo's, each only when vouched for.
    user_email: identity.email,
    user_name: identity.name,
    issuer: server.issuer,
    client_id: config.clientId,
    client_secret: config.clientSecret,
    requested_scopes: config.scopes,
    refresh_token_expires_in: wholeSeconds(result.refresh_token_expires_in)
  };
}

/** A provider's positive whole number of seconds, else null. */
function wholeSeconds(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
    ? value
    : null;
}

function validateCallback(
  pending: IPendingAuthorization,
  callbackUrl: URL
): URLSearchParams {
  const received = stateOf(callbackUrl);
  if (received !== pending.state) {
    // Checked here too so that a forged callback never reaches the token endpoint.
    throw new SignInError(
      'state_mismatch',
      received
        ? 'The sign-in answer does not belong to this sign-in (state mismatch). Please sign in again.'
        : 'The sign-in answer carries no state. Please sign in again.'
    );
  }
  try {
    return oauth.validateAuthResponse(
      pending.server,
      client(pending.config),
      callbackUrl,
      pending.state
    );
  } catch (reason) {
    if (reason instanceof oauth.AuthorizationResponseError) {
      const detail = reason.error_description || reason.error;
      throw new SignInError(
        'provider_error',
        reason.error === 'access_denied'
          ? `Sign-in was cancelled or denied at the provider (${detail}).`
          : `The identity provider refused the sign-in: ${detail}.`,
        detail
      );
    }
    throw new SignInError(
      'state_mismatch',
      `The sign-in answer is not valid (${describe(reason)}). Please sign in again.`,
      describe(reason)
    );
  }
}

function tokenError(reason: unknown): SignInError {
  if (reason instanceof oauth.ResponseBodyError) {
    const detail = reason.error_description || reason.error;
    if (reason.error === 'invalid_grant') {
      // The code itself was refused (reused, expired, forged or PKCE mismatch): the settings are fine.
      return new SignInError(
        'code_rejected',
        `The identity provider refused this sign-in's code: ${detail}. Please sign in again.`,
        detail
      );
    }
    return new SignInError(
      'token_exchange_failed',
      `The identity provider refused to issue tokens: ${detail}. Check the client ID and secret in Settings → tokentoss.`,
      detail
    );
  }
  if (reason instanceof SignInError) {
    return reason;
  }
  if (isNetworkFailure(reason)) {
    // A browser cannot tell a refused cross-origin call from a network failure: both say so here.
    return new SignInError(
      'token_endpoint_unreachable',
      "The browser could not reach the identity provider's token endpoint: the network failed or the provider does not allow this page to call it (CORS). Let the Jupyter server exchange the code instead: configure the OAuth client on the server (TokenTossConfig) or run `tokentoss configure`.",
      describe(reason)
    );
  }
  const jwtCheck =
    reason instanceof oauth.OperationProcessingError &&
    [
      oauth.JWT_CLAIM_COMPARISON,
      oauth.JWT_TIMESTAMP_CHECK,
      oauth.INVALID_RESPONSE
    ].includes(reason.code ?? '');
  return new SignInError(
    jwtCheck ? 'id_token_invalid' : 'token_exchange_failed',
    jwtCheck
      ? `The identity provider's ID token failed verification (${describe(reason)}). Nothing was saved.`
      : `Exchanging the sign-in code for tokens failed (${describe(reason)}). Please try again.`,
    describe(reason)
  );
}

/**
 * fetch() rejects with a plain TypeError when no HTTP answer could be read;
 * oauth4webapi's own argument errors are TypeErrors too, but carry a code.
 */
function isNetworkFailure(reason: unknown): boolean {
  return (
    reason instanceof TypeError &&
    typeof (reason as { code?: unknown }).code !== 'string'
  );
}

import { URLExt } from '@jupyterlab/coreutils';

import { SignInError } from './flow/errors';
import { parseSecureUrl } from './flow/urls';
import { IFlowConfig, ITokenTossSettings } from './tokens';

/** Defaults, mirroring `schema/plugin.json`. */
export const DEFAULT_SETTINGS: ITokenTossSettings = {
  clientId: '',
  clientSecret: '',
  issuer: 'https://accounts.google.com',
  scopes: ['openid', 'email', 'profile'],
  hostedDomain: '',
  loginHint: '',
  redirectUri: '',
  autoRefresh: true,
  refreshMarginSeconds: 300
};

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

/** Reads the composite settings object into a typed, trimmed settings value. */
export function readSettings(
  composite: Partial<Record<string, unknown>>
): ITokenTossSettings {
  const margin = Number(composite.refreshMarginSeconds);
  const scopes = text(composite.scopes, '').split(/\s+/).filter(Boolean);
  return {
    clientId: text(composite.clientId, DEFAULT_SETTINGS.clientId),
    clientSecret: text(composite.clientSecret, DEFAULT_SETTINGS.clientSecret),
    issuer: text(composite.issuer, '') || DEFAULT_SETTINGS.issuer,
    scopes: scopes.length ? scopes : DEFAULT_SETTINGS.scopes,
    hostedDomain: text(composite.hostedDomain, ''),
    loginHint: text(composite.loginHint, ''),
    redirectUri: text(composite.redirectUri, ''),
    autoRefresh:
      typeof composite.autoRefresh === 'boolean'
        ? composite.autoRefresh
        : DEFAULT_SETTINGS.autoRefresh,
    refreshMarginSeconds:
      Number.isFinite(margin) && margin >= 30
        ? Math.min(margin, 3000)
        : DEFAULT_SETTINGS.refreshMarginSeconds
  };
}

/**
 * Derives what the sign-in flow needs from the settings and where JupyterLab
 * runs. Throws a `SignInError` that points at the settings when they are unusable.
 */
export function flowConfig(
  settings: ITokenTossSettings,
  origin: string,
  baseUrl: string
): IFlowConfig {
  if (!settings.clientId) {
    throw new SignInError(
      'not_configured',
      'No OAuth client ID in the settings.'
    );
  }
  const issuer = parseSecureUrl(settings.issuer, 'The issuer');
  const redirectUri = parseSecureUrl(
    settings.redirectUri || defaultRedirectUri(origin, baseUrl),
    'The redirect URI'
  );
  // The callback page relays only to its own origin (BroadcastChannel, postMessage).
  if (redirectUri.origin !== origin) {
    throw new SignInError(
      'redirect_origin',
      `The redirect URI is not on ${origin}.`,
      redirectUri.href
    );
  }
  return {
    issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret || null,
    scopes: settings.scopes,
    hostedDomain: settings.hostedDomain || null,
    loginHint: settings.loginHint || null,
    redirectUri: redirectUri.href
  };
}

/** `{origin}{baseUrl}tokentoss/callback`: the relay page served by the server extension. */
export function defaultRedirectUri(origin: string, baseUrl: string): string {
  const path = URLExt.join(
    new URL(baseUrl, origin).pathname,
    'tokentoss',
    'callback'
  );
  return new URL(path, origin).href;
}

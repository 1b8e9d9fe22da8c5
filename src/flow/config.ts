/**
 * From settings to what the flow needs. Part of the sign-in chunk: the start-up bundle only
 * reads the settings (`settings.ts`).
 */
import { URLExt } from '@jupyterlab/coreutils';

import type { IFlowConfig, ITokenTossSettings } from '../tokens';
import { SignInError } from './errors';
import { parseSecureUrl } from './urls';

/**
 * Derives what the sign-in flow needs from the settings and where JupyterLab
 * runs. Throws a `SignInError` that points at the settings when they are unusable.
 *
 * The redirect URI may be on another origin than the lab (a hub-level
 * `https://HUB/hub/user-redirect/tokentoss/callback`): the lab learns the
 * outcome from its own server, so it does not depend on the callback page's relay.
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

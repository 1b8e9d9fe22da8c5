/**
 * How to ask a provider for a refresh token. Standard OpenID providers issue one
 * for the `offline_access` scope (with `prompt=consent`, OpenID Connect Core 11);
 * Google rejects that scope and wants `access_type=offline` instead. The choice
 * is made from the issuer and its discovery document, never from a setting.
 * Used for both exchange modes: the URL is built in the browser either way.
 */

/** Google's issuer, as its discovery document names it (with and without scheme). */
const GOOGLE_ISSUERS = new Set([
  'https://accounts.google.com',
  'accounts.google.com'
]);

/** True for Google's own issuer. */
export function isGoogleIssuer(issuer: string): boolean {
  return GOOGLE_ISSUERS.has(issuer.replace(/\/$/, ''));
}

/** What a provider's discovery document says about itself (the part we read). */
export interface IOfflineDiscovery {
  issuer: string;
  scopes_supported?: unknown;
}

/** The scopes to request and the extra authorization parameters for a refresh token. */
export interface IOfflineRequest {
  scopes: string[];
  parameters: Record<string, string>;
}

/**
 * `offline_access` when the provider lists it in `scopes_supported` (and is not
 * Google); otherwise Google's `access_type=offline`, which other providers ignore.
 * `prompt=consent` either way: Google issues a refresh token only with consent,
 * and OpenID providers drop `offline_access` without it.
 */
export function offlineRequest(
  server: IOfflineDiscovery,
  scopes: readonly string[]
): IOfflineRequest {
  const listed =
    Array.isArray(server.scopes_supported) &&
    server.scopes_supported.includes('offline_access');
  if (listed && !isGoogleIssuer(server.issuer)) {
    const wanted = scopes.includes('offline_access')
      ? [...scopes]
      : [...scopes, 'offline_access'];
    return { scopes: wanted, parameters: { prompt: 'consent' } };
  }
  return {
    scopes: scopes.filter(scope => scope !== 'offline_access'),
    parameters: { access_type: 'offline', prompt: 'consent' }
  };
}

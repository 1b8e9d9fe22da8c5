/**
 * What the panel warns about after a sign-in or a refresh: scopes the user did not
 * grant, a sign-in without a refresh token, a refresh token that will expire. The
 * server reports the facts (`GET status`); the texts are built here, once.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { displayText } from './displayText';
import { IServerStatus } from './tokens';

/** Formats a time the way the panel shows times. */
function clock(iso: string): string {
  return new Date(iso).toLocaleString([], {
    dateStyle: 'medium',
    timeStyle: 'short'
  });
}

/**
 * The one text for a sign-in without a refresh token: it ends when its tokens
 * expire. Other features (e.g. the notebook sign-in card) reuse it.
 */
export function noRefreshTokenWarning(
  expiresAt: string | null,
  trans: TranslationBundle
): string {
  return expiresAt
    ? trans.__(
        'No refresh token came back from the provider, so this sign-in cannot be renewed: it ends when its tokens expire at %1. Sign in again then.',
        clock(expiresAt)
      )
    : trans.__(
        'No refresh token came back from the provider, so this sign-in cannot be renewed: it ends when its tokens expire. Sign in again then.'
      );
}

/** Every warning for a signed-in status, translated; empty when all is well. */
export function signInWarnings(
  status: IServerStatus,
  trans: TranslationBundle
): string[] {
  if (!status.signed_in) {
    return [];
  }
  const warnings: string[] = [];
  const missing = status.missing_scopes ?? [];
  if (missing.length) {
    warnings.push(
      trans.__(
        'Not granted at the consent screen: %1. Calls that need them will fail; sign in again and tick them to grant them.',
        // Scope names come from the provider: control and bidi characters escaped.
        missing.map(displayText).join(', ')
      )
    );
  }
  // An older server does not report it: no warning rather than a false one.
  if (status.can_refresh === false) {
    warnings.push(noRefreshTokenWarning(status.expires_at, trans));
  } else if (status.refresh_token_expires_at) {
    warnings.push(
      trans.__(
        'The provider says the refresh token expires at %1: sign in again before then.',
        clock(status.refresh_token_expires_at)
      )
    );
  }
  return warnings;
}

/**
 * User-facing, translated messages for failures. The flow raises coded errors in
 * plain English; this is where they become text for the panel.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { ApiError } from './api';
import { SignInError } from './flow/errors';

/** What the panel shows for a failure, and which way out it offers. */
export interface IFailure {
  message: string;
  fix: 'settings' | 'retry';
}

/** Turns any error of a sign-in, refresh or sign-out into a translated message. */
export function describeFailure(
  error: unknown,
  trans: TranslationBundle
): IFailure {
  if (error instanceof SignInError) {
    const detail = error.detail;
    switch (error.code) {
      case 'not_configured':
        return {
          message: trans.__(
            'No OAuth client ID is set. Open the tokentoss settings and enter your client ID and secret.'
          ),
          fix: 'settings'
        };
      case 'insecure_issuer':
        return {
          message: trans.__(
            'The issuer or redirect URI must use https (plain http only for loopback addresses): %1',
            detail
          ),
          fix: 'settings'
        };
      case 'invalid_url':
        return {
          message: trans.__('This setting is not a valid URL: %1', detail),
          fix: 'settings'
        };
      case 'chunk_failed':
        return {
          message: trans.__(
            'The sign-in code could not be downloaded from the Jupyter server (%1). Check the connection and try again.',
            detail
          ),
          fix: 'retry'
        };
      case 'popup_blocked':
        return {
          message: trans.__(
            'The browser blocked the sign-in window. Allow pop-ups for this site, then click Sign in again.'
          ),
          fix: 'retry'
        };
      case 'popup_closed':
        return {
          message: trans.__(
            'Sign-in cancelled: the sign-in window was closed.'
          ),
          fix: 'retry'
        };
      case 'timeout':
        return {
          message: trans.__(
            'No answer came from the sign-in window. Please try again.'
          ),
          fix: 'retry'
        };
      case 'discovery_failed':
        return {
          message: trans.__(
            'Could not reach the identity provider (%1). Check the issuer setting and your network.',
            detail
          ),
          fix: 'settings'
        };
      case 'state_mismatch':
        return {
          message: trans.__(
            'The sign-in answer does not belong to this sign-in, so it was rejected. Please sign in again.'
          ),
          fix: 'retry'
        };
      case 'provider_error':
        return {
          message: trans.__(
            'The identity provider did not sign you in: %1',
            detail
          ),
          fix: 'retry'
        };
      case 'token_exchange_failed':
        return {
          message: trans.__(
            'The identity provider refused to issue tokens (%1). Check the client ID and secret in the settings.',
            detail
          ),
          fix: 'settings'
        };
      case 'token_endpoint_unreachable':
        return {
          message: trans.__(
            'The browser could not reach the identity provider’s token endpoint (%1): the network failed, or the provider does not let this page call it (CORS). The client ID and secret are not the problem. Let the Jupyter server exchange the code: configure the OAuth client on the server, or run “tokentoss configure” in a terminal.',
            detail
          ),
          fix: 'retry'
        };
      case 'code_rejected':
        return {
          message: trans.__(
            'The identity provider refused the answer of this sign-in (%1), so nothing was saved. Please sign in again.',
            detail
          ),
          fix: 'retry'
        };
      case 'id_token_invalid':
        return {
          message: trans.__(
            'The ID token failed verification (%1), so nothing was saved. Please sign in again.',
            detail
          ),
          fix: 'retry'
        };
      case 'hosted_domain_mismatch':
        return {
          message: trans.__(
            'This account is not part of %1. Sign in with an account of that domain.',
            detail
          ),
          fix: 'retry'
        };
      case 'insecure_context':
        return {
          message: insecureContextMessage(trans),
          fix: 'settings'
        };
      case 'sign_in_expired':
        return {
          message: trans.__(
            'The Jupyter server no longer knows this sign-in (it expired after 10 minutes, or a newer sign-in replaced it). Please sign in again.'
          ),
          fix: 'retry'
        };
      case 'server_sign_in_failed':
        return {
          message: trans.__(
            'The Jupyter server could not complete the sign-in: %1',
            detail
          ),
          fix: 'retry'
        };
      case 'server_rejected':
        return {
          message: trans.__(
            'The Jupyter server did not store the tokens: %1',
            detail
          ),
          fix: 'retry'
        };
    }
  }
  if (error instanceof ApiError) {
    if (error.reason === 'reauth_required') {
      return {
        message: trans.__(
          'Your organisation requires you to sign in again. Please sign in again.'
        ),
        fix: 'retry'
      };
    }
    if (error.reason === 'invalid_grant') {
      return {
        message: trans.__(
          'Your sign-in has expired or was revoked. Please sign in again.'
        ),
        fix: 'retry'
      };
    }
    if (error.reason === 'network') {
      return {
        message: trans.__(
          'The Jupyter server could not be reached. Check that it is running, then try again.'
        ),
        fix: 'retry'
      };
    }
    return {
      message: trans.__('The Jupyter server said: %1', error.message),
      fix: 'retry'
    };
  }
  return {
    message: trans.__(
      'Something went wrong: %1',
      (error as Error)?.message ?? String(error)
    ),
    fix: 'retry'
  };
}

/** Why this page cannot sign in, and what to do about it. */
export function insecureContextMessage(trans: TranslationBundle): string {
  return trans.__(
    'This JupyterLab is served over plain http from another machine, so the browser withholds the cryptography a safe sign-in needs (this is not a secure context). Open JupyterLab over https, or through a loopback address such as http://localhost (for example through an SSH tunnel).'
  );
}

/**
 * Errors of the sign-in flow. The code picks the translated message the panel
 * shows (`messages.ts`); the English message is for logs and tests.
 * NOTE: messages never include a token, code or verifier value.
 */
export type SignInErrorCode =
  | 'not_configured'
  | 'insecure_issuer'
  | 'invalid_url'
  | 'chunk_failed'
  | 'popup_blocked'
  | 'popup_closed'
  | 'timeout'
  | 'discovery_failed'
  | 'state_mismatch'
  | 'provider_error'
  | 'token_exchange_failed'
  | 'token_endpoint_unreachable'
  | 'code_rejected'
  | 'id_token_invalid'
  | 'hosted_domain_mismatch'
  | 'server_rejected'
  | 'insecure_context'
  | 'sign_in_expired'
  | 'server_sign_in_failed';

export class SignInError extends Error {
  /**
   * @param code what went wrong, for the UI's translated message and for tests
   * @param message an English explanation with the next step, for logs and tests
   * @param detail the provider's or library's own words (never a secret), shown as text
   */
  constructor(
    readonly code: SignInErrorCode,
    message: string,
    readonly detail: string = ''
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/**
 * Errors of the sign-in flow. Each carries a code (for tests and logs) and a
 * message written for the user: it says what happened and what to do next.
 * NOTE: messages never include a token, code or verifier value.
 */
export type SignInErrorCode =
  | 'not_configured'
  | 'insecure_issuer'
  | 'invalid_url'
  | 'redirect_origin'
  | 'chunk_failed'
  | 'popup_blocked'
  | 'popup_closed'
  | 'timeout'
  | 'discovery_failed'
  | 'state_mismatch'
  | 'provider_error'
  | 'token_exchange_failed'
  | 'code_rejected'
  | 'id_token_invalid'
  | 'hosted_domain_mismatch'
  | 'server_rejected';

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

/**
 * A short, token-free description of a library error for messages: jose's
 * error code (e.g. ERR_JWS_SIGNATURE_VERIFICATION_FAILED), else the message.
 */
export function describe(reason: unknown): string {
  const code = (reason as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_')) {
    return code;
  }
  if (reason instanceof Error) {
    return reason.message;
  }
  return String(reason);
}

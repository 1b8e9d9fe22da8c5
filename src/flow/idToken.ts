/**
 * Verification of the provider's ID token, after oauth4webapi's own claim
 * checks: the claims it does not check, then the signature against the
 * provider's JWKS with jose.
 */
import type * as oauth from 'oauth4webapi';
import {
  createRemoteJWKSet,
  customFetch as jwksCustomFetch,
  jwtVerify
} from 'jose';

import { hasUnsafeText } from '../displayText';
import { SignInError } from './errors';
import type { IFlowOptions, IPendingAuthorization } from './pending';

/** Seconds of clock difference tolerated between this machine and the provider. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * The claims oauth4webapi does not check (iat in the future, azp, hd). Run before the
 * signature check: the signature then vouches for exactly these claims.
 */
export function checkExtraClaims(
  pending: IPendingAuthorization,
  claims: oauth.IDToken
): void {
  const { config } = pending;
  const nowSeconds = Date.now() / 1000;
  if (
    typeof claims.iat !== 'number' ||
    claims.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS
  ) {
    throw new SignInError(
      'id_token_invalid',
      'The ID token claims to be issued in the future. Check this computer’s clock, then sign in again.',
      'iat in the future'
    );
  }
  // oauth4webapi checks azp only when aud lists several clients; present, it
  // must be us whatever aud says.
  if (claims.azp !== undefined && claims.azp !== config.clientId) {
    throw new SignInError(
      'id_token_invalid',
      'The ID token was issued to another OAuth client (azp). Nothing was saved.',
      'azp is not the client ID'
    );
  }
  if (config.hostedDomain && claims.hd !== config.hostedDomain) {
    throw new SignInError(
      'hosted_domain_mismatch',
      `This account is not part of ${config.hostedDomain}. Sign in with an account of that domain.`,
      config.hostedDomain
    );
  }
}

export interface IVerifiedClaims {
  exp: number;
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

/**
 * An email address as tokentoss stores and shows one (tokentoss/_jwt.py's
 * EMAIL_SHAPE): one '@' between non-empty parts, no whitespace, control or
 * bidi character.
 */
function isEmailShaped(text: string): boolean {
  return (
    text.length <= 320 &&
    /^[^\s@]+@[^\s@]+$/u.test(text) &&
    !hasUnsafeText(text)
  );
}

/**
 * The user's email, if the provider vouches for it: none when
 * `email_verified` is false, and none when it is not an address or holds
 * control or bidi characters (it would be shown misleadingly). The same rule
 * as the server's tokentoss._jwt.vouched_email (azp is checked before this).
 * ID-token claims and userinfo answers alike.
 */
export function verifiedEmail(claims: {
  email?: unknown;
  email_verified?: unknown;
}): string | null {
  const { email, email_verified: verified } = claims;
  const disowned =
    verified === false ||
    (typeof verified === 'string' && verified.toLowerCase() === 'false');
  if (typeof email !== 'string' || disowned) {
    return null;
  }
  return isEmailShaped(email) ? email : null;
}

/** The longest name tokentoss stores and shows (tokentoss/_jwt.py's MAX_NAME_CHARS). */
export const MAX_NAME_CHARS = 256;

/**
 * The user's name (`name` claim) as tokentoss stores and shows it: none when it
 * is not a string, is blank or longer than MAX_NAME_CHARS, or holds a control or
 * bidi character (refused whole, not stripped: what is left could read as
 * someone else's). Markup stays text: the panel shows names as text only. The
 * rule of the server's tokentoss._jwt.vouched_name (azp is checked before this).
 */
export function verifiedName(claims: { name?: unknown }): string | null {
  const { name } = claims;
  if (
    typeof name !== 'string' ||
    name.trim() === '' ||
    // Code points, as Python's len() counts them (not UTF-16 units).
    [...name].length > MAX_NAME_CHARS ||
    hasUnsafeText(name)
  ) {
    return null;
  }
  return name;
}

/** Verifies the ID token's signature, iss, aud and exp with jose. */
export async function verifyIdToken(
  pending: IPendingAuthorization,
  idToken: string,
  options: IFlowOptions
): Promise<IVerifiedClaims> {
  const { config, server } = pending;
  // oauth4webapi checked iss, aud, exp and nonce on the unverified token; jose
  // now checks the signature against the provider's JWKS (and those claims again).
  const jwks = createRemoteJWKSet(new URL(server.jwks_uri!), {
    ...(options.fetch ? { [jwksCustomFetch]: options.fetch } : {})
  });
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(idToken, jwks, {
      issuer: server.issuer,
      audience: config.clientId,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub']
    }));
  } catch (reason) {
    throw new SignInError(
      'id_token_invalid',
      `The identity provider's ID token failed verification (${describe(reason)}). Nothing was saved.`,
      describe(reason)
    );
  }
  return payload as unknown as IVerifiedClaims;
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

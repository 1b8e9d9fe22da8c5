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

import { SignInError } from './errors';
import type { IFlowOptions, IPendingAuthorization } from './oauth';

/** Seconds of clock difference tolerated between this machine and the provider. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * The claims oauth4webapi does not check (iat in the future, hd). Run before the
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

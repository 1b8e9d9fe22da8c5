/**
 * The user's email and name from the provider's userinfo endpoint, for providers
 * that follow the OpenID Connect default of releasing them there rather than in
 * the ID token. The answer counts only for the ID token's subject.
 */
import * as oauth from 'oauth4webapi';

import { describe, verifiedEmail } from './idToken';

/** Who the user is, as far as the provider said; null when it did not. */
export interface IIdentity {
  email: string | null;
  name: string | null;
}

/** An ID token's claims that matter here. */
export interface IIdentityClaims {
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * The identity in a set of claims; the email only when the claims vouch for it
 * (`verifiedEmail`, the one rule for ID tokens and userinfo answers).
 */
export function identityOf(claims: {
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}): IIdentity {
  return {
    email: verifiedEmail(claims),
    name: text(claims.name)
  };
}

/**
 * The ID token's identity, completed from userinfo when the ID token lacks the
 * email or the name and the provider has a userinfo endpoint. A userinfo
 * failure is not a sign-in failure: the sign-in is valid, only less described.
 * `onProblem` hears why (token-free text).
 */
export async function completeIdentity(
  server: oauth.AuthorizationServer,
  client: oauth.Client,
  accessToken: string,
  claims: IIdentityClaims,
  httpOptions: oauth.HttpRequestOptions<'GET' | 'POST'>,
  onProblem: (why: string) => void = () => undefined
): Promise<IIdentity> {
  const fromIdToken = identityOf(claims);
  // An ID token that carries an email has the last word on it, vouched for or
  // not: userinfo is asked only for what the token does not carry.
  const carriesEmail = claims.email !== undefined;
  const complete =
    (fromIdToken.email !== null || carriesEmail) && fromIdToken.name;
  if (complete || !server.userinfo_endpoint) {
    return fromIdToken;
  }
  try {
    const response = await oauth.userInfoRequest(
      server,
      client,
      accessToken,
      httpOptions
    );
    // processUserInfoResponse refuses an answer whose sub is not the ID token's.
    const info = await oauth.processUserInfoResponse(
      server,
      client,
      claims.sub,
      response
    );
    const fromUserinfo = identityOf(info);
    return {
      email: carriesEmail ? fromIdToken.email : fromUserinfo.email,
      name: fromIdToken.name ?? fromUserinfo.name
    };
  } catch (reason) {
    onProblem(describe(reason));
    return fromIdToken;
  }
}

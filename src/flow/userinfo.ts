/**
 * The user's email and name from the provider's userinfo endpoint, for providers
 * that follow the OpenID Connect default of releasing them there rather than in
 * the ID token. The answer counts only for the ID token's subject.
 */
import * as oauth from 'oauth4webapi';

import { describe, verifiedEmail, verifiedName } from './idToken';

/** Who the user is, as far as the provider vouched for it; null when it did not. */
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

/** Google's name for the `profile` scope when it reports granted scopes. */
const GOOGLE_PROFILE_SCOPE = 'https://www.googleapis.com/auth/userinfo.profile';

/**
 * True if `profile` was granted: without it no provider releases the name, so
 * userinfo is not asked for one (tokentoss.consent.grants_profile).
 */
export function grantsProfile(scopes: readonly string[]): boolean {
  return scopes.includes('profile') || scopes.includes(GOOGLE_PROFILE_SCOPE);
}

/**
 * The identity in a set of claims, each part only when the claims vouch for it
 * (`verifiedEmail` and `verifiedName`, one rule for ID tokens and userinfo).
 */
export function identityOf(claims: {
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}): IIdentity {
  return {
    email: verifiedEmail(claims),
    name: verifiedName(claims)
  };
}

/**
 * The ID token's identity, completed from userinfo when the ID token lacks the
 * email or the name (the name only when `wantName`: `profile` granted) and the
 * provider has a userinfo endpoint. A userinfo failure is not a sign-in
 * failure: the sign-in is valid, only less described. `onProblem` hears why
 * (token-free text). The rule of tokentoss.userinfo.sign_in_identity.
 */
export async function completeIdentity(
  server: oauth.AuthorizationServer,
  client: oauth.Client,
  accessToken: string,
  claims: IIdentityClaims,
  httpOptions: oauth.HttpRequestOptions<'GET' | 'POST'>,
  wantName: boolean,
  onProblem: (why: string) => void = () => undefined
): Promise<IIdentity> {
  const fromIdToken = identityOf(claims);
  // An ID token that carries an email or a name has the last word on it,
  // vouched for or not: userinfo is asked only for what the token does not carry.
  const askEmail = claims.email === undefined;
  const askName = wantName && claims.name === undefined;
  const named = wantName ? fromIdToken : { ...fromIdToken, name: null };
  if (!(askEmail || askName) || !server.userinfo_endpoint) {
    return named;
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
      email: askEmail ? fromUserinfo.email : named.email,
      name: askName ? fromUserinfo.name : named.name
    };
  } catch (reason) {
    onProblem(describe(reason));
    return named;
  }
}

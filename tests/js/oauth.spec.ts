/**
 * The sign-in flow module against a real local OpenID provider: real HTTP, real
 * signed JWTs, real JWKS. The provider's authorize endpoint answers with a
 * redirect at once, so "the user" is a fetch that does not follow redirects.
 */
import { SignInError } from '../../src/flow/errors';
import {
  completeAuthorization,
  IFlowOptions,
  prepareAuthorization
} from '../../src/flow/oauth';
import { IFlowConfig } from '../../src/tokens';
import {
  authorize,
  flowConfig,
  IProvider,
  REDIRECT_URI
} from './support/provider';
import { useProvider } from './support/providerSession';

const currentProvider = useProvider();
let provider: IProvider;
beforeEach(() => {
  provider = currentProvider();
});

function config(overrides: Partial<IFlowConfig> = {}): IFlowConfig {
  return flowConfig(provider, overrides);
}

async function expectSignInError(
  promise: Promise<unknown>,
  code: string
): Promise<SignInError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason
  );
  expect(error).toBeInstanceOf(SignInError);
  expect((error as SignInError).code).toBe(code);
  return error as SignInError;
}

/** A fetch that rewrites the ID token of token-endpoint answers: a forged or broken provider. */
function forgingFetch(forge: (parts: string[]) => string[]): IFlowOptions {
  return {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const url =
        typeof input === 'string' ? input : (input as URL | Request).toString();
      if (!url.includes('/token') || !response.ok) {
        return response;
      }
      const body = await response.json();
      body.id_token = forge(body.id_token.split('.')).join('.');
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'Content-Type': 'application/json' }
      });
    }
  };
}

const b64 = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
const unb64 = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString());
const withClaims = (claims: object) => (parts: string[]) => [
  parts[0],
  b64({ ...unb64(parts[1]), ...claims }),
  parts[2]
];

describe('prepareAuthorization', () => {
  it('asks for a code with PKCE S256, state, nonce and Google extras', async () => {
    const pending = await prepareAuthorization(
      config({ hostedDomain: 'example.com', loginHint: 'demo@example.com' })
    );
    const params = pending.authorizationUrl.searchParams;
    expect(pending.authorizationUrl.origin).toBe(provider.issuer);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('code_challenge')).not.toBe(pending.codeVerifier);
    expect(params.get('state')).toBe(pending.state);
    expect(params.get('nonce')).toBe(pending.nonce);
    expect(params.get('access_type')).toBe('offline');
    expect(params.get('prompt')).toBe('consent');
    expect(params.get('hd')).toBe('example.com');
    expect(params.get('login_hint')).toBe('demo@example.com');
    expect(params.get('redirect_uri')).toBe(REDIRECT_URI);
  });

  it('uses fresh random values for every sign-in', async () => {
    const [a, b] = await Promise.all([
      prepareAuthorization(config()),
      prepareAuthorization(config())
    ]);
    expect(a.state).not.toBe(b.state);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });

  it('explains an unreachable provider', async () => {
    await expectSignInError(
      prepareAuthorization(config({ issuer: new URL('http://127.0.0.1:9/') })),
      'discovery_failed'
    );
  });
});

describe('completeAuthorization', () => {
  it('exchanges the code and returns verified tokens for the server', async () => {
    const pending = await prepareAuthorization(config());
    const tokens = await completeAuthorization(
      pending,
      await authorize(pending)
    );
    expect(tokens.user_email).toBe('demo@example.com');
    expect(tokens.issuer).toBe(provider.issuer);
    expect(tokens.client_id).toBe(provider.clientId);
    expect(tokens.client_secret).toBe(provider.clientSecret);
    // The PUT body names its registered sign-in and no token endpoint (the server takes it from discovery).
    expect(tokens.state).toBe(pending.state);
    expect(tokens).not.toHaveProperty('token_uri');
    expect(tokens.id_token.split('.')).toHaveLength(3);
    expect(tokens.refresh_token).toBeTruthy();
    // Google-style scopes come back as URLs and are stored as given.
    expect(tokens.scopes).toContain(
      'https://www.googleapis.com/auth/userinfo.email'
    );
    const expires = Date.parse(tokens.expires_at) - Date.now();
    expect(expires).toBeGreaterThan(50 * 60_000);
    expect(expires).toBeLessThanOrEqual(3600_000);
    expect((await provider.stats()).token_requests).toBe(1);
  });

  it('tells the server what was asked, what was granted and how long the refresh token lives', async () => {
    await provider.control({
      unticked_scopes: ['profile'],
      issue_refresh_token: false,
      refresh_token_expires_in: 604800
    });
    const pending = await prepareAuthorization(config());
    const tokens = await completeAuthorization(
      pending,
      await authorize(pending)
    );
    expect(tokens.requested_scopes).toEqual(['openid', 'email', 'profile']);
    expect(tokens.scopes).not.toContain(
      'https://www.googleapis.com/auth/userinfo.profile'
    );
    expect(tokens.refresh_token).toBeNull();
    // No refresh token, so no lifetime of one either.
    expect(tokens.refresh_token_expires_in).toBeNull();
    await provider.control({ issue_refresh_token: true });
    const again = await prepareAuthorization(config());
    const withRefresh = await completeAuthorization(
      again,
      await authorize(again)
    );
    expect(withRefresh.refresh_token_expires_in).toBe(604800);
  });

  it('the ID token it returns is accepted by the protected service', async () => {
    const pending = await prepareAuthorization(config());
    const tokens = await completeAuthorization(
      pending,
      await authorize(pending)
    );
    const response = await fetch(`${provider.service}/whoami`, {
      headers: { Authorization: `Bearer ${tokens.id_token}` }
    });
    expect(response.status).toBe(200);
    expect((await response.json()).email).toBe('demo@example.com');
  });

  it('rejects a callback with a wrong state without calling the token endpoint', async () => {
    const pending = await prepareAuthorization(config());
    const callback = await authorize(pending);
    callback.searchParams.set('state', 'forged-state');
    await expectSignInError(
      completeAuthorization(pending, callback),
      'state_mismatch'
    );
    expect((await provider.stats()).token_requests).toBe(0);
  });

  it('rejects a callback without state', async () => {
    const pending = await prepareAuthorization(config());
    const callback = await authorize(pending);
    callback.searchParams.delete('state');
    await expectSignInError(
      completeAuthorization(pending, callback),
      'state_mismatch'
    );
    expect((await provider.stats()).token_requests).toBe(0);
  });

  it('reports the provider refusing the sign-in (access_denied)', async () => {
    await provider.control({ authorize_error: 'access_denied' });
    const pending = await prepareAuthorization(config());
    const error = await expectSignInError(
      completeAuthorization(pending, await authorize(pending)),
      'provider_error'
    );
    expect(error.detail).toContain('access_denied');
  });

  it('rejects an ID token minted for another sign-in (nonce mismatch)', async () => {
    const pending = await prepareAuthorization(config());
    const callback = await authorize(pending);
    const other = { ...pending, nonce: 'nonce-of-another-sign-in' };
    const error = await expectSignInError(
      completeAuthorization(other, callback),
      'id_token_invalid'
    );
    expect(error.detail).toMatch(/nonce/);
  });

  it('rejects a code that is exchanged with another PKCE verifier', async () => {
    const pending = await prepareAuthorization(config());
    const callback = await authorize(pending);
    const other = { ...pending, codeVerifier: 'x'.repeat(43) };
    await expectSignInError(
      completeAuthorization(other, callback),
      'code_rejected'
    );
  });

  it('reports a missing client secret as the provider says it (Google requires one)', async () => {
    const pending = await prepareAuthorization(config({ clientSecret: null }));
    const error = await expectSignInError(
      completeAuthorization(pending, await authorize(pending)),
      'token_exchange_failed'
    );
    expect(error.detail).toMatch(/client_secret/);
  });

  const forgeries: Array<[string, (parts: string[]) => string[], RegExp]> = [
    ['a wrong audience', withClaims({ aud: 'someone-else' }), /aud/],
    ['a wrong issuer', withClaims({ iss: 'https://evil.example' }), /iss/],
    [
      'an expired token',
      withClaims({ exp: Math.floor(Date.now() / 1000) - 3600 }),
      /exp/
    ],
    [
      'an iat far in the future',
      withClaims({ iat: Math.floor(Date.now() / 1000) + 86400 }),
      /iat|future/
    ],
    [
      'a bad signature',
      parts => [parts[0], parts[1], parts[2].slice(0, -6) + 'AAAAAA'],
      /signature/i
    ],
    [
      'alg none',
      parts => [b64({ alg: 'none', typ: 'JWT' }), parts[1], ''],
      /alg|unsupported|none/i
    ]
  ];

  it.each(forgeries)(
    'rejects an ID token with %s',
    async (_name, forge, detail) => {
      const pending = await prepareAuthorization(config());
      const callback = await authorize(pending);
      const error = await expectSignInError(
        completeAuthorization(pending, callback, forgingFetch(forge)),
        'id_token_invalid'
      );
      expect(error.detail).toMatch(detail);
    }
  );

  it('enforces the hosted domain when one is set', async () => {
    await provider.control({ hd: 'other.example' });
    const pending = await prepareAuthorization(
      config({ hostedDomain: 'example.com' })
    );
    await expectSignInError(
      completeAuthorization(pending, await authorize(pending)),
      'hosted_domain_mismatch'
    );
  });

  it('accepts the hosted domain when it matches', async () => {
    await provider.control({ hd: 'example.com' });
    const pending = await prepareAuthorization(
      config({ hostedDomain: 'example.com' })
    );
    const tokens = await completeAuthorization(
      pending,
      await authorize(pending)
    );
    expect(tokens.user_email).toBe('demo@example.com');
  });

  it('never puts a token value into an error message', async () => {
    const pending = await prepareAuthorization(config());
    const callback = await authorize(pending);
    const code = callback.searchParams.get('code')!;
    let seen = '';
    const error = await expectSignInError(
      completeAuthorization(
        pending,
        callback,
        forgingFetch(parts => {
          seen = parts.join('.');
          return withClaims({ aud: 'someone-else' })(parts);
        })
      ),
      'id_token_invalid'
    );
    for (const secret of [
      seen,
      code,
      pending.codeVerifier,
      seen.split('.')[2]
    ]) {
      expect(error.message).not.toContain(secret);
      expect(error.detail).not.toContain(secret);
    }
  });
});

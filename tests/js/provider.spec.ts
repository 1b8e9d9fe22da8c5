/**
 * The local provider's endpoints that demo/provider.mjs shapes through oauth2-mock-server's
 * hooks (beforeUserinfo, beforeRevoke, beforeAuthorizeRedirect) and its CORS, over real HTTP:
 * userinfo only for live access tokens it issued, a revocation that really revokes the grant,
 * Google's error redirect for a refused consent.
 */
import { prepareAuthorization } from '../../src/flow/oauth';
import { authorize, flowConfig } from './support/provider';
import { signIn as signInAt, useProvider } from './support/providerSession';

const currentProvider = useProvider();
let provider: ReturnType<typeof currentProvider>;

beforeEach(() => {
  provider = currentProvider();
});

const signIn = () => signInAt(provider);

const userinfo = (accessToken: string) =>
  fetch(`${provider.issuer}/userinfo`, {
    headers: { Authorization: `Bearer ${accessToken}` }
  });

const revoke = (token: string) =>
  fetch(`${provider.issuer}/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token })
  });

it('answers userinfo for an access token it issued, 401 for any other', async () => {
  const tokens = await signIn();
  const mine = await userinfo(tokens.access_token);
  expect(mine.status).toBe(200);
  expect(await mine.json()).toMatchObject({
    email: 'demo@example.com',
    email_verified: true
  });
  const other = await userinfo('not-a-token-it-issued');
  expect(other.status).toBe(401);
  expect((await other.json()).error).toBe('invalid_token');
});

it('revokes the whole grant through its access token, once', async () => {
  const tokens = await signIn();
  expect((await revoke('not-a-token-it-issued')).status).toBe(400);
  expect((await provider.stats()).revocations).toBe(0);

  expect((await revoke(tokens.access_token)).status).toBe(200);
  expect((await provider.stats()).revocations).toBe(1);
  expect((await userinfo(tokens.access_token)).status).toBe(401);
  expect((await revoke(tokens.refresh_token!)).status).toBe(400);
  const refresh = await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: provider.clientId,
      client_secret: provider.clientSecret
    })
  });
  expect(refresh.status).toBe(400);
  expect((await refresh.json()).error).toBe('invalid_grant');
});

it('sends a refused consent back as an error with the state, no code', async () => {
  await provider.control({
    authorize_error: 'access_denied',
    authorize_error_description: 'The user said no'
  });
  const pending = await prepareAuthorization(flowConfig(provider));
  const callback = await authorize(pending);
  expect(callback.searchParams.get('error')).toBe('access_denied');
  expect(callback.searchParams.get('error_description')).toBe(
    'The user said no'
  );
  expect(callback.searchParams.get('state')).toBe(pending.state);
  expect(callback.searchParams.has('code')).toBe(false);
});

it('answers browsers’ CORS preflights', async () => {
  const preflight = await fetch(`${provider.issuer}/token`, {
    method: 'OPTIONS',
    headers: {
      Origin: 'http://127.0.0.1:8888',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type'
    }
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(
    /content-type/i
  );
});

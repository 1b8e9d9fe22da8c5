/**
 * Refresh tokens from any provider and an honest message when the browser cannot
 * reach the token endpoint, against real providers: the certified one
 * (demo/certified-provider.mjs, npm oidc-provider) and the Google-like one.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { SignInError } from '../../src/flow/errors';
import { serverFlowConfig } from '../../src/flow/mode';
import { offlineRequest } from '../../src/flow/offline';
import {
  completeAuthorization,
  prepareAuthorization
} from '../../src/flow/oauth';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { IClientInfo, IFlowConfig } from '../../src/tokens';
import { IProvider, startProvider } from './support/provider';

const REDIRECT_URI = 'http://127.0.0.1:9/tokentoss/callback';

let certified: { issuer: string; clientId: string; child: ChildProcess };
let googleLike: IProvider;

beforeAll(async () => {
  const script = join(__dirname, '..', '..', 'demo', 'certified-provider.mjs');
  const child = spawn(
    process.execPath,
    [script, '--redirect-uri', REDIRECT_URI],
    { stdio: ['ignore', 'pipe', 'ignore'] }
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', code =>
      reject(new Error(`certified-provider.mjs exited with ${code}`))
    );
  });
  const info = JSON.parse(line);
  certified = { issuer: info.issuer, clientId: info.public.client_id, child };
  googleLike = await startProvider();
});

afterAll(async () => {
  certified?.child.kill('SIGTERM');
  await googleLike?.stop();
});

function config(issuer: string, clientId: string): IFlowConfig {
  return {
    issuer: new URL(issuer),
    clientId,
    clientSecret: null,
    scopes: ['openid', 'email', 'profile'],
    hostedDomain: null,
    loginHint: null,
    redirectUri: REDIRECT_URI
  };
}

test('a provider listing offline_access is asked for it, with consent', async () => {
  const pending = await prepareAuthorization(
    config(certified.issuer, certified.clientId)
  );
  const params = pending.authorizationUrl.searchParams;
  expect(params.get('scope')!.split(' ')).toContain('offline_access');
  expect(params.get('prompt')).toBe('consent');
  expect(params.has('access_type')).toBe(false);
});

test('server mode asks for it too: its authorization URL is built in the browser as well', async () => {
  // The client the Jupyter server holds (GET client), the certified provider's confidential one.
  const server: IClientInfo = {
    source: 'server_config',
    managed_fields: ['clientId', 'clientSecret', 'issuer'],
    origin: 'jupyter_server_config',
    client_id: 'tokentoss-server',
    issuer: certified.issuer,
    scopes: ['openid', 'email'],
    hosted_domain: null,
    redirect_uri: REDIRECT_URI,
    has_secret: true
  };
  const config = serverFlowConfig(
    server,
    DEFAULT_SETTINGS,
    'http://127.0.0.1:9',
    '/'
  );
  const pending = await prepareAuthorization(config);
  const params = pending.authorizationUrl.searchParams;
  expect(params.get('client_id')).toBe('tokentoss-server');
  expect(params.get('scope')!.split(' ')).toEqual([
    'openid',
    'email',
    'offline_access'
  ]);
  expect(params.get('prompt')).toBe('consent');
  expect(params.has('access_type')).toBe(false);
});

test('a provider that does not list it gets Google’s access_type=offline', async () => {
  const pending = await prepareAuthorization(
    config(googleLike.issuer, googleLike.clientId)
  );
  const params = pending.authorizationUrl.searchParams;
  expect(params.get('scope')!.split(' ')).not.toContain('offline_access');
  expect(params.get('access_type')).toBe('offline');
  expect(params.get('prompt')).toBe('consent');
});

test('Google is never sent offline_access, even if it listed it', () => {
  const asked = offlineRequest(
    {
      issuer: 'https://accounts.google.com',
      scopes_supported: ['openid', 'offline_access']
    },
    ['openid', 'offline_access']
  );
  expect(asked.scopes).toEqual(['openid']);
  expect(asked.parameters).toEqual({
    access_type: 'offline',
    prompt: 'consent'
  });
});

test('a token endpoint the browser cannot reach is named as such, not as bad settings', async () => {
  const pending = await prepareAuthorization(
    config(googleLike.issuer, googleLike.clientId)
  );
  const answer = await fetch(pending.authorizationUrl, { redirect: 'manual' });
  const callback = new URL(answer.headers.get('location')!);
  // What fetch() does in a browser when the provider refuses CORS: a bare TypeError, no answer.
  const refusedByCors: typeof fetch = async (input, init) => {
    if (
      String(input instanceof Request ? input.url : input).includes('/token')
    ) {
      throw new TypeError('Failed to fetch');
    }
    return fetch(input, init);
  };
  const error = await completeAuthorization(pending, callback, {
    fetch: refusedByCors
  }).then(
    () => null,
    (reason: unknown) => reason
  );
  expect(error).toBeInstanceOf(SignInError);
  expect((error as SignInError).code).toBe('token_endpoint_unreachable');
  expect((error as SignInError).message).toContain('tokentoss configure');
  expect((error as SignInError).message).not.toContain('client ID and secret');
});

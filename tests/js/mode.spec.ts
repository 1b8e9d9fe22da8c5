/** Which OAuth client a sign-in uses (DESIGN's order) and the flow configuration of a server-held one. */
import { chooseMode, serverFlowConfig } from '../../src/flow/mode';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { IClientInfo } from '../../src/tokens';
import { NO_CLIENT } from './support/server';

const NONE = NO_CLIENT;
const SERVER: IClientInfo = {
  ...NONE,
  source: 'server_config',
  managed_fields: ['clientId', 'clientSecret', 'issuer'],
  origin: 'jupyter_server_config',
  client_id: 'server-client',
  issuer: 'https://idp.example.org',
  has_secret: true
};
const USER_FILE: IClientInfo = {
  ...SERVER,
  source: 'user_client_file',
  origin: 'user_client_file:/home/a/.config/tokentoss/client_secrets.json'
};
const WITH_ID = { ...DEFAULT_SETTINGS, clientId: 'settings-client' };

describe('chooseMode', () => {
  it.each([
    ['server config beats the settings', SERVER, WITH_ID, 'server'],
    ['server config without settings', SERVER, DEFAULT_SETTINGS, 'server'],
    ['the settings beat the user client file', USER_FILE, WITH_ID, 'browser'],
    [
      'the user client file without settings',
      USER_FILE,
      DEFAULT_SETTINGS,
      'server'
    ],
    ['the settings alone', NONE, WITH_ID, 'browser'],
    ['no server answer, the settings', null, WITH_ID, 'browser'],
    ['nothing anywhere', NONE, DEFAULT_SETTINGS, null],
    ['nothing, no server answer', null, DEFAULT_SETTINGS, null]
  ])('%s', (_name, server, settings, mode) => {
    expect(chooseMode(server, settings)).toBe(mode);
  });
});

describe('serverFlowConfig', () => {
  const origin = 'https://hub.example.org';

  it('takes the server’s client and never a secret, the settings fill the rest', () => {
    const config = serverFlowConfig(
      SERVER,
      {
        ...WITH_ID,
        clientSecret: 'settings-secret',
        issuer: 'https://other.example',
        loginHint: 'a@example.org'
      },
      origin,
      '/user/alice/'
    );
    expect(config.clientId).toBe('server-client');
    expect(config.clientSecret).toBeNull();
    expect(config.issuer.href).toBe('https://idp.example.org/');
    expect(config.loginHint).toBe('a@example.org');
    expect(config.scopes).toEqual(DEFAULT_SETTINGS.scopes);
    expect(config.redirectUri).toBe(
      'https://hub.example.org/user/alice/tokentoss/callback'
    );
  });

  it('uses the server’s redirect URI, scopes and hosted domain when it has them', () => {
    const redirectUri =
      'https://hub.example.org/hub/user-redirect/tokentoss/callback';
    const config = serverFlowConfig(
      {
        ...SERVER,
        redirect_uri: redirectUri,
        scopes: ['openid', 'email'],
        hosted_domain: 'example.org'
      },
      { ...DEFAULT_SETTINGS, hostedDomain: 'ignored.example' },
      'https://alice.hub.example.org',
      '/user/alice/'
    );
    expect(config.redirectUri).toBe(redirectUri);
    expect(config.scopes).toEqual(['openid', 'email']);
    expect(config.hostedDomain).toBe('example.org');
  });
});

import { SignInError } from '../../src/flow/errors';
import { defaultRedirectUri, flowConfig } from '../../src/flow/config';
import { isLoopbackHost, parseSecureUrl } from '../../src/flow/urls';
import { DEFAULT_SETTINGS, readSettings } from '../../src/settings';

describe('readSettings', () => {
  it('fills defaults and trims', () => {
    const settings = readSettings({
      clientId: '  abc  ',
      scopes: ' openid   email '
    });
    expect(settings.clientId).toBe('abc');
    expect(settings.scopes).toEqual(['openid', 'email']);
    expect(settings.issuer).toBe('https://accounts.google.com');
    expect(settings.autoRefresh).toBe(true);
  });

  it('falls back on nonsense values', () => {
    const settings = readSettings({
      scopes: '',
      refreshMarginSeconds: 'soon',
      autoRefresh: 'yes'
    });
    expect(settings.scopes).toEqual(DEFAULT_SETTINGS.scopes);
    expect(settings.refreshMarginSeconds).toBe(300);
    expect(settings.autoRefresh).toBe(true);
  });
});

describe('flowConfig', () => {
  const origin = 'http://127.0.0.1:8888';

  it('asks for a client ID first, pointing at the settings', () => {
    expect(() => flowConfig(DEFAULT_SETTINGS, origin, '/')).toThrow(
      SignInError
    );
    try {
      flowConfig(DEFAULT_SETTINGS, origin, '/');
    } catch (error) {
      expect((error as SignInError).code).toBe('not_configured');
    }
  });

  it('derives the callback page under the base URL (JupyterHub too)', () => {
    expect(defaultRedirectUri(origin, '/')).toBe(
      `${origin}/tokentoss/callback`
    );
    expect(defaultRedirectUri(origin, `${origin}/user/alice/`)).toBe(
      `${origin}/user/alice/tokentoss/callback`
    );
    const config = flowConfig(
      { ...DEFAULT_SETTINGS, clientId: 'id' },
      origin,
      '/user/alice/'
    );
    expect(config.redirectUri).toBe(`${origin}/user/alice/tokentoss/callback`);
    expect(config.clientSecret).toBeNull();
  });

  it('keeps a fixed redirect URI on this origin (a JupyterHub hub URL)', () => {
    const hub = 'https://hub.example.org';
    const redirectUri = `${hub}/hub/user-redirect/tokentoss/callback`;
    const config = flowConfig(
      { ...DEFAULT_SETTINGS, clientId: 'id', redirectUri },
      hub,
      '/user/alice/'
    );
    expect(config.redirectUri).toBe(redirectUri);
  });

  it('accepts a hub-level redirect URI on another origin than the lab (per-user subdomains)', () => {
    const redirectUri =
      'https://hub.example.org/hub/user-redirect/tokentoss/callback';
    const config = flowConfig(
      { ...DEFAULT_SETTINGS, clientId: 'id', redirectUri },
      'https://alice.hub.example.org',
      '/user/alice/'
    );
    expect(config.redirectUri).toBe(redirectUri);
  });

  it('accepts plain http on a *.localhost hub (RFC 6761: the browser resolves it to loopback)', () => {
    const config = flowConfig(
      { ...DEFAULT_SETTINGS, clientId: 'id' },
      'http://alice.localhost:8000',
      '/user/alice/'
    );
    expect(config.redirectUri).toBe(
      'http://alice.localhost:8000/user/alice/tokentoss/callback'
    );
  });

  it('refuses to receive the code over plain http off loopback', () => {
    expect(() =>
      flowConfig(
        { ...DEFAULT_SETTINGS, clientId: 'id' },
        'http://lab.example.org:8888',
        '/'
      )
    ).toThrow(expect.objectContaining({ code: 'insecure_issuer' }));
  });

  it.each([
    'http://idp.example.com',
    'http://10.0.0.5:8080',
    'ftp://127.0.0.1',
    'not a url'
  ])('refuses the issuer %s', issuer => {
    expect(() =>
      flowConfig({ ...DEFAULT_SETTINGS, clientId: 'id', issuer }, origin, '/')
    ).toThrow(/https|valid URL/);
  });

  it.each([
    'https://accounts.google.com',
    'http://127.0.0.1:9000',
    'http://localhost:1',
    'http://[::1]:5'
  ])('accepts the issuer %s', issuer => {
    expect(parseSecureUrl(issuer, 'The issuer').href).toBe(
      new URL(issuer).href
    );
  });
});

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    '127.0.0.1',
    '127.1.2.3',
    '[::1]',
    'alice.localhost',
    'a.b.localhost'
  ])('%s is loopback', host => expect(isLoopbackHost(host)).toBe(true));
  it.each([
    'localhost.example.org',
    'notlocalhost',
    'example.com',
    '10.0.0.1',
    'localhost.'
  ])('%s is not', host => expect(isLoopbackHost(host)).toBe(false));
});

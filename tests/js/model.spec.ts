/**
 * @jest-environment jsdom
 *
 * The session state machine. The REST client is an in-memory stand-in that keeps
 * the server's contract (docs/architecture.md); the real server is exercised by
 * pytest and the Galata tests, the real flow by oauth.spec.ts.
 */
import { TextDecoder, TextEncoder } from 'node:util';

import { nullTranslator } from '@jupyterlab/translation';

import { ApiError } from '../../src/api';
import { describeFailure } from '../../src/messages';
import { SessionModel } from '../../src/model';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { IClientInfo, IServerStatus, SessionState } from '../../src/tokens';
import {
  ServerStandIn,
  sessionOn,
  signedIn,
  signedOut
} from './support/server';
import { setTabVisibility } from './support/visibility';

// jsdom lacks them; the sign-in chunk's libraries (loaded by some tests) need them.
Object.assign(globalThis, { TextEncoder, TextDecoder });

function makeModel(
  server: ServerStandIn,
  options: { client?: IClientInfo | null; secureContext?: boolean } = {}
) {
  const states: SessionState[] = [];
  const model = sessionOn(server.api, options);
  model.stateChanged.connect((_, state) => states.push(state));
  return { model, states };
}

let openSpy: jest.SpyInstance;

/** What the panel would show for the model's state. */
function shown(model: SessionModel) {
  const state = model.state;
  expect(state.kind).toBe('error');
  return describeFailure(
    (state as { error: unknown }).error,
    nullTranslator.load('tokentoss')
  );
}

beforeEach(() => {
  openSpy = jest.spyOn(window, 'open').mockImplementation(() => null);
});

afterEach(() => {
  jest.useRealTimers();
  openSpy.mockRestore();
});

it('starts loading, then shows what the server says', async () => {
  const server = new ServerStandIn();
  const { model } = makeModel(server);
  expect(model.state.kind).toBe('loading');
  await model.checkStatus();
  expect(model.state.kind).toBe('signed-out');
  server.status = signedIn(3600);
  await model.checkStatus();
  expect(model.state).toEqual({ kind: 'signed-in', status: server.status });
});

/** A window.open answer the flow can close and navigate (jsdom opens no windows). */
function fakePopup() {
  const popup = { closed: false, location: { href: '' }, close: jest.fn() };
  openSpy.mockImplementation(() => popup as unknown as Window);
  return popup;
}

/** Resolves with the model's next error state. */
function nextError(model: SessionModel): Promise<unknown> {
  return new Promise(resolve =>
    model.stateChanged.connect((_, state) => {
      if (state.kind === 'error') {
        resolve(state);
      }
    })
  );
}

it('with no client anywhere, asks GET client, then for the client ID, closing the window', async () => {
  // The window opens inside the click; whether a client exists is asked at click time (one
  // installed by tokentoss.configure() after page load counts), then the window closes again.
  const server = new ServerStandIn();
  const { model } = makeModel(server);
  const popup = fakePopup();
  const failed = nextError(model);
  model.signIn();
  await failed;
  expect(server.calls).toContain('client');
  expect(popup.close).toHaveBeenCalled();
  expect(popup.location.href).toBe('');
  expect(server.calls.filter(call => call.startsWith('register:'))).toEqual([]);
  expect(shown(model)).toMatchObject({ fix: 'settings' });
  expect(shown(model).message).toMatch(/client ID/);
});

it('applies new settings at once, without a reload', async () => {
  const { model } = makeModel(new ServerStandIn());
  fakePopup();
  let failed = nextError(model);
  model.signIn();
  await failed;
  expect(shown(model).message).toMatch(/client ID/);
  // The next click uses the edited settings: their issuer is now what is wrong.
  model.settings = {
    ...DEFAULT_SETTINGS,
    clientId: 'id',
    issuer: 'http://idp.example.com'
  };
  failed = nextError(model);
  model.signIn();
  await failed;
  expect(shown(model).message).toMatch(/must use https/);
});

it('refuses a plain-http issuer off loopback, closing the window it opened', async () => {
  const { model } = makeModel(new ServerStandIn());
  model.settings = {
    ...DEFAULT_SETTINGS,
    clientId: 'id',
    issuer: 'http://idp.example.com'
  };
  const popup = fakePopup();
  const failed = nextError(model);
  model.signIn();
  await failed;
  expect(popup.close).toHaveBeenCalled();
  expect(popup.location.href).toBe('');
  expect(shown(model)).toMatchObject({ fix: 'settings' });
});

it('says why a lab that is not a secure context cannot sign in, before opening any window', () => {
  const { model } = makeModel(new ServerStandIn(), { secureContext: false });
  model.settings = { ...DEFAULT_SETTINGS, clientId: 'id' };
  model.signIn();
  expect(openSpy).not.toHaveBeenCalled();
  expect(shown(model).message).toMatch(/not a secure context/);
  expect(shown(model).message).toMatch(/https/);
  expect(shown(model).message).toMatch(/localhost/);
});

it('with a server-held client, opens the window without a client ID in the settings', () => {
  const server = new ServerStandIn();
  const { model } = makeModel(server, {
    client: { ...server.client, source: 'server_config', client_id: 'srv' }
  });
  model.signIn();
  expect(openSpy).toHaveBeenCalledTimes(1);
  expect(model.state.kind).toBe('error'); // the stand-in's window.open answers null: blocked
  expect(shown(model).message).toMatch(/blocked/);
});

it('explains a blocked popup and lets the user retry', () => {
  const { model } = makeModel(new ServerStandIn());
  model.settings = { ...DEFAULT_SETTINGS, clientId: 'id' };
  model.signIn();
  expect(openSpy).toHaveBeenCalledWith(
    'about:blank',
    expect.stringMatching(/^tokentoss-sign-in-/),
    expect.any(String)
  );
  expect(shown(model)).toMatchObject({ fix: 'retry' });
  expect(shown(model).message).toMatch(/blocked/);
});

it('signs out through the server', async () => {
  const server = new ServerStandIn();
  server.status = signedIn(3600);
  const { model } = makeModel(server);
  await model.checkStatus();
  await model.signOut();
  expect(server.calls).toContain('signOut');
  // What the provider revoked (DELETE tokens' `revocation`) reaches the panel.
  expect(model.state).toEqual({ kind: 'signed-out', revocation: 'grant' });
});

it('tells the user to sign in again when the grant is revoked', async () => {
  const server = new ServerStandIn();
  server.status = signedIn(3600);
  server.refreshError = new ApiError('revoked', 409, 'invalid_grant');
  const { model } = makeModel(server);
  await model.checkStatus();
  await model.refreshNow();
  expect(shown(model)).toMatchObject({ fix: 'retry' });
  expect(shown(model).message).toMatch(/sign in again/);
});

it('shows signed out when a refresh finds nobody signed in', async () => {
  const server = new ServerStandIn();
  server.refreshError = new ApiError('not signed in', 409, 'not_signed_in');
  const { model } = makeModel(server);
  await model.refreshNow();
  expect(model.state.kind).toBe('signed-out');
});

describe('background refresh', () => {
  afterEach(() => setTabVisibility('visible'));

  /** Refresh calls the server has seen. */
  const refreshes = (server: ServerStandIn) =>
    server.calls.filter(call => call === 'refresh').length;

  /** Signed in with tokens that expire in `expiresIn` s, a 300 s margin, fake timers. */
  async function signedInModel(
    expiresIn: number,
    server = new ServerStandIn()
  ) {
    jest.useFakeTimers();
    server.status = signedIn(expiresIn);
    const { model } = makeModel(server);
    model.settings = { ...DEFAULT_SETTINGS, refreshMarginSeconds: 300 };
    await model.checkStatus();
    return { server, model };
  }

  it('refreshes the margin before expiry when enabled', async () => {
    const { server, model } = await signedInModel(600);
    await jest.advanceTimersByTimeAsync(290_000);
    expect(refreshes(server)).toBe(0);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(refreshes(server)).toBe(1);
    model.dispose();
  });

  it('refreshes on time while the tab is in the background too', async () => {
    // The setting promises a fresh token file while JupyterLab is open; kernels
    // use it whether or not anyone looks at the tab.
    const { server, model } = await signedInModel(600);
    setTabVisibility('hidden');
    await jest.advanceTimersByTimeAsync(290_000);
    expect(refreshes(server)).toBe(0);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(refreshes(server)).toBe(1);
    // The refreshed tokens (an hour now) get their own refresh, still in the background.
    server.status = signedIn(3600);
    await model.checkStatus();
    await jest.advanceTimersByTimeAsync(3300_000 + 10_000);
    expect(refreshes(server)).toBe(2);
    model.dispose();
  });

  it('plans the next refresh from the refreshed expiry', async () => {
    const { server, model } = await signedInModel(600);
    // The refresh answers with tokens that expire an hour from then.
    server.api.refresh = async () => {
      server.calls.push('refresh');
      return signedIn(3600);
    };
    await jest.advanceTimersByTimeAsync(300_000 + 1000);
    expect(refreshes(server)).toBe(1);
    await jest.advanceTimersByTimeAsync(3300_000 - 10_000);
    expect(refreshes(server)).toBe(1);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(refreshes(server)).toBe(2);
    model.dispose();
  });

  it('stays quiet when disabled, and stops when switched off', async () => {
    const { server, model } = await signedInModel(600);
    model.settings = { ...DEFAULT_SETTINGS, autoRefresh: false };
    await jest.advanceTimersByTimeAsync(3600_000);
    expect(refreshes(server)).toBe(0);
    model.dispose();
  });

  it('stops when the user signs out', async () => {
    const { server, model } = await signedInModel(600);
    await model.signOut();
    await jest.advanceTimersByTimeAsync(3600_000);
    expect(refreshes(server)).toBe(0);
    model.dispose();
  });

  it('retries later when the server reports a network failure', async () => {
    const server = new ServerStandIn();
    server.refreshError = new ApiError('offline', 502, 'network');
    const { model } = await signedInModel(310, server);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(refreshes(server)).toBe(1);
    expect(model.state.kind).toBe('signed-in');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(refreshes(server)).toBe(2);
    model.dispose();
  });
});

it('cancelling a sign-in shows the server’s state again', async () => {
  const server = new ServerStandIn();
  server.status = signedIn(3600);
  const { model } = makeModel(server);
  model.settings = { ...DEFAULT_SETTINGS, clientId: 'id' };
  openSpy.mockImplementation(
    () => ({ closed: false, location: { href: '' } }) as Window
  );
  model.signIn();
  expect(model.state).toEqual({ kind: 'signing-in', detail: 'opening' });
  model.cancelSignIn();
  await new Promise(resolve => setTimeout(resolve, 0));
  expect(model.state.kind).toBe('signed-in');
});

it('an answer that arrives after a sign-in started does not overwrite it', async () => {
  const server = new ServerStandIn();
  let answer: (status: IServerStatus) => void = () => undefined;
  server.api.status = () => new Promise(resolve => (answer = resolve));
  const { model } = makeModel(server);
  model.settings = {
    ...DEFAULT_SETTINGS,
    clientId: 'id',
    issuer: 'http://127.0.0.1:9'
  };
  const checking = model.checkStatus();
  const popup = { closed: false, location: { href: '' }, close: jest.fn() };
  openSpy.mockImplementation(() => popup as unknown as Window);
  model.signIn();
  answer(signedOut);
  await checking;
  expect(model.state.kind).toBe('signing-in');
  model.cancelSignIn();
});

it('a refresh answer that arrives after sign-out does not sign back in', async () => {
  const server = new ServerStandIn();
  server.status = signedIn(3600);
  const { model } = makeModel(server);
  await model.checkStatus();
  let answer: (status: IServerStatus) => void = () => undefined;
  server.api.refresh = () => new Promise(resolve => (answer = resolve));
  const refreshing = model.refreshNow();
  await model.signOut();
  answer(signedIn(3600));
  await refreshing;
  expect(model.state.kind).toBe('signed-out');
});

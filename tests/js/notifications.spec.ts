/**
 * @jest-environment jsdom
 *
 * The session's notifications: which state changes are events (none at page load, none for a
 * state a status poll repeats), and what each shows in JupyterLab's real notification manager.
 * The REST client is the in-memory stand-in of support/server.ts.
 */
import './support/dom';

import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { ApiError } from '../../src/api';
import { watchSession } from '../../src/notifications';
import { createNotifier } from '../../src/notify';
import { sessionEvent } from '../../src/sessionEvent';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { IServerStatus, SessionState } from '../../src/tokens';
import { ServerStandIn, sessionOn, signedIn } from './support/server';

const trans = nullTranslator.load('tokentoss');

/** A signed-in status; `canRefresh: false` as after a sign-in without a refresh token. */
function status(expiresInSeconds: number, canRefresh = true): IServerStatus {
  return { ...signedIn(expiresInSeconds), can_refresh: canRefresh };
}

/** The shared stand-in, signed in for an hour. */
function signedInServer(): ServerStandIn {
  const server = new ServerStandIn();
  server.status = status(3600);
  return server;
}

function watched(server: ServerStandIn) {
  const model = sessionOn(server.api);
  const commands = new CommandRegistry();
  const executed: string[] = [];
  for (const id of ['tokentoss:sign-in', 'tokentoss:open-panel']) {
    commands.addCommand(id, { execute: () => void executed.push(id) });
  }
  const notifier = Promise.resolve(createNotifier(model, { commands, trans }));
  watchSession(model, { commands, trans, notifier });
  /** Resolves once every event emitted so far has been shown (they queue on `notifier`). */
  const shown = () => notifier.then(() => undefined);
  return { model, shown, executed };
}

const notes = () =>
  Notification.manager.notifications.map(n => ({
    type: n.type,
    message: n.message,
    actions: (n.options.actions ?? []).map(a => a.label)
  }));

/** Resolves at the next notification added. */
const nextNotification = () =>
  new Promise<void>(resolve => {
    const added = (_: unknown, change: Notification.IChange) => {
      if (change.type === 'added') {
        Notification.manager.changed.disconnect(added);
        resolve();
      }
    };
    Notification.manager.changed.connect(added);
  });

afterEach(() => {
  jest.useRealTimers();
  Notification.dismiss();
});

describe('sessionEvent', () => {
  const signedInState: SessionState = {
    kind: 'signed-in',
    status: status(3600)
  };
  const cases: [string, SessionState, SessionState, string | null][] = [
    ['a sign-in found at page load', { kind: 'loading' }, signedInState, null],
    [
      'a sign-in of this page',
      { kind: 'signing-in', detail: 'saving' },
      signedInState,
      'signed-in'
    ],
    ['a status poll that repeats', signedInState, signedInState, null],
    [
      'a sign-out of this page',
      signedInState,
      { kind: 'signed-out', revocation: 'grant' },
      'signed-out'
    ],
    [
      'a sign-out found by a status poll',
      signedInState,
      { kind: 'signed-out' },
      'signed-out'
    ],
    [
      'signed out at page load',
      { kind: 'loading' },
      { kind: 'signed-out' },
      null
    ],
    [
      'a failure while signed in',
      signedInState,
      { kind: 'error', error: 1 },
      'failed'
    ],
    [
      'a status poll that finds the sign-in after a failure (the failure still stands)',
      { kind: 'error', error: 1 },
      signedInState,
      null
    ],
    [
      'a failure repeated',
      { kind: 'error', error: 1 },
      { kind: 'error', error: 2 },
      null
    ],
    [
      'a sign-in that failed (the panel shows it)',
      { kind: 'signing-in', detail: 'waiting' },
      { kind: 'error', error: 1 },
      null
    ]
  ];
  it.each(cases)('%s', (_, previous, next, kind) => {
    expect(sessionEvent(previous, next)?.kind ?? null).toBe(kind);
  });
});

it('says nothing at page load, nor on status polls that find the same sign-in', async () => {
  const { model, shown } = watched(signedInServer());
  await model.checkStatus();
  await model.checkStatus();
  await model.checkStatus();
  await shown();
  expect(notes()).toEqual([]);
  model.dispose();
});

it('a background refresh that gives up: one error with "Sign in again", which runs our command', async () => {
  jest.useFakeTimers();
  const server = signedInServer();
  server.status = status(600);
  server.refreshError = new ApiError('revoked', 400, 'invalid_grant');
  const { model, shown, executed } = watched(server);
  model.settings = { ...DEFAULT_SETTINGS, refreshMarginSeconds: 300 };
  await model.checkStatus();
  await jest.advanceTimersByTimeAsync(300_000);
  expect(model.state.kind).toBe('error');
  // The same failure again ("Refresh now" from the error) is no new event.
  await model.refreshNow();
  await shown();
  expect(notes()).toEqual([
    {
      type: 'error',
      message:
        'tokentoss: Your sign-in has expired or was revoked. Please sign in again.',
      actions: ['Sign in again', 'Details']
    }
  ]);
  Notification.manager.notifications[0].options.actions![0].callback(
    new MouseEvent('click')
  );
  expect(executed).toEqual(['tokentoss:sign-in']);
  model.dispose();
});

it('a failure again replaces the first, a sign-out ends it: never stacked', async () => {
  const server = signedInServer();
  server.refreshError = new ApiError('offline', 502, 'network');
  const { model, shown } = watched(server);
  await model.checkStatus();
  await model.refreshNow(); // "Refresh now": not retried, shown at once
  await model.checkStatus(); // a status poll: the server still reports the sign-in
  await model.refreshNow();
  await shown();
  expect(notes().map(n => n.type)).toEqual(['error']);
  await model.checkStatus();
  await model.signOut();
  await shown();
  expect(notes().map(n => n.type)).toEqual(['info']);
  model.dispose();
});

it('a sign-out: one note saying what the provider revoked', async () => {
  const { model, shown } = watched(signedInServer());
  await model.checkStatus();
  await model.signOut();
  await model.checkStatus();
  await shown();
  expect(notes()).toEqual([
    {
      type: 'info',
      message: 'Signed out. The provider revoked the sign-in.',
      actions: []
    }
  ]);
  model.dispose();
});

it('a sign-in without a refresh token within the margin: one warning, however often polled', async () => {
  const server = signedInServer();
  server.status = status(120, false);
  const { model, shown } = watched(server);
  model.settings = { ...DEFAULT_SETTINGS, refreshMarginSeconds: 300 };
  const warned = nextNotification();
  await model.checkStatus();
  await warned;
  await model.checkStatus();
  await model.checkStatus();
  await shown();
  const [note, ...others] = notes();
  expect(others).toEqual([]);
  expect(note.type).toBe('warning');
  expect(note.message).toMatch(/cannot be renewed/);
  expect(note.actions).toEqual(['Sign in again']);
  model.dispose();
});

it('a sign-in without a refresh token far from its end: no warning yet', async () => {
  jest.useFakeTimers();
  const server = signedInServer();
  server.status = status(3600, false);
  const { model, shown } = watched(server);
  model.settings = { ...DEFAULT_SETTINGS, refreshMarginSeconds: 300 };
  await model.checkStatus();
  await jest.advanceTimersByTimeAsync(3000_000);
  await shown();
  expect(notes()).toEqual([]);
  // The model's background refresh comes at the same moment; the warning follows it.
  await jest.advanceTimersByTimeAsync(301_000);
  await shown();
  expect(notes().map(n => n.type)).toEqual(['warning']);
  model.dispose();
});

it('names the account escaped, and never more than the status says', () => {
  const state: SessionState = {
    kind: 'signed-in',
    status: { ...status(3600), email: 'a\u202eb@example.com' }
  };
  const notify = createNotifier(
    { settings: DEFAULT_SETTINGS, state },
    { commands: new CommandRegistry(), trans }
  );
  notify({ kind: 'signed-in', status: state.status }, state);
  expect(notes()).toEqual([
    {
      type: 'success',
      message: 'Signed in as a\\u{202e}b@example.com.',
      actions: []
    }
  ]);
});

/**
 * @jest-environment jsdom
 *
 * The receiving end of the callback relay: only a same-origin message or a
 * BroadcastChannel message whose URL carries the expected state is accepted.
 */
import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';

import { channelName, waitForCallback } from '../../src/flow/relay';

// jsdom has no BroadcastChannel; Node's is the same API, delivered for real.
(globalThis as any).BroadcastChannel ??= NodeBroadcastChannel;

const ORIGIN = window.location.origin;
const STATE = 'expected-state';
const callback = (state: string | null) =>
  `${ORIGIN}/tokentoss/callback?code=c0de${state === null ? '' : `&state=${state}`}`;

function broadcast(state: string, message: unknown): void {
  const channel = new BroadcastChannel(channelName(state));
  channel.postMessage(message);
  channel.close();
}

function openPopup() {
  return { closed: false } as Window;
}

it('accepts a relayed callback with the expected state from the channel', async () => {
  const waiting = waitForCallback({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN
  });
  broadcast(STATE, { type: 'tokentoss:callback', url: callback(STATE) });
  expect((await waiting).searchParams.get('code')).toBe('c0de');
});

it('accepts a same-origin postMessage with the expected state', async () => {
  const waiting = waitForCallback({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN
  });
  window.dispatchEvent(
    new MessageEvent('message', {
      origin: ORIGIN,
      data: { type: 'tokentoss:callback', url: callback(STATE) }
    })
  );
  expect((await waiting).searchParams.get('state')).toBe(STATE);
});

it('ignores wrong states, other origins and malformed messages, then times out', async () => {
  const waiting = waitForCallback({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    timeoutMs: 400
  });
  const forged = [
    { type: 'tokentoss:callback', url: callback('other-state') },
    { type: 'tokentoss:callback', url: callback(null) },
    { type: 'tokentoss:callback', url: 'not a url' },
    { type: 'something-else', url: callback(STATE) },
    { type: 'tokentoss:callback', url: 42 },
    'tokentoss:callback'
  ];
  for (const message of forged) {
    broadcast(STATE, message);
    window.dispatchEvent(
      new MessageEvent('message', { origin: ORIGIN, data: message })
    );
  }
  // The right state, but from another origin.
  window.dispatchEvent(
    new MessageEvent('message', {
      origin: 'https://evil.example',
      data: { type: 'tokentoss:callback', url: callback(STATE) }
    })
  );
  // The right message on another state's channel.
  broadcast('other-state', {
    type: 'tokentoss:callback',
    url: callback(STATE)
  });
  await expect(waiting).rejects.toMatchObject({ name: 'TimeoutError' });
});

it('reports a closed popup once and keeps listening', async () => {
  const popup = openPopup();
  const lost = jest.fn();
  const waiting = waitForCallback({
    popup,
    state: STATE,
    origin: ORIGIN,
    pollMs: 20,
    onLostContact: lost
  });
  (popup as { closed: boolean }).closed = true;
  await new Promise(resolve => setTimeout(resolve, 100));
  expect(lost).toHaveBeenCalledTimes(1);
  broadcast(STATE, { type: 'tokentoss:callback', url: callback(STATE) });
  expect((await waiting).searchParams.get('code')).toBe('c0de');
});

it('stops at once when aborted', async () => {
  const abort = new AbortController();
  const waiting = waitForCallback({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    signal: abort.signal
  });
  abort.abort();
  await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
});

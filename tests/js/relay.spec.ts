/**
 * @jest-environment jsdom
 *
 * Waiting for a sign-in's answer: a relayed `{type: 'tokentoss:callback', state}` (channel or
 * same-origin postMessage) only prompts a look at the server's answer; the server is also asked
 * every few seconds, in case the relay is lost.
 */
import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';

import { channelName, waitForAnswer } from '../../src/flow/relay';

// jsdom has no BroadcastChannel; Node's is the same API, delivered for real.
(globalThis as any).BroadcastChannel ??= NodeBroadcastChannel;

const ORIGIN = window.location.origin;
const STATE = 'expected-state';
const HOUR = 3600_000;

function broadcast(state: string, message: unknown): void {
  const channel = new BroadcastChannel(channelName(state));
  channel.postMessage(message);
  channel.close();
}

function openPopup() {
  return { closed: false } as Window;
}

/** A server whose answer settles once `settle()` is called; counts how often it was asked. */
function server() {
  let settled = false;
  let resolveAsked: () => void = () => undefined;
  const state = {
    asked: 0,
    settle: () => {
      settled = true;
    },
    nextAsk: () => new Promise<void>(resolve => (resolveAsked = resolve)),
    check: async () => {
      state.asked++;
      resolveAsked();
      return settled ? 'answer' : null;
    }
  };
  return state;
}

it('asks the server when the channel relays our state, and resolves with its answer', async () => {
  const answers = server();
  answers.settle();
  const waiting = waitForAnswer({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    check: answers.check,
    checkEveryMs: HOUR
  });
  broadcast(STATE, { type: 'tokentoss:callback', state: STATE });
  await expect(waiting).resolves.toBe('answer');
  expect(answers.asked).toBe(1);
});

it('asks the server on a same-origin postMessage with our state', async () => {
  const answers = server();
  answers.settle();
  const waiting = waitForAnswer({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    check: answers.check,
    checkEveryMs: HOUR
  });
  window.dispatchEvent(
    new MessageEvent('message', {
      origin: ORIGIN,
      data: { type: 'tokentoss:callback', state: STATE }
    })
  );
  await expect(waiting).resolves.toBe('answer');
});

it('ignores wrong states, other origins and malformed messages, then times out', async () => {
  const answers = server();
  answers.settle();
  const waiting = waitForAnswer({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    check: answers.check,
    checkEveryMs: HOUR,
    timeoutMs: 400
  });
  const forged = [
    { type: 'tokentoss:callback', state: 'other-state' },
    { type: 'tokentoss:callback' },
    { type: 'tokentoss:callback', state: [STATE] },
    { type: 'something-else', state: STATE },
    // The old message shape (a URL) no longer means anything.
    { type: 'tokentoss:callback', url: `${ORIGIN}/?state=${STATE}` },
    'tokentoss:callback'
  ];
  for (const message of forged) {
    broadcast(STATE, message);
    window.dispatchEvent(
      new MessageEvent('message', { origin: ORIGIN, data: message })
    );
  }
  window.dispatchEvent(
    new MessageEvent('message', {
      origin: 'https://evil.example',
      data: { type: 'tokentoss:callback', state: STATE }
    })
  );
  broadcast('other-state', { type: 'tokentoss:callback', state: STATE });
  await expect(waiting).rejects.toMatchObject({ name: 'TimeoutError' });
  expect(answers.asked).toBe(0);
});

it('a relay while the server is still waiting is not an answer: it keeps waiting', async () => {
  const answers = server();
  const waiting = waitForAnswer({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    check: answers.check,
    checkEveryMs: HOUR
  });
  const asked = answers.nextAsk();
  broadcast(STATE, { type: 'tokentoss:callback', state: STATE });
  await asked;
  answers.settle();
  broadcast(STATE, { type: 'tokentoss:callback', state: STATE });
  await expect(waiting).resolves.toBe('answer');
  expect(answers.asked).toBe(2);
});

it('without any relay, the poll finds the answer (the relay was lost)', async () => {
  const answers = server();
  const waiting = waitForAnswer({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    check: answers.check,
    checkEveryMs: 20
  });
  await answers.nextAsk();
  answers.settle();
  await expect(waiting).resolves.toBe('answer');
  expect(answers.asked).toBeGreaterThanOrEqual(2);
});

it('a failing check ends the wait with its error', async () => {
  const waiting = waitForAnswer({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    check: async () => {
      throw new Error('unknown sign-in');
    },
    checkEveryMs: 20
  });
  await expect(waiting).rejects.toThrow('unknown sign-in');
});

it('reports a closed popup once and keeps waiting', async () => {
  const popup = openPopup();
  const answers = server();
  let lost: () => void = () => undefined;
  const lostReported = new Promise<void>(resolve => (lost = resolve));
  const onLostContact = jest.fn(() => lost());
  const waiting = waitForAnswer({
    popup,
    state: STATE,
    origin: ORIGIN,
    check: answers.check,
    checkEveryMs: HOUR,
    pollMs: 20,
    onLostContact
  });
  (popup as { closed: boolean }).closed = true;
  await lostReported;
  answers.settle();
  broadcast(STATE, { type: 'tokentoss:callback', state: STATE });
  await expect(waiting).resolves.toBe('answer');
  expect(onLostContact).toHaveBeenCalledTimes(1);
});

it('stops at once when aborted', async () => {
  const abort = new AbortController();
  const waiting = waitForAnswer({
    popup: openPopup(),
    state: STATE,
    origin: ORIGIN,
    check: server().check,
    signal: abort.signal
  });
  abort.abort();
  await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
});

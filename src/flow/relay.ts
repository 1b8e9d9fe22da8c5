/**
 * Waiting for a sign-in's answer. The callback page (`tokentoss/server/static/callback.js`)
 * relays `{type: 'tokentoss:callback', state}` over a BroadcastChannel named after the state
 * and `window.opener.postMessage`; the message carries no code, it only says "ask your server
 * now". Since a relay can be lost (COOP severs the opener, the callback lands on another
 * origin), the server is also asked every few seconds.
 */

/** The message the callback page relays. NOTE: an outcome notice, never a code or token. */
export interface ICallbackMessage {
  type: 'tokentoss:callback';
  state: string;
}

/** The BroadcastChannel name for one sign-in; the state makes it unguessable. */
export function channelName(state: string): string {
  return `tokentoss:${state}`;
}

/** Options of `waitForAnswer`. */
export interface IWaitOptions<T> {
  /** The popup, watched for being closed (may be null once severed). */
  popup: Window | null;
  /** The expected `state`; messages for another state are ignored. */
  state: string;
  /** Our own origin: postMessage from any other origin is ignored. */
  origin: string;
  /**
   * Asks the server how far the sign-in got: the answer once it is settled, null while it is
   * not. Throwing ends the wait with that error.
   */
  check: () => Promise<T | null>;
  /** Called once when the popup looks closed: by the user, or severed by COOP. */
  onLostContact?: () => void;
  /** Aborts the wait (a new sign-in, sign-out, dispose). */
  signal?: AbortSignal;
  /** How long to wait in all, in ms (default 10 minutes, the server's registration lifetime). */
  timeoutMs?: number;
  /** How often to look at `popup.closed`, in ms. */
  pollMs?: number;
  /** How often to ask the server without a relay message, in ms (default 2 s). */
  checkEveryMs?: number;
}

function isCallbackMessage(data: unknown, state: string): boolean {
  const message = data as ICallbackMessage | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    message.type === 'tokentoss:callback' &&
    message.state === state
  );
}

/**
 * Resolves with the first settled answer of `check`, which runs when a relayed message with
 * our state arrives (BroadcastChannel or same-origin postMessage) and every `checkEveryMs`.
 *
 * A relayed message is only a hint: anyone on this origin could send one, so the answer
 * always comes from our own server. A closed popup is not an error either: providers that
 * send Cross-Origin-Opener-Policy sever our handle, which then reads `closed` while the user
 * is still signing in. We report lost contact and keep waiting until the timeout.
 */
export function waitForAnswer<T>(options: IWaitOptions<T>): Promise<T> {
  const { popup, state, origin, signal } = options;
  return new Promise<T>((resolve, reject) => {
    const channel = new BroadcastChannel(channelName(state));
    let lostContact = false;
    let finished = false;
    let checking = false;
    let checkAgain = false;
    const runCheck = (): void => {
      if (finished) {
        return;
      }
      if (checking) {
        // A relay arrived during a check: ask once more when that one is in.
        checkAgain = true;
        return;
      }
      checking = true;
      options.check().then(
        answer => {
          checking = false;
          if (answer !== null) {
            finish(() => resolve(answer));
          } else if (checkAgain) {
            checkAgain = false;
            runCheck();
          }
        },
        reason => {
          checking = false;
          finish(() => reject(reason));
        }
      );
    };
    const onChannel = (event: MessageEvent): void => {
      if (isCallbackMessage(event.data, state)) {
        runCheck();
      }
    };
    const onWindowMessage = (event: MessageEvent): void => {
      if (event.origin === origin && isCallbackMessage(event.data, state)) {
        runCheck();
      }
    };
    const watch = window.setInterval(() => {
      if (!lostContact && (!popup || popup.closed)) {
        lostContact = true;
        options.onLostContact?.();
      }
    }, options.pollMs ?? 500);
    const fallback = window.setInterval(runCheck, options.checkEveryMs ?? 2000);
    const timeout = window.setTimeout(
      () =>
        finish(() =>
          reject(
            new DOMException(
              'No answer from the sign-in window',
              'TimeoutError'
            )
          )
        ),
      options.timeoutMs ?? 10 * 60_000
    );
    const onAbort = (): void =>
      finish(() => reject(new DOMException('Sign-in aborted', 'AbortError')));
    function finish(settle: () => void): void {
      if (finished) {
        return;
      }
      finished = true;
      channel.close();
      window.removeEventListener('message', onWindowMessage);
      window.clearInterval(watch);
      window.clearInterval(fallback);
      window.clearTimeout(timeout);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    channel.addEventListener('message', onChannel);
    window.addEventListener('message', onWindowMessage);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort);
  });
}

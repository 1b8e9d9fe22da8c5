/**
 * The receiving end of the callback page's relay (`tokentoss/server/static/callback.js`):
 * a BroadcastChannel named after the state, and `window.opener.postMessage`.
 */

/** The message the callback page relays. */
export interface ICallbackMessage {
  type: 'tokentoss:callback';
  url: string;
}

/** The BroadcastChannel name for one sign-in; the state makes it unguessable. */
export function channelName(state: string): string {
  return `tokentoss:${state}`;
}

/** Options of `waitForCallback`. */
export interface IWaitOptions {
  /** The popup, watched for being closed (may be null once severed). */
  popup: Window | null;
  /** The expected `state`; messages for another state are ignored. */
  state: string;
  /** Our own origin: postMessage from any other origin is ignored. */
  origin: string;
  /** Called once when the popup looks closed: by the user, or severed by COOP. */
  onLostContact?: () => void;
  /** Aborts the wait (a new sign-in, sign-out, dispose). */
  signal?: AbortSignal;
  /** How long to wait in all, in ms (default 10 minutes). */
  timeoutMs?: number;
  /** How often to look at `popup.closed`, in ms. */
  pollMs?: number;
}

function isCallbackMessage(data: unknown): data is ICallbackMessage {
  const message = data as ICallbackMessage | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    message.type === 'tokentoss:callback' &&
    typeof message.url === 'string'
  );
}

/**
 * Resolves with the callback URL of the first relayed message whose state
 * matches, from the BroadcastChannel or `window.opener.postMessage`.
 *
 * A closed popup is not an error: providers that send Cross-Origin-Opener-Policy
 * sever our handle, which then reads `closed` while the user is still signing in.
 * We report lost contact and keep listening until the timeout.
 */
export function waitForCallback(options: IWaitOptions): Promise<URL> {
  const { popup, state, origin, signal } = options;
  return new Promise<URL>((resolve, reject) => {
    const channel = new BroadcastChannel(channelName(state));
    let lostContact = false;
    const accept = (data: unknown): void => {
      if (!isCallbackMessage(data)) {
        return;
      }
      let url: URL;
      try {
        url = new URL(data.url);
      } catch {
        return;
      }
      if (url.searchParams.get('state') !== state) {
        return;
      }
      cleanup();
      resolve(url);
    };
    const onChannel = (event: MessageEvent): void => accept(event.data);
    const onWindowMessage = (event: MessageEvent): void => {
      if (event.origin === origin) {
        accept(event.data);
      }
    };
    const poll = window.setInterval(() => {
      if (!lostContact && (!popup || popup.closed)) {
        lostContact = true;
        options.onLostContact?.();
      }
    }, options.pollMs ?? 500);
    const timeout = window.setTimeout(
      () => {
        cleanup();
        reject(
          new DOMException('No answer from the sign-in window', 'TimeoutError')
        );
      },
      options.timeoutMs ?? 10 * 60_000
    );
    const onAbort = (): void => {
      cleanup();
      reject(new DOMException('Sign-in aborted', 'AbortError'));
    };
    function cleanup(): void {
      channel.close();
      window.removeEventListener('message', onWindowMessage);
      window.clearInterval(poll);
      window.clearTimeout(timeout);
      signal?.removeEventListener('abort', onAbort);
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

/**
 * One sign-in, start to finish, after the popup is open: send the popup to the
 * provider, wait for the relayed callback, exchange and verify, hand the tokens
 * to the server. Nothing here keeps a token afterwards.
 *
 * This module and everything it imports (oauth4webapi, jose) form a chunk that
 * the browser fetches only when the user first signs in.
 */
import { TokenApi } from './api';
import { SignInError } from './flow/errors';
import { completeAuthorization, prepareAuthorization } from './flow/oauth';
import { waitForCallback } from './flow/relay';
import { IFlowConfig, IServerStatus } from './tokens';

/** Progress reported to the session model. */
export type SignInProgress = 'waiting' | 'lost-contact' | 'saving';

/** What a sign-in needs besides the popup and the configuration. */
export interface ISignInContext {
  api: TokenApi;
  origin: string;
  signal: AbortSignal;
  onProgress: (progress: SignInProgress) => void;
}

/** Runs the flow in an already-open popup and returns the server's new status. */
export async function signInWithPopup(
  popup: Window,
  config: IFlowConfig,
  context: ISignInContext
): Promise<IServerStatus> {
  const pending = await prepareAuthorization(config);
  context.signal.throwIfAborted();
  if (popup.closed) {
    throw new SignInError(
      'popup_closed',
      'The sign-in window was closed before it could open.'
    );
  }
  popup.location.href = pending.authorizationUrl.href;
  context.onProgress('waiting');
  let callbackUrl: URL;
  try {
    callbackUrl = await waitForCallback({
      popup,
      state: pending.state,
      origin: context.origin,
      signal: context.signal,
      onLostContact: () => context.onProgress('lost-contact')
    });
  } catch (reason) {
    if ((reason as DOMException).name === 'TimeoutError') {
      throw new SignInError(
        'timeout',
        'No answer came from the sign-in window. Please try again.'
      );
    }
    throw reason;
  }
  context.onProgress('saving');
  const tokens = await completeAuthorization(pending, callbackUrl);
  // Cancelled while verifying: the user said no, so nothing is stored.
  context.signal.throwIfAborted();
  try {
    return await context.api.upload(tokens);
  } catch (reason) {
    throw new SignInError(
      'server_rejected',
      `The Jupyter server did not store the tokens: ${(reason as Error).message}`,
      (reason as Error).message
    );
  }
}

/**
 * One sign-in, start to finish, after the popup is open: choose the OAuth client
 * (DESIGN's order), register the pending sign-in with our server, send the popup
 * to the provider, wait for the server to have the answer, then finish: the
 * server redeemed the code itself (server mode), or the browser exchanges and
 * verifies it and hands the tokens over (browser mode). Nothing here keeps a
 * token afterwards.
 *
 * This module and everything it imports (oauth4webapi, jose) form a chunk that
 * the browser fetches only when the user first signs in.
 */
import { ApiError, TokenApi } from './api';
import { flowConfig } from './flow/config';
import { SignInError, SignInErrorCode } from './flow/errors';
import { chooseMode, serverFlowConfig } from './flow/mode';
import {
  completeAuthorization,
  IPendingAuthorization,
  prepareAuthorization
} from './flow/oauth';
import { waitForAnswer } from './flow/relay';
import {
  IServerStatus,
  ISignInOutcome,
  ITokenTossSettings,
  SignInMode
} from './tokens';

/** Progress reported to the session model. */
export type SignInProgress = 'waiting' | 'lost-contact' | 'saving';

/** What a sign-in needs besides the popup and the settings. */
export interface ISignInContext {
  api: TokenApi;
  /** `window.location.origin`. */
  origin: string;
  /** `PageConfig.getBaseUrl()`. */
  baseUrl: string;
  signal: AbortSignal;
  onProgress: (progress: SignInProgress) => void;
  /** How often to ask the server when no relay message comes (ms); for tests. */
  checkEveryMs?: number;
}

/** The server's failure reasons that mean the same as one of the flow's own errors. */
const SAME_AS_FLOW: string[] = [
  'provider_error',
  'code_rejected',
  'token_exchange_failed',
  'id_token_invalid',
  'hosted_domain_mismatch'
];

/** Runs the flow in an already-open popup and returns the server's new status. */
export async function signInWithPopup(
  popup: Window,
  settings: ITokenTossSettings,
  context: ISignInContext
): Promise<IServerStatus> {
  const { api, signal } = context;
  // Asked fresh at click time: the server's client may have changed since start-up.
  const server = await api.client();
  const mode = chooseMode(server, settings);
  if (!mode) {
    throw new SignInError(
      'not_configured',
      'No OAuth client: none on the server and no client ID in the settings.'
    );
  }
  const config =
    mode === 'server'
      ? serverFlowConfig(server, settings, context.origin, context.baseUrl)
      : flowConfig(settings, context.origin, context.baseUrl);
  const pending = await prepareAuthorization(config);
  signal.throwIfAborted();
  await api.registerSignIn({
    state: pending.state,
    nonce: pending.nonce,
    redirect_uri: config.redirectUri,
    mode,
    // NOTE: the verifier goes to our server only when the server redeems the code.
    ...(mode === 'server' ? { code_verifier: pending.codeVerifier } : {}),
    hosted_domain: config.hostedDomain
  });
  let finished = false;
  try {
    signal.throwIfAborted();
    if (popup.closed) {
      throw new SignInError(
        'popup_closed',
        'The sign-in window was closed before it could open.'
      );
    }
    popup.location.href = pending.authorizationUrl.href;
    context.onProgress('waiting');
    const outcome = await waitForOutcome(popup, pending.state, mode, context);
    if (outcome.status === 'failed') {
      throw outcomeError(outcome);
    }
    context.onProgress('saving');
    const status =
      mode === 'server'
        ? await api.status()
        : await finishInBrowser(pending, outcome, context);
    finished = true;
    return status;
  } finally {
    if (!finished) {
      // Cancelled, failed or replaced: the registration must not answer anyone any more.
      void api.cancelSignIn(pending.state).catch(() => undefined);
    }
  }
}

/** Waits for the relay or the next poll to find the sign-in settled on the server. */
async function waitForOutcome(
  popup: Window,
  state: string,
  mode: SignInMode,
  context: ISignInContext
): Promise<ISignInOutcome> {
  try {
    return await waitForAnswer({
      popup,
      state,
      origin: context.origin,
      signal: context.signal,
      checkEveryMs: context.checkEveryMs,
      onLostContact: () => context.onProgress('lost-contact'),
      check: () => checkOutcome(context.api, state, mode)
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
}

/** The outcome once settled, else null (waiting, or the server is still redeeming). */
export async function checkOutcome(
  api: TokenApi,
  state: string,
  mode: SignInMode
): Promise<ISignInOutcome | null> {
  let outcome: ISignInOutcome;
  try {
    outcome = await api.signInOutcome(state);
  } catch (reason) {
    if (reason instanceof ApiError && reason.status === 404) {
      throw new SignInError(
        'sign_in_expired',
        'The Jupyter server no longer knows this sign-in (it expired, or a newer one replaced it). Please sign in again.'
      );
    }
    if (reason instanceof ApiError && reason.reason === 'network') {
      return null;
    }
    throw reason;
  }
  const settled =
    outcome.status === 'failed' ||
    outcome.status === 'succeeded' ||
    (mode === 'browser' && outcome.status === 'answered');
  return settled ? outcome : null;
}

/** A failed sign-in as the flow's own error. NOTE: the server's message carries no token. */
export function outcomeError(outcome: ISignInOutcome): SignInError {
  const detail = outcome.message ?? outcome.reason ?? '';
  const code = SAME_AS_FLOW.includes(outcome.reason ?? '')
    ? (outcome.reason as SignInErrorCode)
    : 'server_sign_in_failed';
  return new SignInError(
    code,
    `The sign-in failed on the Jupyter server: ${detail}`,
    detail
  );
}

/** Browser mode: validate the answer, exchange, verify, and hand the tokens to the server. */
async function finishInBrowser(
  pending: IPendingAuthorization,
  outcome: ISignInOutcome,
  context: ISignInContext
): Promise<IServerStatus> {
  const callbackUrl = new URL(pending.config.redirectUri);
  callbackUrl.search = outcome.callback ?? '';
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

/**
 * A sign-in under way, seen from the session: runs the sign-in code in the open
 * popup and turns its progress and outcome into session states. Fetched with
 * the sign-in code (`../signin`) on the first sign-in, not at start-up.
 */
import { SignInError } from '../flow/errors';
import { signInWithPopup, SignInProgress } from '../signin';
import type { ITokenTossSettings } from '../tokens';
import type { ISessionModelOptions } from './options';
import type { SessionStateMachine } from './state';

/** How long a closed popup may stay silent before we call the sign-in cancelled. */
const CLOSED_POPUP_GRACE_MS = 2000;

/** The session's side of one sign-in. */
export interface ISignInRun {
  options: ISessionModelOptions;
  machine: SessionStateMachine<unknown>;
  /** Aborted by a cancel, a sign-out or a newer sign-in: then this one says nothing more. */
  signal: AbortSignal;
  /** Shows "loading" and asks the server again. */
  reload: () => Promise<void>;
}

export async function followSignIn(
  popup: Window,
  settings: ITokenTossSettings,
  run: ISignInRun
): Promise<void> {
  const { machine, signal } = run;
  let graceTimer = 0;
  const onProgress = (progress: SignInProgress) => {
    if (signal.aborted) {
      return;
    }
    window.clearTimeout(graceTimer);
    if (progress === 'lost-contact') {
      // Either the user closed it, or COOP severed our handle; the relay may still come.
      graceTimer = window.setTimeout(() => {
        if (!signal.aborted && machine.state.kind === 'signing-in') {
          machine.set({ kind: 'signing-in', detail: 'lost-contact' });
        }
      }, CLOSED_POPUP_GRACE_MS);
      return;
    }
    machine.set({ kind: 'signing-in', detail: progress });
  };
  try {
    const status = await signInWithPopup(popup, settings, {
      ...run.options,
      signal,
      onProgress
    });
    window.clearTimeout(graceTimer);
    if (!signal.aborted) {
      machine.applyStatus(status);
    }
  } catch (error) {
    window.clearTimeout(graceTimer);
    if (signal.aborted) {
      return;
    }
    // Whatever failed, no window is left behind.
    popup.close();
    const state = machine.state;
    const givenUp =
      state.kind === 'signing-in' && state.detail === 'lost-contact';
    if (givenUp && error instanceof SignInError && error.code === 'timeout') {
      // The user closed the window long ago and was told so; no new error to show.
      void run.reload();
    } else {
      machine.fail(error);
    }
  }
}

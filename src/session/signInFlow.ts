/**
 * Sign-in orchestration: opens the popup inside the user's click, fetches the
 * sign-in code (`../signin`, with oauth4webapi and jose) on the first sign-in
 * only, and turns its progress and outcome into session states. Cancel,
 * sign-out and a new sign-in close the window.
 */
import { SignInError } from '../flow/errors';
import { openBlankPopup } from '../flow/popup';
import type { SignInProgress } from '../signin';
import type { ITokenTossSettings } from '../tokens';
import type { ISessionModelOptions } from './options';
import type { SessionStateMachine } from './state';

/** How long a closed popup may stay silent before we call the sign-in cancelled. */
const CLOSED_POPUP_GRACE_MS = 2000;

export class SignInFlow {
  /**
   * @param reload - shows "loading" and asks the server again (after a cancel,
   *   the user may still be signed in).
   */
  constructor(
    private readonly options: ISessionModelOptions,
    private readonly machine: SessionStateMachine<unknown>,
    private readonly reload: () => Promise<void>
  ) {}

  /**
   * Starts a sign-in. Synchronous on purpose: the popup must open inside the
   * user's click, or the browser blocks it.
   */
  start(settings: ITokenTossSettings): void {
    // What can be told without the server, before any window opens; the rest is
    // checked in the sign-in chunk (it closes the window again on an error). Not
    // the client: the page config's is from start-up, and tokentoss.configure()
    // or the in-cell form may have installed one since (GET client is asked then).
    if (!this.options.secureContext) {
      this._fail(new SignInError('insecure_context', 'Cannot sign in here.'));
      return;
    }
    const popup = openBlankPopup();
    if (!popup) {
      this._fail(
        new SignInError(
          'popup_blocked',
          'The browser blocked the sign-in window.'
        )
      );
      return;
    }
    this.machine.newGeneration();
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    // Cancel, sign-out or a new sign-in close this window too.
    abort.signal.addEventListener('abort', () => popup.close());
    this.machine.set({ kind: 'signing-in', detail: 'opening' });
    const context = {
      ...this.options,
      signal: abort.signal,
      onProgress: (progress: SignInProgress) =>
        this._onProgress(progress, abort)
    };
    // Fetched on the first sign-in only: oauth4webapi and jose stay out of the start-up bundle.
    void import(/* webpackChunkName: "tokentoss-flow" */ '../signin')
      .catch(reason => {
        throw new SignInError(
          'chunk_failed',
          'The sign-in code was not downloaded.',
          String((reason as Error)?.message ?? reason)
        );
      })
      .then(({ signInWithPopup }) => signInWithPopup(popup, settings, context))
      .then(
        status => {
          if (!abort.signal.aborted) {
            window.clearTimeout(this._graceTimer);
            this.machine.applyStatus(status);
          }
        },
        error => {
          if (abort.signal.aborted) {
            return;
          }
          // Whatever failed (even loading the sign-in code), no window is left behind.
          popup.close();
          const state = this.machine.state;
          const givenUp =
            state.kind === 'signing-in' && state.detail === 'lost-contact';
          if (
            givenUp &&
            error instanceof SignInError &&
            error.code === 'timeout'
          ) {
            // The user closed the window long ago and was told so; no new error to show.
            void this.reload();
          } else {
            this._fail(error);
          }
        }
      );
  }

  /** Stops waiting for the sign-in window and shows the server's state again. */
  cancel(): void {
    this.machine.newGeneration();
    this.stop();
    void this.reload();
  }

  /** Closes the window of a sign-in under way and forgets it (sign-out, dispose). */
  stop(): void {
    this._abort?.abort();
    this._abort = null;
    window.clearTimeout(this._graceTimer);
  }

  private _onProgress(progress: SignInProgress, abort: AbortController): void {
    if (abort.signal.aborted) {
      return;
    }
    window.clearTimeout(this._graceTimer);
    if (progress === 'lost-contact') {
      // Either the user closed it, or COOP severed our handle; the relay may still come.
      this._graceTimer = window.setTimeout(() => {
        if (!abort.signal.aborted && this.machine.state.kind === 'signing-in') {
          this.machine.set({ kind: 'signing-in', detail: 'lost-contact' });
        }
      }, CLOSED_POPUP_GRACE_MS);
      return;
    }
    this.machine.set({ kind: 'signing-in', detail: progress });
  }

  private _fail(error: unknown): void {
    window.clearTimeout(this._graceTimer);
    this.machine.fail(error);
  }

  private _abort: AbortController | null = null;
  private _graceTimer = 0;
}

/**
 * Sign-in orchestration at start-up size: what must happen inside the user's
 * click (refuse a lab without a secure context, open the popup), then the rest
 * (`followSignIn.ts`, with oauth4webapi and jose) is fetched on the first
 * sign-in. Cancel, sign-out and a new sign-in close the window.
 */
import { SignInError } from '../flow/errors';
import { openBlankPopup } from '../flow/popup';
import type { ITokenTossSettings } from '../tokens';
import type { ISessionModelOptions } from './options';
import type { SessionStateMachine } from './state';

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
    const { machine } = this;
    // What can be told without the server, before any window opens; the rest is
    // checked in the sign-in chunk (it closes the window again on an error). Not
    // the client: the page config's is from start-up, and tokentoss.configure()
    // or the in-cell form may have installed one since (GET client is asked then).
    if (!this.options.secureContext) {
      machine.fail(new SignInError('insecure_context', 'Cannot sign in here.'));
      return;
    }
    const popup = openBlankPopup();
    if (!popup) {
      machine.fail(
        new SignInError(
          'popup_blocked',
          'The browser blocked the sign-in window.'
        )
      );
      return;
    }
    machine.newGeneration();
    this.stop();
    const abort = (this._abort = new AbortController());
    const { signal } = abort;
    // Cancel, sign-out or a new sign-in close this window too.
    signal.addEventListener('abort', () => popup.close());
    machine.set({ kind: 'signing-in', detail: 'opening' });
    // Fetched on the first sign-in only: oauth4webapi and jose stay out of the start-up bundle.
    void import(/* webpackChunkName: "tokentoss-flow" */ './followSignIn').then(
      ({ followSignIn }) =>
        followSignIn(popup, settings, {
          options: this.options,
          machine,
          signal,
          reload: this.reload
        }),
      reason => {
        if (!signal.aborted) {
          popup.close();
          machine.fail(
            new SignInError(
              'chunk_failed',
              'The sign-in code was not downloaded.',
              String((reason as Error)?.message ?? reason)
            )
          );
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
  }

  private _abort: AbortController | null = null;
}

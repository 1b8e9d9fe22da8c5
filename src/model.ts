/**
 * The session model: the one place that knows whether the user is signed in,
 * drives sign-in, refresh and sign-out, and tells the views through a signal.
 *
 *   loading → signed-out ⇄ signing-in → signed-in → (sign-out) → signed-out
 *                 ↘ error (with a way out: settings or retry) ↙
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError, TokenApi } from './api';
import { SignInError } from './flow/errors';
import type { SignInProgress } from './signin';
import { openBlankPopup } from './flow/popup';
import { DEFAULT_SETTINGS } from './settings';
import {
  IClientInfo,
  IServerStatus,
  ITokenTossSettings,
  SessionState
} from './tokens';

/** How long a closed popup may stay silent before we call the sign-in cancelled. */
const CLOSED_POPUP_GRACE_MS = 2000;
/** Retry delay of a background refresh that failed for a transient reason. */
const REFRESH_RETRY_MS = 60_000;
/** The soonest a background refresh is scheduled. */
const MIN_REFRESH_DELAY_MS = 30_000;

/** What the model needs from its surroundings. */
export interface ISessionModelOptions {
  api: TokenApi;
  /** `PageConfig.getBaseUrl()`. */
  baseUrl: string;
  /** `window.location.origin`. */
  origin: string;
  /** The OAuth client the server held at start-up (page config `tokentossClient`), or null. */
  client: IClientInfo | null;
  /** False on plain http off loopback: no `crypto.subtle`, so no PKCE and no sign-in. */
  secureContext: boolean;
}

export class SessionModel implements IDisposable {
  constructor(readonly options: ISessionModelOptions) {}

  /** Emitted on every state change. */
  get stateChanged(): ISignal<this, SessionState> {
    return this._stateChanged;
  }

  get state(): SessionState {
    return this._state;
  }

  get settings(): ITokenTossSettings {
    return this._settings;
  }

  /** New settings apply at once: the next sign-in uses them, the refresh timer follows. */
  set settings(settings: ITokenTossSettings) {
    this._settings = settings;
    this._scheduleRefresh();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Asks the server who is signed in (never blocks start-up: called, not awaited). */
  async checkStatus(): Promise<void> {
    if (this._state.kind === 'signing-in') {
      return;
    }
    const current = this._answerIsCurrent();
    try {
      const status = await this.options.api.status();
      if (current()) {
        this._applyStatus(status);
      }
    } catch (error) {
      if (current()) {
        this._fail(error);
      }
    }
  }

  /**
   * Starts a sign-in. Synchronous on purpose: the popup must open inside the
   * user's click, or the browser blocks it.
   */
  signIn(): void {
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
    this._generation++;
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    // Cancel, sign-out or a new sign-in close this window too.
    abort.signal.addEventListener('abort', () => popup.close());
    this._setState({ kind: 'signing-in', detail: 'opening' });
    const settings = this._settings;
    const context = {
      ...this.options,
      signal: abort.signal,
      onProgress: (progress: SignInProgress) =>
        this._onProgress(progress, abort)
    };
    // Fetched on the first sign-in only: oauth4webapi and jose stay out of the start-up bundle.
    void import(/* webpackChunkName: "tokentoss-flow" */ './signin')
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
            this._applyStatus(status);
          }
        },
        error => {
          if (abort.signal.aborted) {
            return;
          }
          // Whatever failed (even loading the sign-in code), no window is left behind.
          popup.close();
          const givenUp =
            this._state.kind === 'signing-in' &&
            this._state.detail === 'lost-contact';
          if (
            givenUp &&
            error instanceof SignInError &&
            error.code === 'timeout'
          ) {
            // The user closed the window long ago and was told so; no new error to show.
            void this._reload();
          } else {
            this._fail(error);
          }
        }
      );
  }

  /** Stops waiting for the sign-in window. */
  cancelSignIn(): void {
    this._generation++;
    this._abort?.abort();
    this._abort = null;
    void this._reload();
  }

  /** Revokes the grant, deletes the token file and shows signed out. */
  async signOut(): Promise<void> {
    const generation = ++this._generation;
    this._abort?.abort();
    try {
      const answer = await this.options.api.signOut();
      if (generation === this._generation) {
        // An older server says nothing about it: then the panel says nothing either.
        this._setState({ kind: 'signed-out', revocation: answer.revocation });
      }
    } catch (error) {
      if (generation === this._generation) {
        this._fail(error);
      }
    }
  }

  /** Asks the server to refresh the tokens now. */
  async refreshNow(): Promise<void> {
    return this._refresh(false);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._abort?.abort();
    window.clearTimeout(this._refreshTimer);
    window.clearTimeout(this._graceTimer);
    Signal.clearData(this);
  }

  private _onProgress(progress: SignInProgress, abort: AbortController): void {
    if (abort.signal.aborted) {
      return;
    }
    window.clearTimeout(this._graceTimer);
    if (progress === 'lost-contact') {
      // Either the user closed it, or COOP severed our handle; the relay may still come.
      this._graceTimer = window.setTimeout(() => {
        if (!abort.signal.aborted && this._state.kind === 'signing-in') {
          this._setState({ kind: 'signing-in', detail: 'lost-contact' });
        }
      }, CLOSED_POPUP_GRACE_MS);
      return;
    }
    this._setState({ kind: 'signing-in', detail: progress });
  }

  /**
   * For a status or refresh answer about to be awaited: tells, once it is in,
   * whether it still applies. A sign-in or sign-out started meanwhile wins.
   */
  private _answerIsCurrent(): () => boolean {
    const generation = this._generation;
    return () =>
      generation === this._generation && this._state.kind !== 'signing-in';
  }

  /** Forgets what is on screen and asks the server again (the user may still be signed in). */
  private _reload(): Promise<void> {
    this._setState({ kind: 'loading' });
    return this.checkStatus();
  }

  private _applyStatus(status: IServerStatus): void {
    window.clearTimeout(this._graceTimer);
    this._setState(
      status.signed_in ? { kind: 'signed-in', status } : { kind: 'signed-out' }
    );
  }

  private _fail(error: unknown): void {
    window.clearTimeout(this._graceTimer);
    this._setState({ kind: 'error', error });
  }

  private _setState(state: SessionState): void {
    this._state = state;
    this._scheduleRefresh();
    this._stateChanged.emit(state);
  }

  /** Keeps the token file fresh while JupyterLab is open, when the user wants it. */
  private _scheduleRefresh(delayMs?: number): void {
    window.clearTimeout(this._refreshTimer);
    const state = this._state;
    if (
      !this._settings.autoRefresh ||
      state.kind !== 'signed-in' ||
      !state.status.expires_at
    ) {
      return;
    }
    const due =
      Date.parse(state.status.expires_at) -
      this._settings.refreshMarginSeconds * 1000 -
      Date.now();
    // Never sooner than the minimum: a token that stays inside the margin must not loop.
    this._refreshTimer = window.setTimeout(
      () => void this._refresh(true),
      delayMs ?? Math.max(due, MIN_REFRESH_DELAY_MS)
    );
  }

  /**
   * POST refresh. A background refresh that fails for a transient reason tries
   * again later instead of showing an error.
   */
  private async _refresh(background: boolean): Promise<void> {
    const current = this._answerIsCurrent();
    try {
      const status = await this.options.api.refresh();
      if (current()) {
        this._applyStatus(status);
      }
    } catch (error) {
      if (!current()) {
        return;
      }
      const transient =
        error instanceof ApiError &&
        ['network', 'server'].includes(error.reason);
      if (error instanceof ApiError && error.reason === 'not_signed_in') {
        this._setState({ kind: 'signed-out' });
      } else if (background && transient) {
        this._scheduleRefresh(REFRESH_RETRY_MS);
      } else {
        this._fail(error);
      }
    }
  }

  private _state: SessionState = { kind: 'loading' };
  private _settings: ITokenTossSettings = DEFAULT_SETTINGS;
  private _stateChanged = new Signal<this, SessionState>(this);
  private _abort: AbortController | null = null;
  private _refreshTimer = 0;
  /** Bumped by every sign-in, cancel and sign-out: older answers are dropped. */
  private _generation = 0;
  private _graceTimer = 0;
  private _isDisposed = false;
}

/**
 * The session model: the one object the views, the commands and other
 * extensions hold. It joins the session's parts, each in its own module:
 * the state machine and its signal (`session/state.ts`), the sign-in
 * (`session/signInFlow.ts`) and the background refresh's timing
 * (`session/refreshSchedule.ts`); here the server's status and refresh answers
 * are applied.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError } from './api';
import { ISessionModelOptions } from './session/options';
import { RefreshSchedule } from './session/refreshSchedule';
import { SignInFlow } from './session/signInFlow';
import { SessionStateMachine } from './session/state';
import { DEFAULT_SETTINGS } from './settings';
import { ITokenTossSettings, SessionState } from './tokens';

export type { ISessionModelOptions } from './session/options';

export class SessionModel implements IDisposable {
  constructor(readonly options: ISessionModelOptions) {
    this._machine = new SessionStateMachine<SessionModel>(this);
    this._signIn = new SignInFlow(options, this._machine, () => this._reload());
    this._refreshSchedule = new RefreshSchedule({
      refresh: () => this._refresh(true),
      state: () => this.state,
      settings: () => this._settings
    });
    // Connected first: the schedule follows a new state before the views draw it.
    this._machine.changed.connect(() => this._refreshSchedule.update());
  }

  /** Emitted on every state change. */
  get stateChanged(): ISignal<this, SessionState> {
    return this._machine.changed as ISignal<this, SessionState>;
  }

  get state(): SessionState {
    return this._machine.state;
  }

  get settings(): ITokenTossSettings {
    return this._settings;
  }

  /** New settings apply at once: the next sign-in uses them, the refresh schedule follows. */
  set settings(settings: ITokenTossSettings) {
    this._settings = settings;
    this._refreshSchedule.update();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Asks the server who is signed in (never blocks start-up: called, not awaited). */
  async checkStatus(): Promise<void> {
    if (this.state.kind === 'signing-in') {
      return;
    }
    const current = this._machine.answerIsCurrent();
    try {
      const status = await this.options.api.status();
      if (current()) {
        this._machine.applyStatus(status);
      }
    } catch (error) {
      if (current()) {
        this._machine.fail(error);
      }
    }
  }

  /**
   * Starts a sign-in. Synchronous on purpose: the popup must open inside the
   * user's click, or the browser blocks it.
   */
  signIn(): void {
    this._signIn.start(this._settings);
  }

  /** Stops waiting for the sign-in window. */
  cancelSignIn(): void {
    this._signIn.cancel();
  }

  /** Revokes the grant, deletes the token file and shows signed out. */
  async signOut(): Promise<void> {
    const newest = this._machine.newGeneration();
    this._signIn.stop();
    try {
      const answer = await this.options.api.signOut();
      if (newest()) {
        // An older server says nothing about it: then the panel says nothing either.
        this._machine.set({
          kind: 'signed-out',
          revocation: answer.revocation
        });
      }
    } catch (error) {
      if (newest()) {
        this._machine.fail(error);
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
    this._signIn.stop();
    this._refreshSchedule.dispose();
    Signal.clearData(this);
  }

  /** Forgets what is on screen and asks the server again (the user may still be signed in). */
  private _reload(): Promise<void> {
    this._machine.set({ kind: 'loading' });
    return this.checkStatus();
  }

  /**
   * POST refresh. A background refresh that fails for a transient reason tries
   * again later instead of showing an error.
   */
  private async _refresh(background: boolean): Promise<void> {
    const current = this._machine.answerIsCurrent();
    try {
      const status = await this.options.api.refresh();
      if (current()) {
        this._machine.applyStatus(status);
      }
    } catch (error) {
      if (!current()) {
        return;
      }
      const transient =
        error instanceof ApiError &&
        ['network', 'server'].includes(error.reason);
      if (error instanceof ApiError && error.reason === 'not_signed_in') {
        this._machine.set({ kind: 'signed-out' });
      } else if (background && transient) {
        this._refreshSchedule.retryLater();
      } else {
        this._machine.fail(error);
      }
    }
  }

  private _settings: ITokenTossSettings = DEFAULT_SETTINGS;
  private readonly _machine: SessionStateMachine<SessionModel>;
  private readonly _signIn: SignInFlow;
  private readonly _refreshSchedule: RefreshSchedule;
  private _isDisposed = false;
}

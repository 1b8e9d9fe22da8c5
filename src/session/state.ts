/**
 * The session's state machine: the one current state, its change signal, and
 * which answers still apply.
 *
 *   loading → signed-out ⇄ signing-in → signed-in → (sign-out) → signed-out
 *                 ↘ error (with a way out: settings or retry) ↙
 *
 * A sign-in, a cancel and a sign-out each start a new generation: a status or
 * refresh answer asked for before it is dropped when it comes in.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type { IServerStatus, SessionState } from '../tokens';

export class SessionStateMachine<TSender> {
  /** @param sender - the object the change signal names as its sender (the session model). */
  constructor(sender: TSender) {
    this._changed = new Signal<TSender, SessionState>(sender);
  }

  /** Emitted on every state change. */
  get changed(): ISignal<TSender, SessionState> {
    return this._changed;
  }

  get state(): SessionState {
    return this._state;
  }

  /** Enters a state and tells whoever listens. */
  set(state: SessionState): void {
    this._state = state;
    this._changed.emit(state);
  }

  /** What the server said: signed in or out. */
  applyStatus(status: IServerStatus): void {
    this.set(
      status.signed_in ? { kind: 'signed-in', status } : { kind: 'signed-out' }
    );
  }

  fail(error: unknown): void {
    this.set({ kind: 'error', error });
  }

  /**
   * Starts a new generation (a sign-in, cancel or sign-out) and tells, later,
   * whether it is still the newest.
   */
  newGeneration(): () => boolean {
    const generation = ++this._generation;
    return () => generation === this._generation;
  }

  /**
   * For a status or refresh answer about to be awaited: tells, once it is in,
   * whether it still applies. A sign-in or sign-out started meanwhile wins.
   */
  answerIsCurrent(): () => boolean {
    const generation = this._generation;
    return () =>
      generation === this._generation && this._state.kind !== 'signing-in';
  }

  private _state: SessionState = { kind: 'loading' };
  private _changed: Signal<TSender, SessionState>;
  private _generation = 0;
}

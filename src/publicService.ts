/**
 * The `ITokenToss` service the plugin provides: a thin view of the session model
 * for other extensions. It hands out snapshots built field by field (an allowlist),
 * so nothing the model may carry one day reaches them unless it is added here.
 */
import { Signal } from '@lumino/signaling';

import { ApiError } from './api';
import { SignInError } from './flow/errors';
import { chooseMode } from './flow/chooseMode';
import type { SessionModel } from './model';
import type {
  ITokenToss,
  ITokenTossError,
  ITokenTossSession
} from './publicApi';
import type { SessionState, SignInMode } from './tokens';

/** A failure as extensions see it: a code and an English message, never a raw error. */
export function publicError(error: unknown): ITokenTossError {
  if (error instanceof SignInError) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof ApiError) {
    return { code: error.reason, message: error.message };
  }
  // Anything else is a bug or a library's own words: not echoed (it might quote a value).
  return {
    code: 'unexpected',
    message: 'Unexpected error: see the browser console.'
  };
}

/** The snapshot of `state` that extensions get. */
export function publicSession(
  state: SessionState,
  mode: SignInMode | null
): ITokenTossSession {
  const status = state.kind === 'signed-in' ? state.status : null;
  return Object.freeze({
    status: state.kind,
    signedIn: status !== null,
    email: status?.email ?? null,
    expiresAt: status?.expires_at ?? null,
    issuer: status?.issuer ?? null,
    scopes: Object.freeze([...(status?.scopes ?? [])]),
    canRefresh: status?.can_refresh ?? status !== null,
    mode,
    error:
      state.kind === 'error' ? Object.freeze(publicError(state.error)) : null
  });
}

/** The service over `model`'s public surface (state, its signal, sign-in, sign-out, refresh). */
export function publicService(model: SessionModel): ITokenToss {
  const snapshot = () =>
    publicSession(
      model.state,
      chooseMode(model.options.client, model.settings)
    );
  const service: ITokenToss = {
    get session() {
      return snapshot();
    },
    get sessionChanged() {
      return changed;
    },
    // Synchronous, like the sidebar's button: the popup opens inside the caller's click.
    signIn: () => model.signIn(),
    signOut: () => model.signOut(),
    refresh: () => model.refreshNow()
  };
  const changed = new Signal<ITokenToss, ITokenTossSession>(service);
  model.stateChanged.connect(() => changed.emit(snapshot()));
  return Object.freeze(service);
}

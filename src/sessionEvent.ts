/**
 * The session's events that the user is told about (`notifications.ts`, `notify.ts`): which
 * state change of the session model is which event.
 */
import type { IServerStatus, Revocation, SessionState } from './tokens';

/** Something the user is told about. NOTE: carries no token value, only what the panel shows. */
export type SessionEvent =
  /** A sign-in of this page finished (not a sign-in found at page load). */
  | { kind: 'signed-in'; status: IServerStatus }
  /** A sign-out of this page (`revocation` says what the provider ended), or one found by a status check. */
  | { kind: 'signed-out'; revocation?: Revocation }
  /** Signed in, then a call failed: a refresh that gave up (background or not), or a sign-out. */
  | { kind: 'failed'; error: unknown }
  /** A sign-in without a refresh token that ends at `expiresAt`, within the refresh margin. */
  | { kind: 'ending'; expiresAt: string };

/**
 * The event a state change is, if any. Only transitions count, never a state repeated by a
 * status poll; `loading → signed-in` (a sign-in that existed before this page) is none.
 */
export function sessionEvent(
  previous: SessionState,
  next: SessionState
): SessionEvent | null {
  if (next.kind === 'signed-in' && previous.kind === 'signing-in') {
    return { kind: 'signed-in', status: next.status };
  }
  if (
    next.kind === 'signed-out' &&
    (previous.kind === 'signed-in' || 'revocation' in next)
  ) {
    return { kind: 'signed-out', revocation: next.revocation };
  }
  if (next.kind === 'error' && previous.kind === 'signed-in') {
    return { kind: 'failed', error: next.error };
  }
  return null;
}

/** Shows an event (if any) as a notification, and follows the state it came with (`notify.ts`). */
export type Notifier = (
  event: SessionEvent | null,
  state: SessionState
) => void;

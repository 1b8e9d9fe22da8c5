/**
 * When the background refresh runs: once, the settings' margin before the
 * tokens expire (never sooner than 30 s), again a minute after a refresh that
 * failed for a transient reason; never when `autoRefresh` is off or nobody is
 * signed in. The timing is a Lumino `Poll` (JupyterLab's own, shared: it costs
 * nothing at start-up) that ticks once per plan.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';

import type { ITokenTossSettings, SessionState } from '../tokens';

/** Retry delay of a background refresh that failed for a transient reason. */
export const REFRESH_RETRY_MS = 60_000;
/** The soonest a background refresh is scheduled. */
export const MIN_REFRESH_DELAY_MS = 30_000;

/**
 * Milliseconds until the background refresh is due for this state and these
 * settings, or null when none is (switched off, not signed in, no expiry).
 */
export function refreshDelayMs(
  state: SessionState,
  settings: ITokenTossSettings,
  now: number = Date.now()
): number | null {
  if (
    !settings.autoRefresh ||
    state.kind !== 'signed-in' ||
    !state.status.expires_at
  ) {
    return null;
  }
  const due =
    Date.parse(state.status.expires_at) -
    settings.refreshMarginSeconds * 1000 -
    now;
  // Never sooner than the minimum: a token that stays inside the margin must not
  // loop. Never past what a timer can hold (it would fire at once).
  return Math.min(Math.max(due, MIN_REFRESH_DELAY_MS), Poll.MAX_INTERVAL);
}

/** What the schedule reads from the session. */
export interface IRefreshScheduleOptions {
  /** The background refresh itself; it never rejects. */
  refresh: () => Promise<void>;
  state: () => SessionState;
  settings: () => ITokenTossSettings;
}

export class RefreshSchedule implements IDisposable {
  constructor(options: IRefreshScheduleOptions) {
    this._options = options;
    this._poll = new Poll({
      auto: false,
      factory: () => options.refresh(),
      // No tick of its own: each plan (`schedule`) says when the one next tick is.
      frequency: { interval: Poll.NEVER, backoff: false },
      // 'never': the setting promises a fresh token file while JupyterLab is open, and kernels
      // go on using it while the tab is in the background.
      standby: 'never',
      name: 'tokentoss:refresh'
    });
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Plans the next refresh from the session's state and settings now (after any change to them). */
  update(): void {
    this._plan(refreshDelayMs(this._options.state(), this._options.settings()));
  }

  /** After a transient failure: tries again in a minute, if a refresh is still wanted. */
  retryLater(): void {
    const wanted =
      refreshDelayMs(this._options.state(), this._options.settings()) !== null;
    this._plan(wanted ? REFRESH_RETRY_MS : null);
  }

  dispose(): void {
    this._poll.dispose();
  }

  private _plan(delayMs: number | null): void {
    if (delayMs === null) {
      void this._poll.stop();
    } else {
      void this._poll.schedule({ interval: delayMs, phase: 'started' });
    }
  }

  private readonly _options: IRefreshScheduleOptions;
  private readonly _poll: Poll;
}

/**
 * JupyterLab notifications for what happens to the session, so the user hears of it with the
 * sidebar closed: a sign-in, a sign-out, a failure while signed in (a background refresh that
 * gave up, a "Refresh now"), and a sign-in without a refresh token that is about to end.
 * This module follows the model (start-up, small); which state change is which event is
 * `sessionEvent.ts`; the texts and the Notification calls are in `notify.ts`, fetched with the
 * panel's chunk.
 */
import type { CommandRegistry } from '@lumino/commands';
import type { TranslationBundle } from '@jupyterlab/translation';

import type { SessionModel } from './model';
import { Notifier, SessionEvent, sessionEvent } from './sessionEvent';
import type { SessionState } from './tokens';

/** What `watchSession` needs around it. */
export interface IWatchOptions {
  commands: CommandRegistry;
  trans: TranslationBundle;
  /** Replaces the lazily loaded notifier (tests). */
  notifier?: Promise<Notifier>;
}

/** setTimeout's longest delay; a longer wait is taken in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Notifies the session's events from now on. The "ending" warning comes once
 * per sign-in, when the background refresh would have come (`refreshMarginSeconds` before the
 * end): that is when the user must act, and the sidebar may be closed by then.
 */
export function watchSession(
  model: SessionModel,
  options: IWatchOptions
): void {
  let notifier: Promise<Notifier> | null = options.notifier ?? null;
  const show = (event: SessionEvent) => {
    // Fetched at the first event only; events keep their order through the one promise.
    notifier ??= import(/* webpackChunkName: "tokentoss-panel" */ './notify')
      .then(({ createNotifier }) =>
        createNotifier(options.commands, options.trans)
      )
      .catch(reason => {
        console.error('tokentoss: could not load the notifications.', reason);
        return () => undefined;
      });
    void notifier.then(notify => notify(event));
  };

  const warned = new Set<string>();
  let timer = 0;
  const watchEnding = (state: SessionState) => {
    window.clearTimeout(timer);
    if (
      state.kind !== 'signed-in' ||
      state.status.can_refresh !== false ||
      !state.status.expires_at ||
      warned.has(state.status.expires_at)
    ) {
      return;
    }
    const expiresAt = state.status.expires_at;
    const end = Date.parse(expiresAt);
    const due = end - model.settings.refreshMarginSeconds * 1000 - Date.now();
    timer = window.setTimeout(
      () => {
        if (Date.now() >= end) {
          return; // Over already: the panel says so; a warning now would come too late.
        }
        if (Date.now() < end - model.settings.refreshMarginSeconds * 1000) {
          watchEnding(model.state); // A step of a wait longer than setTimeout takes.
          return;
        }
        warned.add(expiresAt);
        show({ kind: 'ending', expiresAt });
      },
      Math.min(Math.max(due, 0), MAX_DELAY_MS)
    );
  };

  let previous = model.state;
  model.stateChanged.connect((_, next) => {
    const event = sessionEvent(previous, next);
    previous = next;
    if (event) {
      show(event);
    }
    watchEnding(next);
  });
  watchEnding(model.state);
}

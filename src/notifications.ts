/**
 * JupyterLab notifications for what happens to the session, so the user hears of it with the
 * sidebar closed: a sign-in, a sign-out, a failure while signed in (a background refresh that
 * gave up, a "Refresh now"), and a sign-in without a refresh token that is about to end.
 * This module follows the model (start-up, small); which state change is which event is
 * `sessionEvent.ts`; the texts, the Notification calls and the "ending" timer are in
 * `notify.ts`, fetched with the panel's chunk at the first event.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';

import type { SessionModel } from './model';
import { Notifier, sessionEvent } from './sessionEvent';
import type { SessionState } from './tokens';

/** What `watchSession` needs around it. */
export interface IWatchOptions {
  commands: CommandRegistry;
  trans: TranslationBundle;
  /** Replaces the lazily loaded notifier (tests). */
  notifier?: Promise<Notifier>;
}

/** A sign-in without a refresh token: `notify.ts` warns before it ends. */
const unrenewable = (state: SessionState) =>
  state.kind === 'signed-in' && state.status.can_refresh === false;

/** Notifies the session's events from now on. */
export function watchSession(
  model: SessionModel,
  options: IWatchOptions
): void {
  let notifier = options.notifier ?? null;
  let previous = model.state;
  model.stateChanged.connect((_, next) => {
    const event = sessionEvent(previous, next);
    previous = next;
    // Once loaded, the notifier follows every state (the "ending" warning's timer does).
    if (!event && !notifier && !unrenewable(next)) {
      return;
    }
    notifier ??= import(/* webpackChunkName: "tokentoss-panel" */ './notify')
      .then(({ createNotifier }) => createNotifier(model, options))
      .catch(reason => {
        console.error('tokentoss: could not load the notifications.', reason);
        return () => undefined;
      });
    // Events keep their order through the one promise.
    void notifier.then(notify => notify(event, next));
  });
}

/**
 * The notifications of `notifications.ts`: texts, JupyterLab's Notification API, and the timer
 * of the "ending" warning. In the panel's lazy chunk (it shares `messages.ts` and
 * `displayText.ts` with the panel). JupyterLab shortens a message to 140 characters: the texts
 * are short, the panel has the rest.
 */
import { Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';

import { displayText } from './displayText';
import { describeFailure } from './messages';
import type { SessionModel } from './model';
import type { Notifier, SessionEvent } from './sessionEvent';
import { CommandIDs, Revocation, SessionState } from './tokens';

/** How long the good news stays on screen (ms); problems stay until dismissed. */
const SHORT_MS = 5000;
/** setTimeout's longest delay; a longer wait is taken in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Builds the notifier: one notification per event, none left that a newer event made stale.
 * The "ending" warning comes once per sign-in without a refresh token, when its background
 * refresh would have come (`refreshMarginSeconds` before the end): that is when the user must
 * act, and the sidebar may be closed by then.
 */
export function createNotifier(
  session: Pick<SessionModel, 'settings' | 'state'>,
  { commands, trans }: { commands: CommandRegistry; trans: TranslationBundle }
): Notifier {
  const run = (command: string) => () => void commands.execute(command);
  // Runs our command inside the click: the sign-in window opens without being blocked.
  const signInAgain: Notification.IAction = {
    label: trans.__('Sign in again'),
    caption: trans.__('Open the sign-in window'),
    displayType: 'accent',
    callback: run(CommandIDs.signIn)
  };
  const details: Notification.IAction = {
    label: trans.__('Details'),
    caption: trans.__('Show the tokentoss panel'),
    callback: run(CommandIDs.openPanel)
  };
  // The one problem on screen: a newer problem replaces it, a sign-in or sign-out ends it. Not a
  // status poll that finds the sign-in again: after a refused refresh the server still reports it.
  let problem: string | null = null;
  const replaceProblem = (id: string | null) => {
    if (problem) {
      Notification.dismiss(problem);
    }
    problem = id;
  };

  const signedOutText = (revocation: Revocation | undefined) => {
    switch (revocation) {
      case 'grant':
        return trans.__('Signed out. The provider revoked the sign-in.');
      case 'access_token':
        return trans.__(
          'Signed out. The ID token stays valid until it expires (there was no refresh token).'
        );
      case null:
        return trans.__(
          'Signed out. The provider confirmed no revocation: the tokens stay valid until they expire.'
        );
      default:
        return trans.__('Signed out of tokentoss.');
    }
  };

  const show = (event: SessionEvent) => {
    switch (event.kind) {
      case 'signed-in':
        replaceProblem(null);
        Notification.success(
          event.status.email
            ? trans.__('Signed in as %1.', displayText(event.status.email))
            : trans.__('Signed in.'),
          { autoClose: SHORT_MS }
        );
        return;
      case 'signed-out':
        replaceProblem(null);
        Notification.info(signedOutText(event.revocation), {
          autoClose: SHORT_MS
        });
        return;
      case 'failed': {
        const failure = describeFailure(event.error, trans);
        replaceProblem(
          Notification.error(trans.__('tokentoss: %1', failure.message), {
            autoClose: false,
            actions: [signInAgain, details]
          })
        );
        return;
      }
      case 'ending':
        replaceProblem(
          Notification.warning(
            trans.__(
              'Your sign-in ends at %1 and cannot be renewed (no refresh token). Sign in again to keep working.',
              new Date(event.expiresAt).toLocaleTimeString([], {
                timeStyle: 'short'
              })
            ),
            { autoClose: false, actions: [signInAgain] }
          )
        );
        return;
    }
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
    const due = () => end - session.settings.refreshMarginSeconds * 1000;
    timer = window.setTimeout(
      () => {
        // Past the end, nothing: the panel says so, a warning would come too late.
        if (Date.now() < due()) {
          watchEnding(session.state); // A step of a wait longer than setTimeout takes.
        } else if (Date.now() < end) {
          warned.add(expiresAt);
          show({ kind: 'ending', expiresAt });
        }
      },
      Math.min(Math.max(due() - Date.now(), 0), MAX_DELAY_MS)
    );
  };

  return (event, state) => {
    if (event) {
      show(event);
    }
    watchEnding(state);
  };
}

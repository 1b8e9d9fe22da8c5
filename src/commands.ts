/** The palette commands; each one delegates to the session model. */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { keyIcon } from './icons';
import { SessionModel } from './model';
import { CommandIDs, PANEL_ID } from './tokens';

/** Registers the commands and, when there is a palette, lists them under "tokentoss". */
export function addCommands(
  app: JupyterFrontEnd,
  model: SessionModel,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const { commands } = app;
  const signedIn = () => model.state.kind === 'signed-in';

  commands.addCommand(CommandIDs.signIn, {
    label: trans.__('Sign in with Google'),
    caption: trans.__('Sign in once; every kernel then gets fresh tokens'),
    icon: keyIcon,
    isEnabled: () =>
      model.options.secureContext &&
      (model.state.kind !== 'signing-in' ||
        model.state.detail === 'lost-contact'),
    // Runs synchronously inside the click, so the popup is not blocked.
    execute: () => model.signIn()
  });
  commands.addCommand(CommandIDs.signOut, {
    label: trans.__('Sign out'),
    caption: trans.__('Revoke the grant and delete the token file'),
    isEnabled: signedIn,
    execute: () => model.signOut()
  });
  commands.addCommand(CommandIDs.refresh, {
    label: trans.__('Refresh tokens now'),
    caption: trans.__('Use the refresh token to get new tokens'),
    isEnabled: signedIn,
    execute: () => model.refreshNow()
  });
  commands.addCommand(CommandIDs.openSettings, {
    label: trans.__('Open tokentoss settings'),
    caption: trans.__('Client ID, secret, issuer and scopes'),
    execute: () =>
      commands.execute('settingeditor:open', { query: 'tokentoss' })
  });
  commands.addCommand(CommandIDs.openPanel, {
    label: trans.__('Show the tokentoss panel'),
    execute: () => app.shell.activateById(PANEL_ID)
  });
  model.stateChanged.connect(() => commands.notifyCommandChanged());

  if (palette) {
    const category = trans.__('tokentoss');
    for (const command of Object.values(CommandIDs)) {
      palette.addItem({ command, category });
    }
  }
}

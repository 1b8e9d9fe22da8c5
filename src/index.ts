/**
 * Plugin wiring only: build the model, the panel, the commands and the status
 * bar item, and follow the settings. Activation never awaits the network.
 * The package's main module: other extensions import `ITokenToss` from here.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { IFormRendererRegistry } from '@jupyterlab/ui-components';

import { tokenApi } from './api';
import { cardFactory } from './cards';
import { addCommands } from './commands';
import { isServerManaged, markManaged, pageConfigClient } from './managed';
import { SessionModel } from './model';
import { watchSession } from './notifications';
import { TokenTossPanel } from './panel';
import { ITokenToss } from './publicApi';
import { publicService } from './publicService';
import { registerSecretField } from './secretField';
import { readSettings } from './settings';
import { SessionStatusItem } from './statusbar';
import { addStyleSheet } from './styleSheet';
import { CommandIDs, PANEL_ID, PLUGIN_ID } from './tokens';
import baseStyles from '../style/base.raw.css';

export * from './publicApi';

const plugin: JupyterFrontEndPlugin<ITokenToss> = {
  id: PLUGIN_ID,
  description:
    'Sign in with Google from the sidebar; every kernel gets fresh tokens.',
  autoStart: true,
  requires: [ISettingRegistry],
  // Other extensions use the sign-in through it (src/publicApi.ts).
  provides: ITokenToss,
  // Only the settings are required: Notebook 7 has no ILabShell and, on some
  // pages, no status bar; the panel goes to the generic shell's 'left' area.
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    IStatusBar,
    ITranslator,
    IRenderMimeRegistry,
    IFormRendererRegistry
  ],
  activate: (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    translator: ITranslator | null,
    rendermime: IRenderMimeRegistry | null,
    formRenderers: IFormRendererRegistry | null
  ): ITokenToss => {
    // The panel's frame and the status bar item; the drawing brings its own (src/panelView.ts).
    addStyleSheet('jp-tokentoss-base-styles', baseStyles);
    const trans = (translator ?? nullTranslator).load('tokentoss');
    const client = pageConfigClient(PageConfig.getOption('tokentossClient'));
    const managed = isServerManaged(client);
    // Registered before any load: the schema asks for it (`jupyter.lab.transform`).
    settingRegistry.transform(PLUGIN_ID, {
      fetch: plugin =>
        managed
          ? markManaged(
              plugin,
              client!.managed_fields,
              trans.__('Managed by the server (%1).', client!.origin ?? '')
            )
          : plugin
    });
    // The client secret is masked in the Settings Editor's form (the JSON editor shows the raw file).
    if (formRenderers) {
      registerSecretField(formRenderers, trans);
    }
    const model = new SessionModel({
      api: tokenApi,
      baseUrl: PageConfig.getBaseUrl(),
      origin: window.location.origin,
      client,
      // Where the browser gives no crypto.subtle (no PKCE): plain http off loopback.
      secureContext: window.isSecureContext
    });

    const panel = new TokenTossPanel(model, app.commands, trans);
    app.shell.add(panel, 'left', { rank: 800 });
    restorer?.add(panel, PANEL_ID);

    addCommands(app, model, trans, palette);
    watchSession(model, { commands: app.commands, trans });
    // The in-cell cards (GoogleAuthWidget, ConfigureWidget) share the sidebar's model.
    rendermime?.addFactory(
      cardFactory({ model, commands: app.commands, trans })
    );

    statusBar?.registerStatusItem(`${PLUGIN_ID}:status`, {
      item: new SessionStatusItem(model, trans, () => {
        app.shell.activateById(PANEL_ID);
        // Signed out, the item is a sign-in button (synchronous: the popup opens in this click).
        if (model.state.kind === 'signed-out') {
          void app.commands.execute(CommandIDs.signIn);
        }
      }),
      align: 'left',
      rank: 100
    });

    // Both run in the background; the panel shows "Checking…" meanwhile.
    void settingRegistry
      .load(PLUGIN_ID)
      .then(settings => {
        let warned = false;
        const apply = () => {
          model.settings = readSettings(settings.composite);
          if (managed && model.settings.clientSecret && !warned) {
            warned = true;
            // Rare (an admin's leftover): its text is not part of the start-up download.
            void import(
              /* webpackChunkName: "tokentoss-panel" */ './staleSecret'
            ).then(({ warnStaleSecret }) => warnStaleSecret());
          }
        };
        apply();
        settings.changed.connect(apply);
      })
      .catch(reason =>
        console.error('tokentoss: could not load settings.', reason)
      );
    void model.checkStatus();
    return publicService(model);
  }
};

export default plugin;

/**
 * A second, tiny JupyterLab extension that uses the tokentoss sign-in as any other extension
 * would: `requires: [ITokenToss]`, with `tokentoss` shared, not bundled (package.json). A panel
 * in the right sidebar shows the session and every change the signal brought, and has sign-in,
 * refresh and sign-out buttons. Built by scripts/lib.sh (ensure_consumer_extension) and loaded
 * into the Galata `lab` project's JupyterLab only, for public-token.spec.ts; not shipped.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { ITokenToss, ITokenTossSession } from 'tokentoss';

/** Returns the `ITokenToss` this plugin received (the spec compares it with the provider's). */
const SERVICE_COMMAND = 'tokentoss-consumer:service';

/** One line for a session: what a consumer of the public API can know. */
function describe(session: ITokenTossSession): string {
  if (session.signedIn) {
    return `signed-in as ${session.email}`;
  }
  return session.error ? `error: ${session.error.code}` : session.status;
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'tokentoss-consumer-example:plugin',
  description:
    'Shows the tokentoss session; signs in, refreshes and signs out through ITokenToss.',
  autoStart: true,
  requires: [ITokenToss],
  activate: (app: JupyterFrontEnd, tokentoss: ITokenToss) => {
    const trans = nullTranslator.load('tokentoss-consumer-example');
    const widget = new Widget();
    widget.id = 'tokentoss-consumer';
    widget.title.label = trans.__('Consumer');
    widget.title.caption = trans.__('tokentoss, seen by another extension');

    const session = document.createElement('output');
    session.className = 'tokentoss-consumer-session';
    const changes = document.createElement('ol');
    changes.className = 'tokentoss-consumer-changes';
    const button = (name: string, label: string, onClick: () => void) => {
      const node = document.createElement('button');
      node.className = `tokentoss-consumer-${name}`;
      node.textContent = label;
      node.addEventListener('click', onClick);
      return node;
    };
    widget.node.append(
      session,
      // Synchronous inside the click: the popup is opened in it.
      button('sign-in', trans.__('Sign in'), () => tokentoss.signIn()),
      button('refresh', trans.__('Refresh'), () => void tokentoss.refresh()),
      button('sign-out', trans.__('Sign out'), () => void tokentoss.signOut()),
      changes
    );

    session.textContent = describe(tokentoss.session);
    tokentoss.sessionChanged.connect((_, changed) => {
      session.textContent = describe(changed);
      const item = document.createElement('li');
      item.textContent = describe(changed);
      changes.append(item);
    });

    app.shell.add(widget, 'right', { rank: 2000 });
    app.commands.addCommand(SERVICE_COMMAND, {
      label: trans.__('The ITokenToss service this extension received'),
      execute: () => tokentoss
    });
  }
};

export default plugin;

/**
 * What the in-cell cards draw (loaded on first use, in the panel's chunk).
 *
 * The sign-in card is the sidebar panel's view in another place: one model, so a
 * sign-in from either shows in both. The client form sends the ID and secret to
 * the server (`PUT tokentoss/client`, Jupyter auth + XSRF) and clears the fields:
 * they never enter the kernel, the notebook's source or its outputs.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { requestAPI } from './api';
import { describeFailure } from './messages';
import type { SessionModel } from './model';
import { element, PanelView } from './panelView';
import type { UserClient } from './schemaTypes.generated';

/** What a card needs: the same model and commands as the sidebar. */
export interface ICardContext {
  model: SessionModel;
  commands: CommandRegistry;
  trans: TranslationBundle;
}

/** The sign-in card's MIME type (`tokentoss/_cell_card.py`); the other is the form. */
export const SIGNIN_MIME = 'application/vnd.tokentoss.signin+json';

/** Draws the card for `mimeType` into `card` once; its connections end with it. */
export function drawCard(
  card: Widget,
  mimeType: string,
  context: ICardContext
): void {
  if (card.node.childElementCount || card.isDisposed) {
    return; // already drawn: the card follows the model, not the output
  }
  card.addClass('jp-tokentoss-card');
  if (mimeType === SIGNIN_MIME) {
    const undo = drawSignInCard(card.node, context);
    card.disposed.connect(undo);
  } else {
    drawClientForm(card.node, context);
  }
}

function drawSignInCard(node: HTMLElement, context: ICardContext): () => void {
  const { model, commands, trans } = context;
  node.classList.add('jp-tokentoss-signin-card');
  const body = document.createElement('div');
  const note = element('p', 'jp-tokentoss-hint');
  note.textContent = trans.__(
    'This card acts for this Jupyter server: it signs in with the client set in its configuration, the Settings Editor or tokentoss.configure(), never with anything in the notebook.'
  );
  node.replaceChildren(body, note);
  const view = new PanelView(body, model, commands, trans);
  const render = () => view.render();
  model.stateChanged.connect(render);
  render();
  // Kernels may have refreshed or signed out since the page loaded.
  if (model.state.kind === 'signed-in' || model.state.kind === 'signed-out') {
    void model.checkStatus();
  }
  return () => model.stateChanged.disconnect(render);
}

interface IClientSaved {
  saved: boolean;
  client_id: string;
  path: string;
}

function drawClientForm(node: HTMLElement, context: ICardContext): void {
  const { trans } = context;
  node.classList.add('jp-tokentoss-configure-card');
  const form = element('form', 'jp-tokentoss-content') as HTMLFormElement;
  form.setAttribute('aria-label', trans.__('tokentoss OAuth client'));
  const title = element('h2', 'jp-tokentoss-title');
  title.textContent = trans.__('Your OAuth client');
  const clientId = field(form, trans.__('Client ID'), 'text', 'client-id');
  const secret = field(form, trans.__('Client secret'), 'password', 'secret');
  const hint = element('p', 'jp-tokentoss-hint');
  hint.textContent = trans.__(
    'Sent to this Jupyter server only, which saves them beside your token file (as tokentoss.configure() does). Nothing is stored in the notebook.'
  );
  const save = element(
    'button',
    'jp-Button jp-mod-styled jp-mod-accept jp-tokentoss-save'
  ) as HTMLButtonElement;
  save.type = 'submit';
  save.textContent = trans.__('Save client');
  const result = element('p', 'jp-tokentoss-status');
  result.setAttribute('aria-live', 'polite');
  form.append(title, hint, save, result);
  form.insertBefore(clientId.parentElement!, hint);
  form.insertBefore(secret.parentElement!, hint);

  form.addEventListener('submit', event => {
    event.preventDefault();
    save.disabled = true;
    result.className = 'jp-tokentoss-status';
    result.textContent = trans.__('Saving…');
    requestAPI<IClientSaved>('client', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: clientId.value,
        client_secret: secret.value
      } satisfies UserClient)
    }).then(
      saved => {
        secret.value = '';
        result.textContent = trans.__(
          'Saved client %1 to %2. Sign in with the sidebar or a sign-in card.',
          saved.client_id,
          saved.path
        );
        save.disabled = false;
      },
      error => {
        result.className = 'jp-tokentoss-error';
        result.textContent = describeFailure(error, trans).message;
        save.disabled = false;
      }
    );
  });
  node.replaceChildren(form);
}

function field(
  form: HTMLElement,
  label: string,
  type: 'text' | 'password',
  name: string
): HTMLInputElement {
  const wrap = element('label', 'jp-tokentoss-field');
  const text = element('span');
  text.textContent = label;
  const input = element('input', 'jp-mod-styled') as HTMLInputElement;
  input.type = type;
  input.name = name;
  input.required = true;
  input.autocomplete = 'off';
  input.spellcheck = false;
  wrap.append(text, input);
  form.append(wrap);
  return input;
}

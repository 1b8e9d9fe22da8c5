/** The status bar item: who is signed in, one click away from the panel (or from signing in). */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { displayText } from './displayText';
import { keyIcon } from './icons';
import { SessionModel } from './model';
import { SessionState } from './tokens';

export class SessionStatusItem extends Widget {
  constructor(
    private readonly model: SessionModel,
    private readonly trans: TranslationBundle,
    onClick: () => void
  ) {
    super();
    this.addClass('jp-tokentoss-statusbar');
    this.node.title = trans.__('tokentoss: click to show the sign-in panel');
    this.node.addEventListener('click', onClick);
    model.stateChanged.connect(this.render, this);
    this.render();
  }

  render(): void {
    const label = document.createElement('span');
    label.textContent = this.label(this.model.state);
    this.node.replaceChildren(
      keyIcon.element({
        tag: 'span',
        className: 'jp-tokentoss-statusbar-icon'
      }),
      label
    );
  }

  private label(state: SessionState): string {
    const { trans } = this;
    switch (state.kind) {
      case 'signed-in':
        return state.status.email
          ? displayText(state.status.email)
          : trans.__('Signed in');
      case 'signing-in':
        return trans.__('Signing in…');
      case 'error':
        return trans.__('Sign-in problem');
      case 'loading':
        return '';
      default:
        return trans.__('Sign in');
    }
  }
}

/** The status bar item: who is signed in, one click away from the panel (or from signing in). */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

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
    // A button for the keyboard too: Tab reaches it, Enter and Space press it.
    this.node.setAttribute('role', 'button');
    this.node.tabIndex = 0;
    this.node.addEventListener('click', onClick);
    this.node.addEventListener('keydown', event => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault(); // no page scroll on Space
        onClick();
      }
    });
    model.stateChanged.connect(this.render, this);
    this.render();
  }

  /**
   * The escaper for provider text (`displayText`), fetched with the panel's chunk when the first
   * email is to be shown, not at start-up; until then the item says "Signed in".
   */
  private displayText: ((text: string) => string) | null = null;
  private loadingDisplayText = false;

  render(): void {
    const label = document.createElement('span');
    label.textContent = this.label(this.model.state);
    // Named even while loading (no text yet); the visible text is part of the name.
    this.node.setAttribute(
      'aria-label',
      label.textContent
        ? this.trans.__('tokentoss: %1', label.textContent)
        : this.trans.__('tokentoss')
    );
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
        if (state.status.email && this.displayText) {
          return this.displayText(state.status.email);
        }
        if (state.status.email) {
          this.loadDisplayText();
        }
        return trans.__('Signed in');
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

  private loadDisplayText(): void {
    if (this.loadingDisplayText) {
      return;
    }
    this.loadingDisplayText = true;
    import(/* webpackChunkName: "tokentoss-panel" */ './displayText').then(
      ({ displayText }) => {
        this.displayText = displayText;
        this.render();
      },
      // Not reachable now: "Signed in" stays, and the next state change tries again.
      () => (this.loadingDisplayText = false)
    );
  }
}

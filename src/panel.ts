/**
 * The sidebar panel's widget: its place in the shell, its icon, and when to
 * draw. The drawing itself (`panelView.ts`) is fetched when the panel is first
 * shown, which keeps it out of JupyterLab's start-up download.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Message } from '@lumino/messaging';
import { Poll } from '@lumino/polling';
import { Widget } from '@lumino/widgets';

import { ApiError } from './api';
import { keyIcon } from './icons';
import { SessionModel } from './model';
import type { PanelView } from './panelView';
import { PANEL_ID } from './tokens';

/** How often the panel asks the server again while visible (kernels may have refreshed). */
const STATUS_POLL_MS = 30_000;

export class TokenTossPanel extends Widget {
  constructor(
    private readonly model: SessionModel,
    private readonly commands: CommandRegistry,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.id = PANEL_ID;
    this.addClass('jp-tokentoss-panel');
    this.title.icon = keyIcon;
    this.title.caption = trans.__('tokentoss: Google sign-in for your kernels');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('tokentoss sign-in'));
    model.stateChanged.connect(() => this.update());
    this._statusPoll = new Poll({
      auto: false,
      factory: () => this.pollStatus(),
      frequency: { interval: STATUS_POLL_MS, backoff: false },
      // 'when-hidden': nobody reads a panel in a background tab; the refresh schedule runs on.
      standby: 'when-hidden',
      linger: 0,
      name: 'tokentoss:panel-status'
    });
  }

  dispose(): void {
    this._statusPoll.dispose();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    // The first tick is at once, then every STATUS_POLL_MS while shown.
    void this._statusPoll.start();
    this.update();
  }

  protected onAfterHide(msg: Message): void {
    void this._statusPoll.stop();
  }

  /** Draws the model's state; hidden panels wait until they are shown. */
  protected onUpdateRequest(msg: Message): void {
    if (!this.isVisible) {
      return;
    }
    this._view ??= import(
      /* webpackChunkName: "tokentoss-panel" */ './panelView'
    ).then(
      ({ PanelView }) =>
        new PanelView(this.node, this.model, this.commands, this.trans)
    );
    this._view.then(
      view => view.render(),
      () => {
        // Try again on the next update (e.g. when the server is back).
        this._view = null;
        this.node.textContent = this.trans.__(
          'The tokentoss panel could not be loaded from the Jupyter server. It is tried again when you reopen the panel.'
        );
      }
    );
  }

  /**
   * Re-reads the status, unless a sign-in runs or a sign-in error is on screen
   * (the user should get to read it). A server that failed to answer is asked again.
   */
  private pollStatus(): Promise<void> {
    const state = this.model.state;
    const serverTrouble =
      state.kind === 'error' && state.error instanceof ApiError;
    if (
      state.kind === 'signed-in' ||
      state.kind === 'signed-out' ||
      serverTrouble
    ) {
      return this.model.checkStatus();
    }
    return Promise.resolve();
  }

  private readonly _statusPoll: Poll;
  private _view: Promise<PanelView> | null = null;
}

/**
 * What the sidebar panel shows: who is signed in and until when, and the buttons
 * to sign in, refresh and sign out. Every button runs a command, so the palette
 * and the panel share one code path. Loaded when the panel is first shown.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';

import { printIdTokenCommand } from './cliHint';
import { displayText } from './displayText';
import { keyIcon } from './icons';
import { isServerManaged } from './managed';
import { describeFailure, IFailure, insecureContextMessage } from './messages';
import { SessionModel } from './model';
import { CommandIDs, IServerStatus, Revocation, SessionState } from './tokens';
import { signInWarnings } from './warnings';
import { addStyleSheet } from './styleSheet';
import panelStyles from '../style/panel.raw.css';

// The drawing's styles (panel and in-cell cards) arrive with the drawing, not at start-up.
addStyleSheet('jp-tokentoss-panel-styles', panelStyles);

/** What the panel suggests running in a notebook. NOTE: code only, never a token. */
const NOTEBOOK_SNIPPET = `import tokentoss
client = tokentoss.IAPClient(base_url="https://your-service.example.com")
client.get_json("/")`;

export class PanelView {
  constructor(
    private readonly node: HTMLElement,
    private readonly model: SessionModel,
    private readonly commands: CommandRegistry,
    private readonly trans: TranslationBundle
  ) {
    const header = element('h2', 'jp-tokentoss-title');
    header.append(
      keyIcon.element({ tag: 'span', className: 'jp-tokentoss-title-icon' })
    );
    header.append(trans.__('Google sign-in'));
    // NOTE: the live region lives as long as the view and only its text changes: screen readers
    // announce changes of a region they already know, not a region that is inserted anew.
    this.status.setAttribute('aria-live', 'polite');
    this.status.setAttribute('aria-atomic', 'true');
    this.content.append(header, this.status, this.body);
  }

  /** Rebuilds the panel's content from the model's state. */
  render(): void {
    const { trans } = this;
    const state = this.model.state;
    const failure =
      state.kind === 'error' ? describeFailure(state.error, trans) : null;
    const status = this.status;
    status.dataset.state = state.kind;
    const text = this.statusText(state);
    if (status.textContent !== text) {
      status.textContent = text; // unchanged text is not announced again
      keepWordsWhole(status);
    }

    const parts: HTMLElement[] = this.notices();
    if (state.kind === 'signed-out' && state.revocation !== undefined) {
      const revocation = element(
        'p',
        'jp-tokentoss-notice jp-tokentoss-revocation'
      );
      revocation.textContent = this.revocationText(state.revocation);
      parts.push(revocation);
    }
    if (state.kind === 'signed-in') {
      const warnings = signInWarnings(state.status, trans);
      if (warnings.length) {
        const list = element('ul', 'jp-tokentoss-warnings');
        for (const text of warnings) {
          const item = element('li', 'jp-tokentoss-warning');
          item.textContent = text;
          list.append(item);
        }
        parts.push(list);
      }
      parts.push(this.details(state.status), this.usage());
    }
    if (failure) {
      const error = element('p', 'jp-tokentoss-error');
      error.setAttribute('role', 'alert');
      error.textContent = failure.message;
      parts.push(error);
    }
    parts.push(this.actions(state, failure));
    // A redraw keeps a keyboard user's place: the same control (else the first action) gets the
    // focus back, instead of the focus falling to the page.
    const focused = document.activeElement;
    const focusedClass =
      focused instanceof HTMLElement && this.body.contains(focused)
        ? focused.className
        : null;
    this.body.replaceChildren(...parts);
    if (focusedClass !== null) {
      const controls = [
        ...this.body.querySelectorAll<HTMLElement>(
          'button:not([disabled]), summary, [tabindex="0"]'
        )
      ];
      (
        controls.find(control => control.className === focusedClass) ??
        this.body.querySelector<HTMLElement>(
          '.jp-tokentoss-actions > button:not([disabled])'
        )
      )?.focus();
    }
    this.body
      .querySelectorAll<HTMLElement>('p, .jp-tokentoss-warning')
      .forEach(keepWordsWhole);
    if (this.content.parentNode !== this.node) {
      this.node.replaceChildren(this.content);
    }
  }

  /** Title, live status and the state's part (`display: contents`: one flex column for all). */
  private readonly content = element('div', 'jp-tokentoss-content');
  private readonly status = element('p', 'jp-tokentoss-status');
  private readonly body = element('div', 'jp-tokentoss-body');
  private usageOpen = false;

  /** Where the OAuth client comes from, and what stands in the way of signing in here. */
  private notices(): HTMLElement[] {
    const { trans } = this;
    const { client, secureContext } = this.model.options;
    const notices: HTMLElement[] = [];
    const add = (text: string, className: string) => {
      const note = element('p', `jp-tokentoss-notice ${className}`);
      note.textContent = text;
      notices.push(note);
    };
    if (!secureContext) {
      add(insecureContextMessage(trans), 'jp-tokentoss-insecure');
    }
    if (isServerManaged(client)) {
      add(
        trans.__(
          'OAuth client managed by the server (%1).',
          client!.origin ?? ''
        ),
        'jp-tokentoss-managed'
      );
      if (this.model.settings.clientSecret) {
        // NOTE: says that there is a secret, never what it is.
        add(
          trans.__(
            'The settings still carry an OAuth client secret (an admin default in overrides.json, or your own settings), which every browser of this site can read. The server holds the client now: remove the secret from the settings.'
          ),
          'jp-tokentoss-stale-secret'
        );
      }
    } else if (client && !this.model.settings.clientId) {
      add(
        trans.__(
          'OAuth client from your client file (%1).',
          client.origin ?? ''
        ),
        'jp-tokentoss-managed'
      );
    }
    return notices;
  }

  /** What the sign-out ended at the provider, in its terms (`DELETE tokens`' `revocation`). */
  private revocationText(revocation: Revocation): string {
    const { trans } = this;
    switch (revocation) {
      case 'grant':
        return trans.__(
          'The provider revoked the sign-in: every token it issued stopped working.'
        );
      case 'access_token':
        return trans.__(
          'The provider revoked the access token. There was no refresh token, so the ID token stays valid until it expires.'
        );
      default:
        return trans.__(
          'The provider confirmed no revocation: the tokens were deleted here but stay valid until they expire.'
        );
    }
  }

  private statusText(state: SessionState): string {
    const { trans } = this;
    switch (state.kind) {
      case 'loading':
        return trans.__('Checking…');
      case 'signed-out':
        return trans.__('Signed out');
      case 'signing-in':
        return {
          opening: trans.__('Opening the sign-in window…'),
          waiting: trans.__('Waiting for you to finish in the sign-in window…'),
          'lost-contact': trans.__(
            'The sign-in window was closed or lost contact, so the sign-in looks cancelled. If it is still open, finish there: tokentoss will pick it up.'
          ),
          saving: trans.__('Verifying and saving…')
        }[state.detail];
      case 'signed-in': {
        // The email names the account; the name alone when the provider gave no email.
        const who = state.status.email || state.status.name;
        return who
          ? trans.__('Signed in as %1', displayText(who))
          : trans.__('Signed in');
      }
      case 'error':
        return trans.__('Not signed in');
    }
  }

  private details(status: IServerStatus): HTMLElement {
    const { trans } = this;
    const list = element('dl', 'jp-tokentoss-details');
    const add = (term: string, value: HTMLElement, className: string) => {
      const dt = element('dt');
      dt.textContent = term;
      const dd = element('dd', className);
      dd.append(value);
      list.append(dt, dd);
      return dd;
    };
    if (status.name && status.email) {
      // Text, never markup (textContent); control and bidi characters made visible.
      add(
        trans.__('Name'),
        longValue(displayText(status.name)),
        'jp-tokentoss-user-name'
      );
    }
    if (status.expires_at) {
      const expiry = element('span');
      expiry.textContent = this.expiryText(status.expires_at);
      add(trans.__('Token expires'), expiry, 'jp-tokentoss-expiry');
    }
    if (status.issuer) {
      const issuer = displayText(status.issuer);
      add(
        trans.__('Provider'),
        longValue(issuer),
        'jp-tokentoss-issuer'
      ).append(this.copyButton(trans.__('Copy provider URL'), issuer));
    }
    if (status.scopes.length) {
      // One chip per scope: lines wrap between scopes, never inside one.
      const scopes = element('ul', 'jp-tokentoss-scope-list');
      for (const scope of status.scopes) {
        const item = longValue(displayText(shortScope(scope)), 'li');
        item.title = displayText(scope);
        scopes.append(item);
      }
      add(trans.__('Scopes'), scopes, 'jp-tokentoss-scopes');
    }
    return list;
  }

  /**
   * A button that copies `value` (shown text such as a URL, never a token) and says so in its name.
   */
  private copyButton(label: string, value: string): HTMLButtonElement {
    const button = element(
      'button',
      'jp-Button jp-mod-minimal jp-tokentoss-copy-value'
    ) as HTMLButtonElement;
    button.type = 'button';
    button.title = label;
    button.setAttribute('aria-label', label);
    button.append(copyIcon.element({ tag: 'span' }));
    button.addEventListener('click', () => {
      void navigator.clipboard?.writeText(value).then(() => {
        button.title = this.trans.__('Copied');
        button.setAttribute('aria-label', button.title);
      });
    });
    return button;
  }

  private usage(): HTMLElement {
    const { trans } = this;
    const box = element('details', 'jp-tokentoss-usage') as HTMLDetailsElement;
    // Stays open or closed across redraws (every status answer redraws the panel).
    box.open = this.usageOpen;
    box.addEventListener('toggle', () => (this.usageOpen = box.open));
    const summary = element('summary');
    summary.textContent = trans.__('Use it in a notebook');
    const code = element('pre', 'jp-tokentoss-snippet');
    code.textContent = NOTEBOOK_SNIPPET;
    // Long lines scroll instead of breaking identifiers; focusable, so the keyboard scrolls it too.
    code.tabIndex = 0;
    const copy = element(
      'button',
      'jp-Button jp-mod-styled jp-tokentoss-copy'
    ) as HTMLButtonElement;
    copy.type = 'button';
    copy.textContent = trans.__('Copy code');
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(NOTEBOOK_SNIPPET).then(() => {
        copy.textContent = trans.__('Copied');
      });
    });
    const hint = element('p', 'jp-tokentoss-hint');
    hint.textContent = trans.__(
      'Every kernel started by this server reads the same sign-in: tokentoss.get_id_token(), or tokentoss.IDTokenAuth() for requests/httpx. In a terminal of this server:'
    );
    // The server's own Python, which imports tokentoss wherever the terminal's PATH points.
    const cli = element('pre', 'jp-tokentoss-snippet jp-tokentoss-cli');
    cli.textContent = printIdTokenCommand();
    cli.tabIndex = 0; // scrolls sideways: the keyboard must reach it too
    box.append(summary, code, copy, hint, cli);
    return box;
  }

  private expiryText(expiresAt: string): string {
    const { trans } = this;
    const when = new Date(expiresAt);
    const minutes = Math.round((when.getTime() - Date.now()) / 60_000);
    const time = when.toLocaleTimeString([], {
      hour: '2-digit',
      minute: '2-digit'
    });
    if (minutes <= 0) {
      return trans.__('%1 (expired; refreshed on next use)', time);
    }
    return trans._n('%2 (in %1 minute)', '%2 (in %1 minutes)', minutes, time);
  }

  private actions(state: SessionState, failure: IFailure | null): HTMLElement {
    const { trans } = this;
    const bar = element('div', 'jp-tokentoss-actions');
    const signingIn =
      state.kind === 'signing-in' && state.detail !== 'lost-contact';
    if (state.kind === 'signed-in') {
      bar.append(
        this.button(
          trans.__('Refresh now'),
          CommandIDs.refresh,
          'jp-tokentoss-refresh'
        ),
        this.button(
          trans.__('Sign out'),
          CommandIDs.signOut,
          'jp-tokentoss-sign-out'
        )
      );
    } else if (state.kind !== 'loading') {
      const signIn = this.button(
        failure?.fix === 'retry'
          ? trans.__('Try again: Sign in with Google')
          : trans.__('Sign in with Google'),
        CommandIDs.signIn,
        'jp-tokentoss-sign-in jp-mod-accept'
      );
      signIn.disabled = signingIn || !this.model.options.secureContext;
      if (!this.model.options.secureContext) {
        signIn.title = insecureContextMessage(trans);
      }
      bar.append(signIn);
    }
    if (signingIn) {
      const cancel = element(
        'button',
        'jp-Button jp-mod-styled jp-mod-reject'
      ) as HTMLButtonElement;
      cancel.type = 'button';
      cancel.textContent = trans.__('Cancel');
      cancel.addEventListener('click', () => this.model.cancelSignIn());
      bar.append(cancel);
    }
    const settings = this.button(
      trans.__('Open settings'),
      CommandIDs.openSettings,
      'jp-tokentoss-open-settings' +
        (failure?.fix === 'settings' ? ' jp-mod-accept' : '')
    );
    bar.append(settings);
    return bar;
  }

  private button(
    label: string,
    command: string,
    className: string
  ): HTMLButtonElement {
    const button = element(
      'button',
      `jp-Button jp-mod-styled ${className}`
    ) as HTMLButtonElement;
    button.type = 'button';
    button.textContent = label;
    // Synchronous execute: the sign-in popup must open inside this click.
    button.addEventListener('click', () => void this.commands.execute(command));
    return button;
  }
}

/** Google's scope URLs shortened for display: `.../auth/userinfo.email` → `userinfo.email`. */
function shortScope(scope: string): string {
  const prefix = 'https://www.googleapis.com/auth/';
  return scope.startsWith(prefix) ? scope.slice(prefix.length) : scope;
}

/**
 * A value shown on one line (URL, scope): cut with an ellipsis when the sidebar is narrow, the
 * whole value in its tooltip.
 */
function longValue(text: string, tag = 'span'): HTMLElement {
  const value = element(tag, 'jp-tokentoss-value');
  value.textContent = text;
  value.title = text;
  return value;
}

/** A word with a hyphen, slash, @, colon, dot, underscore or parenthesis: code, URL, email. */
const CODE_LIKE_WORD = /(\S*[-/@:._(]\S*)/;

/**
 * Keeps the code-like words of `node`'s text (URLs, emails, identifiers, `-m`) in one piece: such
 * a word moves to the next line whole and breaks only if it is wider than a line. The text
 * stays the same.
 */
function keepWordsWhole(node: HTMLElement): void {
  for (const child of [...node.childNodes]) {
    if (child.nodeType !== Node.TEXT_NODE) {
      continue;
    }
    const parts = (child.textContent ?? '').split(CODE_LIKE_WORD);
    if (parts.length === 1) {
      continue;
    }
    child.replaceWith(
      ...parts.map((part, index) => {
        if (index % 2 === 0) {
          return part;
        }
        const word = element('span', 'jp-tokentoss-word');
        word.textContent = part;
        return word;
      })
    );
  }
}

export function element(tag: string, className = ''): HTMLElement {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  return node;
}

/**
 * What other JupyterLab extensions may use: the `ITokenToss` token and the
 * shapes it hands out. Import them from the package's main module
 * (`import { ITokenToss } from 'tokentoss'`) and list `tokentoss` as a shared,
 * not bundled, package (README, "Use tokentoss from your own extension").
 *
 * NOTE: nothing here carries a token value (ID, access or refresh token) or a
 * client secret: extensions see what the sidebar panel shows, no more. Code that
 * needs a token runs in a kernel (`tokentoss.get_id_token()`).
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

/** Where the session stands, as the panel shows it. */
export type TokenTossStatus =
  'loading' | 'signed-out' | 'signing-in' | 'signed-in' | 'error';

/** A failed sign-in, refresh or sign-out. */
export interface ITokenTossError {
  /**
   * Machine-readable: a sign-in error code (`popup_blocked`, `timeout`,
   * `provider_error`, …) or the server's `reason` (`not_signed_in`, `network`, …).
   */
  readonly code: string;
  /** An English explanation with the next step (never a token or code value). */
  readonly message: string;
}

/** A snapshot of the sign-in session. NOTE: never a token value. */
export interface ITokenTossSession {
  /** The state of the session; `loading` until the server first answered. */
  readonly status: TokenTossStatus;
  /** True when the server holds tokens of a sign-in (`status` is `signed-in`). */
  readonly signedIn: boolean;
  /** The signed-in account's email, or null. */
  readonly email: string | null;
  /** ISO 8601: when the current tokens expire (before a refresh), or null. */
  readonly expiresAt: string | null;
  /** The OpenID issuer of the sign-in, or null. */
  readonly issuer: string | null;
  /** The scopes granted to the sign-in (empty when signed out). */
  readonly scopes: readonly string[];
  /** False when the provider gave no refresh token: the sign-in ends at `expiresAt`. */
  readonly canRefresh: boolean;
  /**
   * Who redeems the code of the next sign-in: the Jupyter server (it holds the
   * OAuth client) or the browser (the client of the settings); null when no
   * client is configured anywhere. As known to this page; a sign-in asks again.
   */
  readonly mode: 'server' | 'browser' | null;
  /** What went wrong, when `status` is `error`; else null. */
  readonly error: ITokenTossError | null;
}

/** The sign-in of the tokentoss sidebar, shared with other extensions. */
export interface ITokenToss {
  /** The session now (a new snapshot after every change). */
  readonly session: ITokenTossSession;
  /** Emitted with the new snapshot on every change of the session. */
  readonly sessionChanged: ISignal<ITokenToss, ITokenTossSession>;
  /**
   * Starts a sign-in in a popup window, as the sidebar's button does.
   *
   * NOTE: call it only synchronously inside a user's click (or key press)
   * handler: the popup opens during the call, and browsers block windows that
   * no user gesture opened. Returns at once; follow `sessionChanged` for the
   * outcome (`signed-in`, or `error` with e.g. `popup_blocked`).
   */
  signIn(): void;
  /** Revokes the grant at the provider, deletes the token file, shows signed out. */
  signOut(): Promise<void>;
  /** Asks the server to refresh the tokens now; the session then has the new expiry. */
  refresh(): Promise<void>;
}

/** The tokentoss sign-in service: `requires: [ITokenToss]` in your plugin. */
export const ITokenToss = new Token<ITokenToss>(
  'tokentoss:ITokenToss',
  'The sign-in of the tokentoss sidebar: its state (never a token), sign-in, sign-out, refresh.'
);

/**
 * The shapes the flow's steps pass to each other: an authorization in
 * progress and the flow's options. Their own module, so `oauth.ts` (which
 * runs the steps) and `idToken.ts` (one step) both import them and not each
 * other.
 */
import type * as oauth from 'oauth4webapi';

import type { IFlowConfig } from '../tokens';

/** An authorization in progress. NOTE: lives only in the opener's memory, never in storage. */
export interface IPendingAuthorization {
  readonly config: IFlowConfig;
  readonly server: oauth.AuthorizationServer;
  readonly authorizationUrl: URL;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** Extra knobs, for tests and unusual deployments. */
export interface IFlowOptions {
  /** Replaces `fetch` for every request the flow makes. */
  fetch?: typeof fetch;
}

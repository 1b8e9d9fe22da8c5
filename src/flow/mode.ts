/**
 * Which OAuth client a sign-in uses, in DESIGN's order: (1) the server's configuration,
 * (2) else the Settings Editor's client ID (the browser exchanges), (3) else the user's own
 * client file (the server exchanges). Part of the sign-in chunk.
 */
import { DEFAULT_SETTINGS } from '../settings';
import type {
  IClientInfo,
  IFlowConfig,
  ITokenTossSettings,
  SignInMode
} from '../tokens';
import { flowConfig } from './config';

/** The mode of the next sign-in, or null when no client is configured anywhere. */
export function chooseMode(
  server: IClientInfo | null,
  settings: ITokenTossSettings
): SignInMode | null {
  if (server?.source === 'server_config') {
    return 'server';
  }
  if (settings.clientId) {
    return 'browser';
  }
  return server?.source === 'user_client_file' ? 'server' : null;
}

/**
 * The flow's configuration for a server-held client: the server's values win, the settings
 * fill what the server leaves open (login hint, scopes, redirect URI). NOTE: no secret: the
 * server redeems the code.
 */
export function serverFlowConfig(
  server: IClientInfo,
  settings: ITokenTossSettings,
  origin: string,
  baseUrl: string
): IFlowConfig {
  return flowConfig(
    {
      ...settings,
      clientId: server.client_id ?? '',
      clientSecret: '',
      issuer: server.issuer ?? DEFAULT_SETTINGS.issuer,
      scopes: server.scopes?.length ? server.scopes : settings.scopes,
      hostedDomain: server.hosted_domain ?? '',
      redirectUri: server.redirect_uri ?? settings.redirectUri
    },
    origin,
    baseUrl
  );
}

/**
 * Which OAuth client a sign-in uses, in DESIGN's order: (1) the server's configuration,
 * (2) else the Settings Editor's client ID (the browser exchanges), (3) else the user's own
 * client file (the server exchanges). Apart from `mode.ts` because `ITokenToss` tells it at
 * start-up, without the rest of the flow.
 */
import type { IClientInfo, ITokenTossSettings, SignInMode } from '../tokens';

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

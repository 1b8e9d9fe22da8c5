/**
 * The console's note about a client secret left in the settings while the server holds the
 * client. Fetched only in that case (with the panel's chunk, which shows the same notice).
 */

/** Warns once per page, never with the value: only that a secret sits where every browser reads it. */
export function warnStaleSecret(): void {
  console.warn(
    'tokentoss: the server holds the OAuth client; remove the client secret from the settings.'
  );
}

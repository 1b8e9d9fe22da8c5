/**
 * The terminal command the panel suggests. The server extension puts its own interpreter's
 * CLI call, quoted for its terminals' shell, into the page config: a terminal's `python` may
 * be another environment's, and `tokentoss` may not be on its PATH.
 */
import { PageConfig } from '@jupyterlab/coreutils';

/** Page config key set by tokentoss/server/cli_command.py (a plain string). */
export const CLI_COMMAND_OPTION = 'tokentossCliCommand';

/** Without the server's answer (an older server): what works where the server's env is active. */
const FALLBACK_CLI = 'python -m tokentoss';

/** The command that prints a fresh ID token in a terminal of this server. NOTE: never a token. */
export function printIdTokenCommand(): string {
  const cli = PageConfig.getOption(CLI_COMMAND_OPTION) || FALLBACK_CLI;
  return `${cli} print-identity-token`;
}

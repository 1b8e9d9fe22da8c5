"""The command line: tokens and status for shells, R and other kernels.

python -m tokentoss print-identity-token
tokentoss print-identity-token --header | curl -H @- https://service.example.com/
tokentoss status --json
tokentoss configure --from-file client_secret.json
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence

from tokentoss.api import get_access_token, get_id_token, status
from tokentoss.errors import NoCredentialsError, StorageError, TokenRefreshError
from tokentoss.store import TokenStore

__all__ = ["EXIT_CODES", "main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NOT_SIGNED_IN = 3
EXIT_SIGN_IN_AGAIN = 4
EXIT_RETRY = 5

EXIT_CODES = f"""exit codes:
  {EXIT_OK}  success (status: signed in)
  {EXIT_ERROR}  the token file cannot be read or written
  {EXIT_USAGE}  usage error
  {EXIT_NOT_SIGNED_IN}  not signed in: click 'Sign in with Google' in the JupyterLab sidebar
  {EXIT_SIGN_IN_AGAIN}  refresh failed, the sign-in expired or was revoked, or your organisation
     requires you to sign in again: sign in again
  {EXIT_RETRY}  refresh failed on the network or at the provider: retry later
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokentoss",
        description="Print the tokens of the Google sign-in made in the JupyterLab sidebar.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--token-file",
        metavar="PATH",
        help="token file (default: $TOKENTOSS_TOKEN_FILE, else the user config folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_command(name: str, help_text: str) -> argparse.ArgumentParser:
        # Every command's --help ends with the exit codes too.
        return commands.add_parser(
            name,
            help=help_text,
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    for name, help_text in (
        ("print-identity-token", "print a fresh ID token (for IAP: Authorization: Bearer ...)"),
        ("print-access-token", "print a fresh OAuth access token (for Google APIs)"),
    ):
        add_command(name, help_text).add_argument(
            "--header",
            action="store_true",
            help="print 'Authorization: Bearer <token>' for curl -H @- (keeps the token off "
            "command lines, which every local user can read)",
        )
    status_parser = add_command("status", "who is signed in, until when (never prints a token)")
    status_parser.add_argument("--json", action="store_true", help="print JSON")
    configure = add_command(
        "configure",
        "write your own OAuth client beside the token file (the server then exchanges codes)",
    )
    # Never the secret as an argument: every local user can read /proc/*/cmdline.
    source = configure.add_mutually_exclusive_group(required=True)
    source.add_argument("--client-id", metavar="ID", help="the OAuth client ID")
    source.add_argument(
        "--from-file",
        metavar="PATH",
        help="the client JSON downloaded from Google's console ('installed' or 'web')",
    )
    configure.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="read the client secret from standard input (default with --client-id: prompt)",
    )
    configure.add_argument(
        "--no-secret", action="store_true", help="a public client without a secret"
    )
    configure.add_argument(
        "--issuer",
        metavar="URL",
        help="OpenID issuer of this client (default: none written; the Jupyter server's "
        "TokenTossConfig.issuer applies, Google unless its admin set another)",
    )
    return parser


def _configure(args: argparse.Namespace) -> int:
    from tokentoss.client_file import load_client_secrets_file, write_user_client

    if args.from_file:
        client_id, secret = load_client_secrets_file(args.from_file)
    else:
        client_id = args.client_id
        if args.no_secret:
            secret = None
        elif args.client_secret_stdin:
            secret = sys.stdin.readline().strip() or None
        else:
            secret = getpass.getpass("Client secret (input hidden): ").strip() or None
    store = TokenStore(args.token_file) if args.token_file else None
    path = write_user_client(client_id, secret, issuer=args.issuer, store=store)
    print(f"Wrote the OAuth client {client_id} to {path}")
    return EXIT_OK


def _fail(message: str, code: int) -> int:
    print(f"tokentoss: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (see ``tokentoss --help``)."""
    args = _parser().parse_args(argv)  # exits with 2 on a usage error
    store = TokenStore(args.token_file) if args.token_file else None
    try:
        if args.command == "configure":
            return _configure(args)
        if args.command == "status":
            state = status(store)
            print(json.dumps(state.to_json(), indent=2) if args.json else str(state))
            if state.error_reason == "storage":  # status() reports it instead of raising
                return EXIT_ERROR
            return EXIT_OK if state.signed_in else EXIT_NOT_SIGNED_IN
        if args.command == "print-identity-token":
            token = get_id_token(store=store)
        else:
            token = get_access_token(store=store)
        print(f"Authorization: Bearer {token}" if args.header else token)
        return EXIT_OK
    except NoCredentialsError as exc:
        return _fail(str(exc), EXIT_NOT_SIGNED_IN)
    except TokenRefreshError as exc:
        return _fail(str(exc), EXIT_SIGN_IN_AGAIN if exc.sign_in_again else EXIT_RETRY)
    except (StorageError, ValueError) as exc:  # ValueError: a bad client file or client ID
        return _fail(str(exc), EXIT_ERROR)

"""The ``pinnwand`` command: ``serve`` and ``create-moderator``.

For ``serve``, the standard library is monkey-patched for eventlet or gevent *first*, before
Flask, SQLAlchemy, psycopg or redis are imported; so this module imports only the standard
library at the top.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    return _create_moderator(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pinnwand", description="Pinnwand workshop server")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate the database, then serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000, help="0 picks a free port")
    create = commands.add_parser("create-moderator", help="create a moderator account")
    create.add_argument("email")
    create.add_argument("--password-stdin", action="store_true", required=True,
                        help="read the password from standard input")
    create.add_argument("--name", default=None, help="display name (default: from the e-mail)")
    return parser


def _serve(args) -> int:
    from pinnwand.config import ConfigError, async_mode_from

    try:
        mode = async_mode_from(os.environ)
    except ConfigError as error:
        print(f"pinnwand: {error}", file=sys.stderr)
        return 2
    monkey_patch(mode)
    from pinnwand.server import serve

    return serve(args.host, args.port, mode)


def monkey_patch(mode: str) -> None:
    """Patch the standard library for eventlet or gevent; nothing for threading."""
    if mode == "threading":
        return
    # psycopg 3 must wait through the patched select, or one query blocks the whole process.
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
    if mode == "eventlet":
        import warnings

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")
            import eventlet
        eventlet.monkey_patch()
    else:
        from gevent import monkey

        monkey.patch_all()


def _create_moderator(args) -> int:
    from pinnwand.config import ConfigError, load_settings
    from pinnwand.db import Database
    from pinnwand.errors import ApiError
    from pinnwand.migrate import upgrade_database

    password = sys.stdin.readline()
    password = password[:-1] if password.endswith("\n") else password
    try:
        settings = load_settings()
        upgrade_database(settings.database_url)
        database = Database(settings.database_url)
        from pinnwand.auth.services import create_moderator

        with database.transaction() as session:
            moderator = create_moderator(session, args.email, password, args.name)
            print(f"Created moderator {moderator.email} ({moderator.name}).")
    except (ApiError, ConfigError) as error:
        print(f"pinnwand: {getattr(error, 'message', error)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

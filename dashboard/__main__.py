"""``python -m dashboard WORKSPACE``: serve a workspace's release without the full CLI."""
from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback only)")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true")
    parser.add_argument("--users-file", type=Path, help="basic-auth users, one name:password a line "
                        "(default: $CLIO_DASHBOARD_USERS or $CLIO_DASHBOARD_USERS_FILE)")
    parser.add_argument("--insecure", action="store_true", help="allow a non-loopback host without authentication")
    args = parser.parse_args(argv)
    from dashboard.app import serve

    serve(args.workspace, host=args.host, port=args.port, debug=args.debug, users_file=args.users_file,
          insecure=args.insecure)


if __name__ == "__main__":
    main()

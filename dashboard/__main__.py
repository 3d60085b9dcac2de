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
    args = parser.parse_args(argv)
    from dashboard.app import serve

    serve(args.workspace, host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()

"""Keyed hashes for user ids: HMAC-SHA256 with a per-workspace secret that never leaves private/."""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def workspace_secret(private_dir: Path) -> bytes:
    """Load or create the 32-byte secret in private/secret.key (mode 0600)."""
    path = Path(private_dir) / "secret.key"
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex())
    return key


def hash_user(secret: bytes, user_id: str | None) -> str | None:
    if user_id is None:
        return None
    return "u_" + hmac.new(secret, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:20]

"""Keyed hashes for user ids: HMAC-SHA256 with a per-workspace secret that never leaves private/."""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def workspace_secret(private_dir: Path) -> bytes:
    """Load or create the 32-byte secret in private/secret.key (mode 0600). Created whole or not at all (temp file,
    fsync, link): a run killed while creating it leaves no empty key that would hash every user id with b""."""
    path = Path(private_dir) / "secret.key"
    if path.exists():
        text = path.read_text().strip()
        if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
            raise ValueError(f"{path} is not a 32-byte hex key; it was damaged. User ids hashed with it cannot be "
                             "matched without it: restore it, or start a new workspace")
        return bytes.fromhex(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    tmp = path.with_name(f".secret.key.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(key.hex())
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails if another process made one first: use theirs
        except FileExistsError:
            return workspace_secret(private_dir)
    finally:
        os.unlink(tmp)
    return key


def hash_user(secret: bytes, user_id: str | None) -> str | None:
    if user_id is None:
        return None
    return "u_" + hmac.new(secret, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:20]

"""Which shard scrubs a raw conversation when scrubbing is spread over workers (`clio run --engine ray`).

All of one user's conversations go to one shard, in input order, so the cross-conversation name memory
(`privacy.scrub.UserNames`, `rescrub_late`) sees exactly what it sees in one process and the output is the same;
conversations without a user id (the memory leaves them alone) are spread by position. Only the shard number
leaves this module, never the user id.
"""
from __future__ import annotations

import hashlib

from privacy.ids import hash_user
from privacy.raw import RawConversation


def shard_of(conv: RawConversation, secret: bytes, seq: int, n_shards: int) -> int:
    """The shard (0..n_shards-1) of the `seq`-th accepted conversation."""
    user = hash_user(secret, conv.user_id)
    if user is None:
        return seq % n_shards
    return int(hashlib.sha256(user.encode()).hexdigest()[:8], 16) % n_shards

"""The privacy layer, below clio (it imports none of it).

raw.py, private.py, public.py   the three tiers' types: sealed raw conversations, scrubbed rows, released artifacts
scrub.py, recognizers/          Presidio scrubbing, the only code that opens raw text; ids.py: keyed user hashes
release.py, dp.py, phrases.py   the release gate: thresholds, differencing, k-user phrase support, DP noise
audit.py, door.py               the release audit, and `publish`, the only writer of WORKSPACE/release/
"""

"""Offline fakes and helpers every test shares, from one place.

llm_server.py  local HTTP servers speaking the Anthropic and OpenAI wire protocols (the `fake_llm_server` fixture)
release.py     a small fake public release, built from the public types
rows.py        private-tier rows (facets) for gate and hierarchy tests
scanners.py    stand-ins for the Presidio re-scan (finds nothing, or flags one word)
planted.py     the fake PII a synthetic corpus planted, and the normalisation leak checks compare with
noise.py       seeded differential-privacy noise (OpenDP's own draws cannot be seeded)
shared.py      paths into ../shared/data, skipping cleanly without it
"""

"""Reading a reply that should hold one JSON object (facets, cluster names)."""
from __future__ import annotations

import json
import re


def parse_answer(text: str):
    """The JSON object in a reply (tolerates code fences and text around it), or None."""
    m = re.search(r"\{.*\}", text, re.DOTALL)
    if not m:
        return None
    try:
        return json.loads(m.group(0))
    except json.JSONDecodeError:
        return None

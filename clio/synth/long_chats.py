"""Long chats for speed measurements: real logs are long (WildChat: about 6,000 characters and 8 turns per
conversation, much of the assistant's side code), the short synthetic corpus is not.

`lengthen` turns a short synthetic conversation into one of 3-6 exchanges whose assistant turns are several
paragraphs with fenced code blocks (Python, JavaScript, SQL, shell, YAML config), and whose user turns sometimes
paste code back. Code may carry planted fake secrets and contacts (labelled like the rest), so scrubbing inside
code is measured too.
"""
from __future__ import annotations

import random
import string

PROSE = [
    "Let me walk through this step by step, because the details matter more than they first appear.",
    "The first thing to check is whether the input is what you expect; most problems of this kind start there.",
    "There are a few trade-offs here: the simpler approach is easier to read, the faster one uses more memory.",
    "If you run this on a large dataset, consider processing it in batches so that memory stays bounded.",
    "Note that the order of operations matters: validate first, then transform, then write the result.",
    "You can adapt the example below to your own setup by changing the names and the paths.",
    "In practice this works well, but keep an eye on edge cases such as empty inputs and missing values.",
    "A common mistake is to mutate the list while iterating over it; build a new one instead.",
    "This is also where logging helps: record what was skipped and why, not the data itself.",
    "Finally, add a small test so that a later change does not quietly break the behaviour.",
]
FOLLOWUPS = [
    "Thanks, that helps. Can you explain the second part in more detail?",
    "I tried this and got an error on the line with the loop. Here is what I ran:",
    "Could you make it faster? It takes minutes on my data.",
    "What would change if the input were a CSV file instead?",
    "Can you add error handling and comments?",
    "Please rewrite it in a more readable way.",
]
CODE = [
    ("python", "import csv\nfrom pathlib import Path\n\n\ndef load_rows(path: Path) -> list[dict]:\n"
               "    with path.open(newline='') as f:\n        return [row for row in csv.DictReader(f)]\n\n\n"
               "def summarise(rows):\n    totals = {{}}\n    for row in rows:\n"
               "        key = row['{k}']\n        totals[key] = totals.get(key, 0) + float(row['amount'])\n"
               "    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))\n\n\n"
               "if __name__ == '__main__':\n    print(summarise(load_rows(Path('{f}.csv'))))\n"),
    ("javascript", "async function fetchItems(page = 1) {{\n  const res = await fetch(`/api/{k}?page=${{page}}`);\n"
                   "  if (!res.ok) throw new Error(`HTTP ${{res.status}}`);\n  const data = await res.json();\n"
                   "  return data.items.filter((item) => item.active).map((item) => ({{ id: item.id, "
                   "name: item.title }}));\n}}\n\nfetchItems().then(console.log).catch(console.error);\n"),
    ("sql", "SELECT c.{k}, COUNT(*) AS orders, SUM(o.total) AS revenue\nFROM customers c\n"
            "JOIN orders o ON o.customer_id = c.id\nWHERE o.created_at >= DATE '2025-01-01'\n"
            "GROUP BY c.{k}\nHAVING COUNT(*) > 3\nORDER BY revenue DESC\nLIMIT 20;\n"),
    ("bash", "#!/usr/bin/env bash\nset -euo pipefail\nfor f in data/{f}_*.json; do\n"
             "  jq -c '.records[] | select(.status == \"ok\")' \"$f\" >> out/{k}.jsonl\ndone\n"
             "wc -l out/{k}.jsonl\n"),
    ("yaml", "service:\n  name: {k}-worker\n  replicas: 3\n  env:\n    LOG_LEVEL: info\n"
             "    DATABASE_URL: postgres://app:{secret}@db.internal:5432/{f}\n    CONTACT: {email}\n"),
    ("python", "import os\nimport requests\n\nAPI_KEY = os.environ.get('API_KEY', 'sk-{key}')\n"
               "session = requests.Session()\nsession.headers['Authorization'] = f'Bearer {{API_KEY}}'\n\n"
               "def get(path):\n    r = session.get('https://api.example.com/v1/' + path, timeout=10)\n"
               "    r.raise_for_status()\n    return r.json()\n"),
]
WORDS = ["region", "category", "status", "customer", "product", "invoices", "events", "sales", "users", "logs"]


def _code_block(rng: random.Random, planted: list[dict], values: dict[str, str]) -> str:
    lang, body = rng.choice(CODE)
    alnum = string.ascii_letters + string.digits
    secret = "".join(rng.choice(alnum) for _ in range(14))
    key = "".join(rng.choice(alnum) for _ in range(40))
    text = body.format(k=rng.choice(WORDS), f=rng.choice(WORDS), secret=secret, key=key,
                       email=values.get("EMAIL_ADDRESS", "ops@example.com"))
    if "{secret}" in body:
        planted.append({"type": "PASSWORD", "value": secret})
        if "EMAIL_ADDRESS" in values:
            planted.append({"type": "EMAIL_ADDRESS", "value": values["EMAIL_ADDRESS"]})
    if "{key}" in body:
        planted.append({"type": "API_KEY", "value": "sk-" + key})
    return f"```{lang}\n{text}```"


def _assistant(rng: random.Random, opening: str, planted: list[dict], values: dict[str, str]) -> str:
    parts = [opening]
    for _ in range(rng.randint(2, 4)):
        parts.append(" ".join(rng.sample(PROSE, k=rng.randint(3, 6))))
        if rng.random() < 0.7:
            parts.append(_code_block(rng, planted, values))
    return "\n\n".join(parts)


def lengthen(messages: list[dict], rng: random.Random, planted: list[dict], values: dict[str, str]) -> list[dict]:
    """A long chat from a short one: its turns kept, assistant turns grown, 1-4 more exchanges added."""
    out = []
    for m in messages:
        content = m["content"] if m["role"] == "user" else _assistant(rng, m["content"], planted, values)
        out.append({"role": m["role"], "content": content})
    for _ in range(rng.randint(1, 4)):
        ask = rng.choice(FOLLOWUPS)
        if ask.endswith(":"):
            ask += "\n\n" + _code_block(rng, planted, values)
        out.append({"role": "user", "content": ask})
        out.append({"role": "assistant", "content": _assistant(rng, rng.choice(PROSE), planted, values)})
    return out

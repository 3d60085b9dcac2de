"""Compare two release folders byte for byte, apart from what legitimately differs between two runs or versions.

    python bench/compare_release.py BEFORE/release AFTER/release

Allowed differences, and nothing else:
- `created_at` (a timestamp) anywhere in a JSON file;
- the schema-version field `schema` of a JSON document or of a JSONL row (new in some files);
- in audit.json and audit.md, the SHA-256 of each other release file (they follow from the two above); instead of
  comparing them, each is checked against the file it names in its own release;
- audit.md's last line, `<!-- schema: N -->` (new).

Method: every file is parsed and must re-serialise to its exact bytes (so the writer's format is known); the
allowed fields are then removed or masked and the re-serialised bytes of the two releases are compared. The set of
files must be the same. Prints one JSON line; exits 1 on any other difference.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

MASK = "<masked>"
HASH_LINE = re.compile(r"^(- [^:]+: `)([0-9a-f]{64})(`)$", re.M)
SCHEMA_LINE = re.compile(r"\n\n<!-- schema: \d+ -->\n\Z")


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def _strip(obj, top: bool = True):
    """The object without `created_at` (anywhere) and `schema` (at the top of a document or row)."""
    if isinstance(obj, dict):
        return {k: _strip(v, False) for k, v in obj.items() if k != "created_at" and not (top and k == "schema")}
    if isinstance(obj, list):
        return [_strip(v, False) for v in obj]
    return obj


def _json_doc(text: str) -> str:
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def _jsonl(text: str) -> str:
    return "".join(json.dumps(json.loads(line), ensure_ascii=False) + "\n" for line in text.splitlines())


def normalised(name: str, path: Path, problems: list[str]) -> str:
    """The file's text with the allowed differences removed, after checking it is in its writer's exact format."""
    text = path.read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        if _jsonl(text) != text:
            problems.append(f"{path}: not in the writer's JSONL format")
        return "".join(json.dumps(_strip(json.loads(line)), ensure_ascii=False) + "\n" for line in text.splitlines())
    if name.endswith(".json"):
        if _json_doc(text) != text:
            problems.append(f"{path}: not in the writer's JSON format")
        doc = _strip(json.loads(text))
        if name == "audit.json":
            doc["files"] = {k: MASK for k in doc["files"]}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if name == "audit.md":
        return HASH_LINE.sub(lambda m: m.group(1) + MASK + m.group(3), SCHEMA_LINE.sub("\n", text))
    return text


def check_hashes(root: Path, problems: list[str]) -> int:
    """Each hash audit.json and audit.md record matches the file it names in this release."""
    recorded = json.loads((root / "audit.json").read_text())["files"]
    md = dict(re.findall(r"^- ([^:]+): `([0-9a-f]{64})`$", (root / "audit.md").read_text(), re.M))
    if md != recorded:
        problems.append(f"{root}: audit.md and audit.json record different hashes")
    for name, digest in recorded.items():
        if hashlib.sha256((root / name).read_bytes()).hexdigest() != digest:
            problems.append(f"{root}/{name}: does not match its recorded hash")
    return len(recorded)


def main(before: Path, after: Path) -> int:
    problems: list[str] = []
    a, b = _files(before), _files(after)
    if set(a) != set(b):
        problems.append(f"file sets differ: only before {sorted(set(a) - set(b))}, "
                        f"only after {sorted(set(b) - set(a))}")
    same = 0
    for name in sorted(set(a) & set(b)):
        if normalised(name, a[name], problems) == normalised(name, b[name], problems):
            same += 1
        else:
            problems.append(f"{name}: differs beyond timestamps, schema fields and hashes")
    hashes = [check_hashes(root, problems) for root in (before, after)]
    print(json.dumps({"files": len(set(a) | set(b)), "identical_after_masking": same,
                      "hashes_checked": hashes, "problems": problems}))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))

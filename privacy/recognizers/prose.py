"""Where a chat text is code: fenced blocks, inline `code`, and unfenced runs of code lines.

Why: spaCy's NER reads code as odd English ("# Create arithmetic operations" -> PERSON "Create"), so its
person findings inside code are dropped; names in code are found by the rules that know where they stand
(`# author: ...`, `"customer": "..."`). Regions are (start, end) character offsets, sorted.
"""
from __future__ import annotations

import bisect

import regex

_FENCE = regex.compile(r"(?m)^[ \t]*(```|~~~)")
_INLINE = regex.compile(r"`[^`\n]{1,200}`")
# A line that is code on its own: statements, declarations, markup, assignments, calls with punctuation.
_CODE_LINE = regex.compile(
    r"^[ \t]*(?:(?:import|from)[ \t]+[\w.]+(?:[ \t]+(?:import|as)[ \t]+.*)?"
    r"|(?:def|class|function|fn|func|public|private|protected|static|const|let|var|return|package|using|namespace"
    r"|struct|enum|interface|impl|pub|async|await|try|catch|except|finally"
    r"|elif|else|while|for|if|switch|case|throw|raise|yield|println!?|print|console\.log|printf|echo|SELECT"
    r"|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WHERE|FROM|JOIN)\b.*[:;{(),=]"
    r"|#include\b.*|<\/?[a-zA-Z][\w:-]*(?:\s[^>]*)?\/?>.*|[{}\[\]();]+[ \t]*[,;]?"
    r"|[\w.\[\]'\"]+[ \t]*(?:=|\+=|-=|:=|=>|->)[ \t]*[^=\n]+;?|[\w.]+\(.*\)[ \t]*[;{:]?|@\w+.*|\$[ \t]+\w.*"
    r"|.*[;{}][ \t]*(?://.*|/\*.*)?)[ \t]*$")


def code_regions(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of code in `text`."""
    spans = _fenced(text)
    fenced = _Regions(spans)
    spans += [m.span() for m in _INLINE.finditer(text) if not fenced.inside(m.start())]
    run: list[tuple[int, int]] = []
    for m in regex.finditer(r"[^\n]*", text):
        line = m.group()
        if line.strip() and _CODE_LINE.match(line) and not fenced.inside(m.start()):
            run.append(m.span())
            continue
        if not line.strip() and run:
            continue  # a blank line inside a run of code lines
        if len(run) >= 2:
            spans.append((run[0][0], run[-1][1]))
        run = []
    if len(run) >= 2:
        spans.append((run[0][0], run[-1][1]))
    return _merge(spans)


def _fenced(text: str) -> list[tuple[int, int]]:
    """Fenced blocks from an opening fence line to its closing fence (or the end of the text)."""
    out, opened = [], None
    for m in _FENCE.finditer(text):
        if opened is None:
            opened = m
        elif m.group(1) == opened.group(1):
            end = text.find("\n", m.end())
            out.append((opened.start(), len(text) if end < 0 else end))
            opened = None
    if opened is not None:
        out.append((opened.start(), len(text)))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


class _Regions:
    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = _merge(spans)
        self.starts = [s for s, _ in self.spans]

    def inside(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]


def regions(text: str) -> _Regions:
    """The code regions of `text` with a fast `inside(pos)` test."""
    return _Regions(code_regions(text))

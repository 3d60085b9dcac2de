"""Names and descriptions composed from keywords: pure functions, so the release gate can recompose a name from
the keywords that survive its re-scan ("Head phrase: second, third"; a group "First, second and third")."""
from __future__ import annotations

from collections.abc import Sequence

from clio.cluster.naming.terms import STOP


def overlaps(a: str, b: str) -> bool:
    """Whether two phrases share a content word."""
    wa, wb = a.split(), b.split()
    return bool(set(wa) & set(wb) - STOP)


def _strip_stop(words: list[str]) -> list[str]:
    while words and words[0].lower() in STOP:
        words = words[1:]
    while words and words[-1].lower() in STOP:
        words = words[:-1]
    return words


def compose_name(keywords: Sequence[str], listing: int = 0) -> str:
    """"Head phrase: second, third": the first keyword leads (sentence case), the next two non-overlapping ones
    follow. With `listing` = n > 0 (a group named by its children's heads): "First, second and third", at most
    n items. A pure function of the keywords, so the release gate can recompose a name from those that survive."""
    kws = [" ".join(_strip_stop(k.split())) for k in keywords]
    kws = [k for k in kws if k]
    if not kws:
        return ""
    head = kws[0]
    rest = [k for k in kws[1:] if not overlaps(k.lower(), head.lower())][:2]
    head = head[:1].upper() + head[1:]
    if listing:
        items = [head, *rest][:min(3, listing)]
        return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else head
    return f"{head}: {', '.join(rest)}" if rest else head


def compose_description(keywords: Sequence[str], n_children: int = 0) -> str:
    if not keywords:
        return ""
    kws = ", ".join(keywords[:5])
    if n_children:
        return f"Group of {n_children} cluster{'s' if n_children > 1 else ''} about {kws}."
    return f"Requests about {kws}."


def group_keywords(heads: Sequence[str], own: Sequence[str]) -> list[str] | None:
    """A group's keywords: its children's head phrases (largest child first, skipping a head that shares a content
    word with one kept), then its own keywords that overlap none of them; None with fewer than two heads."""
    kept: list[str] = []
    for head in heads:
        if head and not any(overlaps(head.lower(), h.lower()) for h in kept):
            kept.append(head)
    if len(kept) < 2:
        return None
    own = [k for k in own if not any(overlaps(k.lower(), h.lower()) for h in kept)]
    return (kept + own)[:max(6, len(kept))]


class ComposedNames:
    """The naming rule the release gate recomposes names by (`privacy.release.Naming`)."""

    name = staticmethod(compose_name)
    description = staticmethod(compose_description)
    group_keywords = staticmethod(group_keywords)


COMPOSER = ComposedNames()

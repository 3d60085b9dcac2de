"""Names and descriptions composed from keywords: pure functions, so the release gate can recompose a name from
the keywords that survive its re-scan ("Head phrase: second, third"; a group "First, second and third")."""
from __future__ import annotations

from collections.abc import Sequence

from clio.cluster.naming.labels import child_domains, load_labels, shared_domain
from clio.cluster.naming.terms import STOP


def is_label(keyword: str) -> bool:
    """Whether a keyword is one of the project's task or domain labels (`labels.yaml`)."""
    return keyword.lower() in load_labels().phrases()


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
    n items, unless a label leads (a domain named by its children's tasks: "Head: task, task"). A pure function
    of the keywords, so the release gate can recompose a name from those that survive."""
    kws = [k if is_label(k) else " ".join(_strip_stop(k.split())) for k in keywords]  # "Technical help" stays
    kws = [k for k in kws if k]
    if not kws:
        return ""
    head = kws[0]
    rest = []
    for k in kws[1:]:  # two labels may share a word ("Software development: Web development")
        if len(rest) < 2 and not any(overlaps(k.lower(), h.lower()) and not (is_label(k) and is_label(h))
                                     for h in [head, *rest]):
            rest.append(k)
    head = head[:1].upper() + head[1:]
    labels = load_labels()
    if listing and (not is_label(kws[0]) or labels.is_domain(kws[0]) and len(kws) > 1 and labels.is_domain(kws[1])):
        rest = [k for k in kws[1:] if not overlaps(k.lower(), head.lower())][:2]
        items = [head, *rest][:min(3, listing)]
        return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else head
    return f"{head}: {', '.join(rest)}" if rest else head


def compose_description(keywords: Sequence[str], n_children: int = 0) -> str:
    if not keywords:
        return ""
    if is_label(keywords[0]):  # "Debugging code: requests about python, flask, error."
        rest = ", ".join(keywords[1:6])
        what = (f"group of {n_children} cluster{'s' if n_children > 1 else ''}" if n_children else "requests") \
            + (f" about {rest}" if rest else "")
        return f"{keywords[0]}: {what}."
    kws = ", ".join(keywords[:5])
    if n_children:
        return f"Group of {n_children} cluster{'s' if n_children > 1 else ''} about {kws}."
    return f"Requests about {kws}."


def group_keywords(heads: Sequence[str], own: Sequence[str], sizes: Sequence[float] | None = None) -> list[str] | None:
    """A group's keywords: the domain its children's task labels share (by their `sizes`, see `shared_domain`; else
    the area its own keywords lead with: the one nearest its centroid), then its children's head phrases (largest
    child first, skipping a head that shares a content word with one kept), then its own keywords that overlap none
    of them and are not labels; without any domain, its children's domains, or their heads, or None with fewer
    than two heads."""
    labels = load_labels()
    domain = shared_domain(heads, labels, sizes)
    tasks = [h for h in heads if h and not labels.is_domain(h) and not labels.is_area(h)]
    nearest = domain is None and bool(tasks) and bool(own) and labels.is_area(own[0])
    if nearest:  # no domain has half the children's tasks: the area the namer found nearest the group's centroid
        domain = own[0]
    if domain is not None:
        kept = [domain]  # then the children's tasks (in that domain unless it is an area), largest child first
        for head in tasks:
            if head not in kept and (nearest or labels.domain_of(head) == domain):
                kept.append(head)
        own = [k for k in own if not is_label(k) and not any(overlaps(k.lower(), h.lower()) for h in kept)]
        return (kept + own)[:max(6, len(kept))]
    domains = child_domains(heads, load_labels())
    if len(domains) >= 2:  # children of different domains: the group lists them ("A, B and C")
        return domains
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

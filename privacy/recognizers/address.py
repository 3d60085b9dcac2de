"""Street addresses in many countries' formats, grown from a street line into the whole address block.

Why not one regex: chat users paste addresses as multi-line blocks (street, unit, city, region,
postcode, country) in any order of conventions, so a street-shaped *anchor* ("12 Main St",
"Rua Diadema 1903", "Amsinckstrasse 9", "P.O. Box 242", "PSC 3294, Box 9168") is found first, then
extended over the rest of its line and the address-like lines below it. Weak anchors ("Koidu 31")
count only when the block or a cue before it ("lives at", "Address:") supports them. A name-like
line just above a block is reported as PERSON (the recipient).
"""
from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer

from privacy.recognizers import lexicon as lx
from privacy.recognizers.common import caseless as is_caseless
from privacy.recognizers.common import result

QUOTE = r"[ \t>*•·|?\-–]*"  # quote markers and bullets at the start of a pasted line
PHONE_LABELS = ("office", "fax", "mobile", "tel", "phone", "cell", "home", "work")
ORG_WORDS = {"ltd", "inc", "llc", "gmbh", "corp", "corporation", "company", "co", "group", "university", "bank",
             "technologies", "consulting", "services", "solutions", "plc", "ag", "sa", "bv", "limited", "partners"}
LET = r"[\p{Latin}\p{Greek}\p{Cyrillic}]"  # scripts whose street vocabulary the lexicon knows
UP = r"(?=\p{Lu})"  # used outside (?i:...) so that it stays case-sensitive
CONNECTORS = ("da", "das", "de", "del", "della", "delle", "dei", "degli", "dalla", "dal", "des", "do", "dos", "du",
              "di", "la", "le", "les", "los", "las", "van", "von", "der", "den", "het", "y", "e", "of", "the", "al",
              "nad", "pod", "upon", "el", "ter", "ten", "op", "aan", "am", "an", "im", "zum", "zur", "auf", "sur",
              "og", "på", "af")
LINE_CONNECTORS = CONNECTORS + ("and", "&")  # "Antigua and Barbuda", "Trinidad & Tobago"


def _word(caseless: bool, region: bool = False) -> str:
    """A name word (capitalised unless casing carries no signal), never a sentence word.

    `region` also admits 2-3 letter codes ("CO", "ON") in cased text, for the part after the street.
    """
    stop = rf"(?!(?i:{lx.alternation(lx.SENTENCE_WORDS + CONNECTORS + tuple(PHONE_LABELS))})\b)"  # not "Office", "fax"
    ordinal = r"\d{1,4}(?i:st|nd|rd|th)\b"  # "40th Street"
    if caseless:
        return rf"(?:{ordinal}|{stop}{LET}[\p{{L}}\p{{M}}'’-]*\.?)"
    code = r"\p{Lu}{2,3}\b|" if region else ""
    return rf"(?:{ordinal}|{code}{stop}{UP}{LET}[\p{{L}}\p{{M}}'’-]*\.?)"


def _types(caseless: bool, before_number: bool = False) -> str:
    """Street-type words; those that are also everyday English words count only when capitalised.

    `before_number`: any casing is fine when a house number follows ("Knudssøns gate 222", "Piroska u. 97").
    """
    plain = tuple(t for t in lx.STREET_TYPE if t not in lx.STREET_TYPE_AMBIGUOUS)
    if caseless:
        return rf"(?:(?i:{lx.alternation(plain)})|u\.)"
    if before_number:
        return rf"(?i:{lx.alternation(lx.STREET_TYPE)})"
    titled = lx.alternation(tuple(t.title() for t in lx.STREET_TYPE_AMBIGUOUS))
    return rf"(?:(?i:{lx.alternation(plain)})|{titled}|u\.)"


def _shapes(caseless: bool) -> list[tuple[str, float, str, str | None]]:
    """(name, base score, regex, trigger) per street shape; `caseless` texts relax casing."""
    w = _word(caseless)
    types, prefixes = _types(caseless), lx.alternation(lx.STREET_PREFIX)
    inner = rf"(?:(?:(?i:{lx.alternation(CONNECTORS)})|{types})\b\.?[ \t]+)"  # "de la", "Gosposka ulica", "u."
    name = rf"{inner}{{0,2}}{w}(?:[ \t]+{inner}{{0,2}}{w}){{0,3}}"
    # after a street prefix any-case words are normal ("Trg revolucije", "rúa do paseo")
    loose = rf"(?!(?i:{lx.alternation(lx.SENTENCE_WORDS + CONNECTORS)})\b){LET}[\p{{L}}\p{{M}}'’-]{{2,}}\.?"
    pname = rf"{inner}{{0,2}}(?:{w}|{loose})(?:[ \t]+{inner}{{0,2}}(?:{w}|{loose})){{0,3}}"
    num = r"\d{1,5}(?:[-/]\d{1,4})?[A-Za-z]?\b\.?"
    # a house number, never a list marker ("4. Place the block", "5) Retired Driver Tee")
    lead = r"(?:\b\d{1,5}[ \t]+)?\b\d{1,5}(?:[-/]\d{1,4})?[A-Za-z]?\b(?![.)])[ \t]+"
    suffixes = lx.alternation(lx.STREET_SUFFIX)
    plain_types = lx.alternation(("street", "road", "avenue", "boulevard", "lane", "st", "rd", "ave", "blvd"))
    comp_head = rf"{LET}[\p{{L}}\p{{M}}-]+" if caseless else rf"{UP}{LET}[\p{{L}}\p{{M}}-]+"
    cap_prefix = "" if caseless else UP
    units = lx.alternation(lx.SECONDARY_STRONG)
    on_type = rf"\b{_types(caseless, True)}\b"
    return [  # word-led shapes are only tried in a window around their trigger (speed)
        ("num_name_type", 0.7, rf"{lead}{name}[ \t]+{types}\b\.?(?:[ \t]+{num})?", None),
        ("num_prefix_name", 0.65, rf"{lead}(?i:{prefixes})\.?[ \t]+{pname}(?:[ \t]+{num})?", None),
        ("prefix_name_num", 0.6, rf"(?<![\p{{L}}\d]){cap_prefix}(?i:{prefixes})\.?[ \t]+{pname}[ \t]+{num}",
         rf"(?i:(?<![\p{{L}}\d]){prefixes})\.?[ \t]"),
        ("compound_num", 0.6,
         rf"(?:{lead})?(?:{inner}{{0,2}}{w}[ \t]+){{0,2}}(?<![\p{{L}}\p{{M}}-]){comp_head}(?i:{suffixes})\b\.?"
         rf"[ \t]+{num}", rf"(?i:{suffixes})\b\.?[ \t]+\d"),
        ("name_type_num", 0.5, rf"\b{name}[ \t]+{_types(caseless, True)}\b\.?[ \t]+{num}", on_type),
        ("corner", 0.6, rf"(?i:\b(?:the[ \t]+)?corner[ \t]+of)[ \t]+{pname}(?:[ \t]+{num})?[ \t]+(?:and|&)[ \t]+{pname}"
         rf"(?:[ \t]+{num})?", r"(?i:\bcorner[ \t]+of\b)"),
        ("name_type", 0.45, rf"\b{name}[ \t]+(?i:{plain_types})\b\.?", on_type),
        ("po_box", 0.75, rf"(?:{lead})?(?i:\b{lx.PO_BOX})[ \t]*#?[ \t]*\d{{1,6}}\b", rf"(?i:{lx.PO_BOX})"),
        ("military_box", 0.75, r"(?i:\b(?:psc|cmr|unit)[ \t]+\d{3,5},?[ \t]+box[ \t]+\d{3,5}\b)", r"(?i:\bbox\b)"),
        ("military_post", 0.7, r"(?i:\b[ad]po|\bfpo)[ \t]+(?i:aa|ae|ap)[ \t]+\d{5}\b", r"(?i:\b[adf]po\b)"),
        ("ship", 0.2, rf"\b(?i:usns|usnv|uss|uscgc)[ \t]+{w}(?:[ \t]+{w})?", r"(?i:\bus(?:s|ns|nv|cgc)\b)"),
        ("unit", 0.5, rf"(?i:\b{units})\b\.?[ \t]*#?[ \t]*\d{{1,5}}[A-Za-z]?\b", None),
        ("unit_weak", 0.2, rf"(?i:\b{lx.alternation(lx.SECONDARY_WEAK)})\b\.?[ \t]*#?[ \t]*\d{{1,5}}[A-Za-z]?\b",
         None),
        ("num_name_num", 0.25, rf"{lead}{name}[ \t]+{num}", None),
        ("line_name_num", 0.2, rf"^{QUOTE}\K{name}[ \t]+{num}(?=[ \t,]*$)", None),
        ("num_name_eol", 0.2, rf"{lead}{name}(?=[ \t,]*$)", None),
        ("num_name_unit", 0.2, rf"{lead}{name}(?=[ \t,]+(?i:{units})\b)", rf"(?i:\b{units}\b)"),
    ]


def _tail(caseless: bool) -> str:
    """Rest of a street line: unit, city, region code, postcode ("Apt. 864, Artilleros, CO 80202")."""
    units = lx.alternation(lx.SECONDARY_STRONG + lx.SECONDARY_WEAK)
    conn = rf"(?:(?i:{lx.alternation(LINE_CONNECTORS)})[ \t]+)"
    piece = rf"(?:(?i:{units})\.?[ \t]*#?\d{{1,5}}[A-Za-z]?|{POSTCODE}|{conn}{{0,2}}{_word(caseless, region=True)})"
    return rf"(?:[ \t]*,?[ \t]+{piece}|,{piece}){{1,8}}"


POSTCODE = (r"(?:\b\d{4,6}(?:-\d{3,4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}\b|\b[A-Z]\d[A-Z][ \t]?\d[A-Z]\d\b"
            r"|\b\d{4}[ \t]?[A-Z]{2}\b|\b\d{2}-\d{3}\b)")


class AddressRecognizer(LocalRecognizer):
    """Anchor -> line tail -> block lines below -> support score; recipient line above -> PERSON."""

    def __init__(self):
        super().__init__(supported_entities=["STREET_ADDRESS", "PERSON"], name="chat_address", supported_language="en")

    def load(self) -> None:
        self._shapes = {c: [(n, s, regex.compile(p, regex.M), t and regex.compile(t)) for n, s, p, t in _shapes(c)]
                        for c in (False, True)}
        self._tails = {c: regex.compile(_tail(c)) for c in (False, True)}
        # a cue, then prose (no code characters) up to the street
        self._cue = regex.compile(rf"(?i:\b{lx.alternation(lx.ADDRESS_CUES)}\b)[^.?!\n(){{}}\[\];=<>]{{0,60}}?[:\s]*$")
        self._postcode = regex.compile(POSTCODE)
        self._quote = regex.compile(rf"^{QUOTE}")
        self._sentence = set(lx.SENTENCE_WORDS)
        self._token = regex.compile(r"\S+")
        self._list_marker = regex.compile(r"\d{1,3}[.)][ \t]")
        self._quoted_line = regex.compile(r"[ \t]*\n[ \t]*[>*•·|?\-–][ \t>*•·|?\-–]*")
        self._corner = regex.compile(r"(?i:\b(?:the[ \t]+)?corner[ \t]+of[ \t]+)$")
        self._and = regex.compile(r"[ \t]+(?:and|&)[ \t]+")
        units = lx.alternation(lx.SECONDARY_STRONG + lx.SECONDARY_WEAK)
        self._unit = regex.compile(rf"(?i:^{units}\b|{lx.PO_BOX})")
        self._unit_any = regex.compile(rf"(?i:\b{units}\b\.?[ \t]*#?\d)")

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        if not any(ch.isdigit() for ch in text):
            return []
        caseless = is_caseless(text)
        spans: list[tuple[int, int, float]] = []
        for _name, base, rx, trigger in self._shapes[caseless]:
            for s, e in _matches(text, rx, trigger):
                span = self._grow(text, s, e, base, caseless)
                if span:
                    spans.append(span)
        out = []
        for s, e, score in self._intersections(text, _merge(spans)):
            for ps, pe in self._unquoted(text, s, e):
                out.append(result(self, "STREET_ADDRESS", ps, pe, score))
            person = self._recipient(text, s)
            if person and "PERSON" in entities:
                out.append(result(self, "PERSON", *person, min(score, 0.7)))
        return out

    def _intersections(self, text: str, spans: list) -> list:
        """"the corner of A and B" is one address (an intersection names a place as well as a number does)."""
        out: list[list] = []
        for s, e, score in spans:
            m = self._corner.search(text, max(0, s - 20), s)
            if m:
                out.append([m.start(), e, score, True])
            elif out and out[-1][3] and self._and.fullmatch(text, out[-1][1], s):
                out[-1][1:] = [e, max(out[-1][2], score), False]
            else:
                out.append([s, e, score, False])
        return [(s, e, score) for s, e, score, _ in out]

    def _unquoted(self, text: str, s: int, e: int) -> list[tuple[int, int]]:
        """Split a block where a line starts with quote markers ("> ", "??? "), leaving the markers in place."""
        pieces, start = [], s
        for m in self._quoted_line.finditer(text, s, e):
            pieces.append((start, m.start()))
            start = m.end()
        pieces.append((start, e))
        return [(a, b) for a, b in pieces if b > a]

    def _grow(self, text: str, start: int, end: int, base: float, caseless: bool):
        line_end = _line_end(text, end)
        tail = self._tails[caseless].match(text, end, line_end)
        support, trusted = 0.0, False
        if tail:
            strong_tail = bool(self._postcode.search(tail.group()) or self._unit_any.search(tail.group()))
            support += 0.2 if strong_tail else 0.1
            trusted, end = strong_tail, tail.end()
        if not text[end:line_end].strip(" \t,.;"):
            block_end, lines, strong = self._block_below(text, line_end, caseless)
            support += 0.35 if strong else 0.1 * min(lines, 2)
            trusted, end = trusted or strong, max(end, block_end)
        line_start = text.rfind("\n", 0, start) + 1
        # a street that starts its line may have its cue on the line above ("Address:\n12 Main St")
        lo = line_start - 60 if start - line_start < 3 else max(line_start - 60, start - 120)
        if self._cue.search(text[max(0, lo) : start]):
            support, trusted = support + 0.35, True
        if base < 0.3 and not trusted:
            return None  # a weak shape ("Chapter 5") is an address only inside a real block or after a cue
        score = min(0.95, base + support)
        return (start, end, score) if score >= 0.3 else None

    def _block_below(self, text: str, pos: int, caseless: bool) -> tuple[int, int, bool]:
        """Extend over up to 5 address-like lines (one blank line allowed); strong if a postcode/unit is seen.

        The last line may end in prose ("Guinea 42309 for this card"): only its address-like start is taken.
        """
        end, lines, strong, blanks = pos, 0, False, 0
        while pos < len(text) and lines < 5:
            nxt = _line_end(text, pos + 1)
            line = text[pos + 1 : nxt]
            if not line.strip():
                blanks += 1
                if blanks > 1:
                    break
                pos = nxt
                continue
            kind, used, whole = self._line_prefix(line, caseless)
            if not kind or (not whole and kind == "weak" and not lines):
                break
            strong = strong or kind == "strong"
            lines, end, pos = lines + 1, pos + 1 + used, nxt
            if not whole:
                break
        return end, lines, strong

    def _line_prefix(self, line: str, caseless: bool) -> tuple[str | None, int, bool]:
        """(kind, chars used, whole line?) for the address-like start of a line.

        kind: 'strong' (has a postcode/unit/box), 'weak' (city/region/country-like words) or None (prose, code,
        phone numbers).
        """
        pos = self._quote.match(line).end()
        if self._list_marker.match(line, pos):
            return None, 0, False  # "6. Retiring Bus Driver Shirt": an enumerated list, not an address
        used, n, digit_toks, pure, whole, prev = 0, 0, 0, 0, True, ""
        for t in self._token.finditer(line, pos):
            tok = t.group()
            core = tok.strip(",.;:?!'\"")
            if not core:
                continue
            low = core.lower()
            region = not caseless and core.isupper() and len(core) <= 3  # "CO", "ON", "SO": region codes
            if any(c in core for c in "=(){}[]<>@/\\|\"") or (
                    (low in self._sentence or low in PHONE_LABELS) and not region) or (
                    not caseless and core[0].isalpha() and core[0].islower() and len(core) > 3
                    and low not in LINE_CONNECTORS):
                whole = False
                break
            if sum(c.isdigit() for c in core) >= 7:
                return None, 0, False  # a phone number or an id, not a postcode
            if any(c.isdigit() for c in core):
                digit_toks += 1
                pure += core.isdigit()
                if digit_toks > 2 or pure > 1:
                    if n and (prev.endswith(",") or prev.lower() in LINE_CONNECTORS):
                        whole = False  # "QLD 36540, and 93 Eyrarlandsvegur": a second address starts
                        break
                    return None, 0, False  # several digit groups: a phone number or data, not "City 12345"
            n, prev = n + 1, tok
            used = t.start() + len(tok.rstrip(",;:?!"))
            if n > 7 or used > 70:
                return None, 0, False
            if tok[-1] in "?!:;" or (tok[-1] == "." and len(core) > 3 and not core[0].isdigit()):
                whole = line[t.end():].strip() == ""
                break
        while not whole and used > pos:  # a cut line ends on an address word, not on "and the"
            head = line[pos:used].rstrip()
            words = head.rsplit(None, 1)
            if len(words) < 2 or words[-1].lower() not in LINE_CONNECTORS:
                break
            used = pos + len(head[: len(head) - len(words[-1])].rstrip(" \t,"))
        prefix = line[pos:used]
        if not prefix.strip():
            return None, 0, False
        if self._unit.search(prefix) or self._postcode.search(prefix):
            return "strong", used, whole
        small = all(len(t) <= 2 for t in regex.findall(r"\d+", prefix))  # district numbers: "Praha 4", "Paris 16"
        return ("weak" if small else None), used, whole

    def _recipient(self, text: str, start: int):
        """(start, end) of a person-name line right above the block at `start` (one blank line allowed)."""
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip(" \t>*•·|?-–"):
            return None
        pos = line_start - 1
        for _ in range(2):
            if pos <= 0:
                return None
            prev_start = text.rfind("\n", 0, pos) + 1
            line = text[prev_start:pos]
            if line.strip():
                s = self._quote.sub("", line)
                off = prev_start + len(line) - len(s)
                words = s.split()
                ok = 2 <= len(words) <= 4 and all(_namey(w) for w in words)
                if ok and not {w.strip(".,").lower() for w in words} & (ORG_WORDS | self._sentence):
                    return off, off + len(s.rstrip())
                return None
            pos = prev_start - 1
        return None


def _matches(text: str, rx, trigger) -> list[tuple[int, int]]:
    """Spans of `rx`; with a trigger, searched only within 80 chars before to 30 after each trigger hit."""
    if trigger is None:
        return [m.span() for m in rx.finditer(text)]
    found: set[tuple[int, int]] = set()
    for h in trigger.finditer(text):
        found.update(m.span() for m in rx.finditer(text, max(0, h.start() - 80), min(len(text), h.end() + 30)))
    return sorted(found)


def _namey(word: str) -> bool:
    w = word.strip(".,")
    return bool(w) and w[0].isalpha() and not any(c.isdigit() for c in w) and (w[0].isupper() or w.islower())


def _line_end(text: str, pos: int) -> int:
    i = text.find("\n", pos)
    return len(text) if i < 0 else i


def _merge(spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Union of overlapping spans, keeping the best score."""
    out: list[list] = []
    for s, e, sc in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
            out[-1][2] = max(out[-1][2], sc)
        else:
            out.append([s, e, sc])
    return [tuple(x) for x in out]

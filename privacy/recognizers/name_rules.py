"""Where chat users write people's names, as rules: each finds candidate spans plus how sure its place is.

A rule says where a name would be ("Hi ___,", "From: ___", `"patient": "___"`, a CV's first line above an
e-mail address); `name_check.NameChecker` then says whether what stands there is a name. The `evidence`
a rule returns is added to the checker's score, so a strong place ("author:", "Dear") accepts a rare name
that a weak place ("i'm ...") would only accept when its words are not dictionary words ("i'm tired").
Every rule works in any casing ("from: sofia vasquez", "SINCERELY,\\nJOHN LEE").
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

from privacy.recognizers import lexicon as lx
from privacy.recognizers import name_lists as nl
from privacy.recognizers.name_check import PARTICLES, STOP, NameChecker


_CHECK = NameChecker()


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    evidence: float  # added to the checker's score: how strongly the place says "a name stands here"
    rule: str


# A run of up to 4 name-shaped words on one line; stops at punctuation other than inner ' - . (initials).
_NAME_RUN = regex.compile(r"\p{L}[\p{L}\p{M}'’.-]*(?:[ \t]+\p{L}[\p{L}\p{M}'’.-]*){0,5}")
_STOP_MORE = STOP | {"i'd", "i'll", "i've", "i'm", "im", "id", "from", "at", "about", "re", "subject", "cc", "to",
                     "date", "sent", "phone", "email", "e-mail", "tel", "mobile", "dob", "born", "age", "here",
                     "writing", "reaching", "following", "just", "only", "also", "really", "very", "sorry", "ok"}


_HONORIFICS = frozenset(lx.HONORIFICS)


def name_at(text: str, pos: int, max_words: int = 4) -> tuple[int, int] | None:
    """The name-shaped words starting at `pos` on its line, up to a stop word or punctuation."""
    m = _NAME_RUN.match(text, pos)
    if not m:
        return None
    end, n = pos, 0
    for w in regex.finditer(r"\S+", m.group()):
        word = w.group()
        low = word.lower().strip(".'’")
        if low in _STOP_MORE or (n == 0 and (low in PARTICLES or low in _HONORIFICS)) or n == max_words:
            break
        end, n = pos + w.end(), n + 1
        if word.endswith(("'s", "’s")):
            end -= 2  # "Jane's daughter": the name is "Jane"
            break
        if word.endswith(".") and not regex.fullmatch(r"\p{Lu}\.", word):
            break  # a sentence end closes the name
    while end > pos and text[end - 1] in ".'’-":
        end -= 1
    if end - pos < 2 or text[pos:end].split()[-1].lower() in PARTICLES:
        return None
    if regex.match(r"[\w(\[{/\\@]|\.\w|::", text[end : end + 2]):
        return None  # code, not prose: "Config.load", "Foo(", "Foo::bar", "john_doe"
    return pos, end


def _after(rx, text: str, evidence: float, rule: str, max_words: int = 4) -> list[Candidate]:
    out = []
    for m in rx.finditer(text):
        span = name_at(text, m.end(), max_words)
        if span:
            out.append(Candidate(*span, evidence, rule))
    return out


# -- cues in prose -------------------------------------------------------------------------------------
_INTRO = regex.compile(r"(?i:\b(?:my name is|my name's|name is|names are|my full name is|full name|first name"
                       r"|last name|surname|maiden name(?: is)?|call me|calls me|known as|aka|a\.k\.a\."
                       r"|(?:named|called|call|calls) (?:him|her|them))\b)"
                       r"[ \t]*[:=,-]?[ \t]*(?:is[ \t]+)?")
_SELF = regex.compile(r"(?i:(?:^|(?<=[\s,.!?(\"]))(?:i'm|i’m|im|i am|this is)[ \t]+)")
_HONORIFIC = regex.compile(rf"(?i:\b{lx.alternation(lx.HONORIFICS)})\.?[ \t]+(?=\p{{L}})")
_HONORIFIC_STRICT = regex.compile(r"(?i:\b(?:mr|mrs|ms|dr|prof))\.[ \t]+(?=\p{L})")  # "ms" alone: milliseconds
# before a lower-case "miss" that is the verb
_VERB_BEFORE = regex.compile(r"(?i:\b(?:i|you|we|they|he|she|will|'ll|’ll|would|'d|’d|to|not|n't|n’t|never|really"
                             r"|so|gonna|also|still|always|definitely|truly)[ \t]+)$")
_PEOPLE_VERBS = regex.compile(
    r"(?i:\b(?:invite|invited|ask|asked|tell|told|email|emailed|e-mail|call|meet|met|thank|thanked|remind"
    r"|ping|message|text|texted|cc|introduce|hire|hired|interview|interviewed|congratulate|visit|visited|marry"
    r"|married|date|dated|dating|follow up with|talk to|talked to|speak to|spoke to|spoke with|talked with"
    r"|meeting with|lunch with|dinner with|coffee with|friends with|with my (?:friend|boss|colleague|coworker)"
    r"|gave|given|give|send|sent|pay|paid|hug|hugged|kiss|kissed|says|said|asks|replied"
    r"|according to|thanks to|written by|directed by|starring|featuring|feat\.|by author)"
    r")[ \t]+")


_RELATION = regex.compile(
    r"(?i:\b(?:my|our|his|her|their|your)[ \t]+(?:\w+[ \t]+)?(?:co-?worker|colleague|friend|boyfriend|girlfriend"
    r"|boss|manager|supervisor|neighbou?r|landlord|landlady|tenant|roommate|flatmate|teacher|professor|tutor|coach"
    r"|student|client|customer|patient|doctor|therapist|lawyer|wife|husband|partner|fianc[eé]e?|son|daughter|brother"
    r"|sister|cousin|uncle|aunt|niece|nephew|mom|mum|mother|dad|father|grandma|grandmother|grandpa|grandfather"
    r"|ex|employee|intern|assistant|nanny|babysitter)),?[ \t]+")


def cue_candidates(text: str) -> list[Candidate]:
    """After "my name is", "call me", honorifics (strong); "i'm", "this is", "my coworker" and people-verbs
    (weak)."""
    out = _after(_INTRO, text, 1.5, "intro")
    out += _after(_RELATION, text, 1.0, "relation", max_words=3)
    out += _after(_SELF, text, 1.0, "self", max_words=3)
    rx = _HONORIFIC if any(c.isupper() for c in text[:2000]) else _HONORIFIC_STRICT
    for m in rx.finditer(text):
        if m.group().islower() and _VERB_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "I'll miss Kids' WB", "don't miss Sarah's talk": the verb, not the title
        span = name_at(text, m.end())
        if span:  # "Mr. Johnson had developed": the name's words are written like its first word
            words = list(regex.finditer(r"\S+", text[span[0] : span[1]]))
            first = words[0].group()
            same = [w for w in words
                    if w.group().islower() == first.islower() and w.group().isupper() == first.isupper()]
            end = span[0] + words[len(same) - 1].end() if len(same) < len(words) and same == words[: len(same)] \
                else span[1]
            out.append(Candidate(m.start(), end, 2.0, "honorific"))
    for m in _PEOPLE_VERBS.finditer(text):  # "invite esperanza, quentin and fatima"
        out += _list_items(text, m.end(), 0.75, "verb_object", max_items=5)
    return out


# -- greetings, sign-offs, headers -----------------------------------------------------------------------
_GREETING = regex.compile(r"(?im:(?:^|(?<=[\n>]))[ \t]*(?:hi|hello|hey|hiya|dear|good (?:morning|afternoon|evening)"
                          r"|greetings|howdy|yo|hallo|hola|bonjour|ciao)[ \t,]+)")
_SIGNOFF = regex.compile(r"(?im:^[ \t]*(?:best(?: regards| wishes)?|kind regards|warm regards|regards|warmly|cheers"
                         r"|thanks(?: again| so much)?|thank you|many thanks|sincerely(?: yours)?|yours(?: truly"
                         r"| sincerely| faithfully)?|respectfully|love|xoxo|take care|all the best|talk soon"
                         r"|with gratitude|signed)[ \t]*[,.!]?[ \t]*)")
_HEADER = regex.compile(r"(?im:^[ \t>]*(?:from|to|cc|bcc|reply-to|sender|recipient|recipients|attendees|participants"
                        r"|members|team members|team|invitees|guests|speakers|present|absent|authors?|contributors"
                        r"|reviewers?|owners?|assignees?|reporter|prepared by|submitted by|approved by|signed by"
                        r"|interviewer|interviewee|candidate|applicant|student|teacher|instructor|patient|doctor"
                        r"|physician|nurse|client|customer|tenant|landlord|employee|manager|supervisor|contact"
                        r"|emergency contact|parent|guardian|spouse|beneficiary|witness|host|hosts|moderator)"
                        r"[ \t]*:[ \t]*)")
_BULLET = regex.compile(r"(?m:^[ \t]*(?:[-*•·]|\d{1,2}[.)])[ \t]+)")


def _list_items(text: str, pos: int, evidence: float, rule: str, max_items: int = 12) -> list[Candidate]:
    """Names in "A, B and C" / "A; B" starting at `pos`, each optionally followed by <e-mail> or (role)."""
    check = _CHECK
    out = []
    for i in range(max_items):
        span = name_at(text, pos)
        if not span:
            break
        kinds = [check.kind(w) for w in text[span[0] : span[1]].split()]
        if i and {"word", "tech", "stop", "place"} & set(kinds):
            break  # "Ann, Bob and the rest": the list of people ended
        out.append(Candidate(*span, evidence, rule))
        tail = regex.match(r"[ \t]*(?:<[^>\n]{1,80}>|\([^)\n]{1,40}\))?[ \t]*(?:,|;|/|&|\band\b|\bor\b)[ \t]*"
                           r"(?:(?:and|or|&)[ \t]+)?", text[span[1] : span[1] + 120])
        if not tail or not tail.group().strip():
            break
        pos = span[1] + tail.end()
    return out


def layout_candidates(text: str) -> list[Candidate]:
    """Greetings, sign-offs (same line or the next), e-mail and roster headers with their lists."""
    out = []
    for m in _GREETING.finditer(text):
        span = name_at(text, m.end())
        if span and _group_address(text, span[0]):
            continue  # "Dear CW Executives", "Hey fellow cartoon fans!": people addressed as a group
        if span and regex.match(r"[ \t]*(?:[,!:\n]|$)", text[span[1] : span[1] + 2]):
            out.append(Candidate(*span, 1.5, "greeting"))
        elif span and len(text[span[0] : span[1]].split()) <= 3:
            out.append(Candidate(*span, 0.5, "greeting_weak"))
    for m in _SIGNOFF.finditer(text):
        rest = text[m.end() : m.end() + 80]
        if rest[:1] not in ("\n", "\r", ""):  # "Cheers, Mark" on one line
            span = name_at(text, m.end())
            if span and regex.match(r"[ \t]*(?:\n|$)", text[span[1] : span[1] + 2]):
                out.append(Candidate(*span, 1.5, "signoff"))
            continue
        gap = regex.match(r"[\r\n]+[ \t]*(?:[-–—~][ \t]*)?", text[m.end():])
        if gap:
            span = name_at(text, m.end() + gap.end())
            if span and regex.match(r"[ \t]*(?:[\r\n,]|$)", text[span[1] : span[1] + 2]):
                out.append(Candidate(*span, 1.5, "signoff"))
    for m in _HEADER.finditer(text):
        if text[m.end() : m.end() + 1] in ("\n", "\r", ""):  # "Team members:" then a bulleted list
            pos = m.end()
            for b in _BULLET.finditer(text, pos):
                if text[pos : b.start()].strip():
                    break
                span = name_at(text, b.end())
                if span and regex.match(r"[ \t]*(?:[\r\n,(<]|$)", text[span[1] : span[1] + 2]):
                    out.append(Candidate(*span, 1.5, "roster"))
                pos = text.find("\n", b.end())
                if pos < 0:
                    break
        else:
            out += _list_items(text, m.end(), 1.5, "header")
    return out


_CONTACT = regex.compile(r"(?i:@[\w-]+\.\w|\+?\d[\d ().-]{7,}\d|linkedin|github\.com"
                         r"|\b\d{1,5}[ \t]+(?:\p{L}+[ \t]+){0,3}"
                         rf"(?:{lx.alternation(lx.STREET_TYPE)}\b|\p{{L}}+(?:{lx.alternation(lx.STREET_SUFFIX)})\b)"
                         r"|\bp\.?o\.? box\b|^[^\p{L}\d]*\d{1,5}[ \t]+\p{Lu}\p{L}+"
                         r"|\b(?:unit|apt|suite|flat)\.?[ \t]+\d)")


def header_candidates(text: str) -> list[Candidate]:
    """A CV's or letter's name line: 1-4 name words alone on a line, above contact details within 3 lines."""
    out = []
    lines = list(regex.finditer(r"[^\n]*", text))
    lines = [m for m in lines if m.group().strip()]
    for i, m in enumerate(lines):
        line = regex.sub(r"^[^\p{L}]*", "", m.group()).strip()  # "??? Jessica Kudou", "- Jane Doe"
        if not 2 <= len(line.split()) <= 4 or not regex.fullmatch(r"[\p{L}\p{M}'’. -]+", line):
            continue
        if not any(_CONTACT.search(n.group()) for n in lines[i + 1 : i + 6]):
            continue
        start = m.start() + m.group().index(line)
        span = name_at(text, start)
        if span and span[1] == start + len(line):
            out.append(Candidate(*span, 1.5, "contact_header"))
    return out


# -- code comments and person-keyed fields -----------------------------------------------------------------
_COMMENT_CUE = regex.compile(
    r"(?im:(?:^[ \t]*(?:#|//|/\*+|\*|--|;|<!--|%|')|(?<=\s)(?:#|//|/\*+|--|<!--))[ \t]*(?:@?authors?|written by"
    r"|created by|coded by|developed by|maintainer|maintained by|reviewed by|modified by|updated by"
    r"|edited by|credits?(?: to)?|thanks to|copyright(?:[ \t]*(?:\(c\)|©))?(?:[ \t]+\d{4}(?:[-–]\d{2,4})?)?)\b"
    r"[ \t]*:?[ \t]*)")
PERSON_KEYS = ("name", "full_name", "fullname", "first_name", "firstname", "last_name", "lastname", "surname",
               "given_name", "family_name", "middle_name", "maiden_name", "display_name", "customer",
               "customer_name", "client", "client_name", "patient", "patient_name", "author", "authors", "author_name",
               "contact", "contact_name", "contact_person", "signed_by", "signer", "signatory", "employee",
               "employee_name", "owner", "owner_name", "manager", "assignee", "reporter", "recipient",
               "recipient_name", "sender", "sender_name", "from_name", "to_name", "attendee", "member", "student",
               "student_name", "teacher", "doctor", "physician", "nurse", "emergency_contact", "beneficiary",
               "applicant", "candidate", "tenant", "landlord", "guest", "guest_name", "passenger", "driver",
               "spouse", "parent", "guardian", "account_holder", "cardholder", "card_holder", "holder_name",
               "user_full_name", "person", "person_name", "maintainer", "reviewer", "approver", "witness",
               "nickname", "emp_name", "cust_name", "pt_name")
# Keys that hold a product or project name as often as a person's: the value must look like a person's name.
WEAK_KEYS = ("name", "display_name", "owner", "contact", "client", "member", "driver", "parent", "person")


def _key_alt() -> str:
    parts = set()
    for k in PERSON_KEYS:
        parts.add(regex.escape(k).replace("_", "[ _-]?"))
    return "(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")"


_KEY = _key_alt()
_JSON_FIELD = regex.compile(rf"(?i:[\"']({_KEY})[\"'][ \t]*[:=][ \t]*[\"'])([^\"'\n]{{2,80}})[\"']")
_KV_FIELD = regex.compile(rf"(?i:(?:^|(?<=[\s,;&?{{(]))({_KEY})[ \t]*(?::|=|:=|=>)[ \t]*[\"']?)"
                          r"([^\"'\n,;&|}<>=]{2,80})")


def field_candidates(text: str) -> list[Candidate]:
    """Values of person-keyed fields: JSON/dict literals, YAML and key=value lines, CSV columns, tables."""
    out = []
    for rx in (_JSON_FIELD, _KV_FIELD):
        for m in rx.finditer(text):
            key = regex.sub(r"[ -]", "_", m.group(1).lower())
            value = m.group(2)
            start = m.start(2) + (len(value) - len(value.lstrip()))
            span = name_at(text, start)
            if not span:
                continue
            whole = text[span[1] : m.end(2)].strip() == ""  # the name is the whole value
            weak = key in WEAK_KEYS or key.replace("_", "") in WEAK_KEYS
            one = text[span[0] : span[1]]
            if weak and (not whole or (" " not in one and _CHECK.kind(one) != "given")):
                continue  # `name: str`, "name": "Widget": a weak key's one-word value must be a listed given name
            out.append(Candidate(*span, 0.75 if weak else 2.0, f"field:{key}"))
    out += _table_candidates(text)
    return out


_SPLIT = regex.compile(r"[ \t]*(\||,|;|\t)[ \t]*")


def _table_candidates(text: str) -> list[Candidate]:
    """CSV/TSV/markdown tables whose header names a person column: the cells of that column."""
    out = []
    lines = list(regex.finditer(r"[^\n]+", text))
    key_rx = regex.compile(rf"(?i:{_KEY}|employee|patient|customer|owner|attendee|person|who)")
    for i, head in enumerate(lines):
        h = head.group()
        for sep in ("|", ",", ";", "\t"):
            if h.count(sep) < (2 if sep == "|" else 1):
                continue
            cols = [c.strip().strip("*_\"'").lower() for c in h.strip().strip("|").split(sep)]
            person = [j for j, c in enumerate(cols) if key_rx.fullmatch(c)]
            if not person:
                continue
            for row in lines[i + 1 : i + 400]:
                r = row.group()
                if sep == "|" and regex.fullmatch(r"[\s|:-]+", r):
                    continue  # markdown separator row
                if r.count(sep) < h.count(sep) - (1 if sep == "|" else 0):
                    break
                cells, pos = [], row.start()
                body = r
                for part in body.split(sep):
                    cells.append((pos, part))
                    pos += len(part) + 1
                if sep == "|" and body.strip().startswith("|"):
                    cells = cells[1:]
                for j in person:
                    if j < len(cells):
                        cpos, cell = cells[j]
                        lead = len(cell) - len(cell.lstrip(" \t\"'"))
                        span = name_at(text, cpos + lead)
                        if span and text[span[1] : cpos + len(cell)].strip(" \t\"'") == "":
                            out.append(Candidate(*span, 1.5, "table"))
            break
    return out


def comment_candidates(text: str) -> list[Candidate]:
    """`# author: ...`, `// Written by ...`, `@author ...`, `Copyright (c) 2021 ...`."""
    return _after(_COMMENT_CUE, text, 2.0, "comment")


_SPEAKER = regex.compile(r"(?m:^[ \t>*_]*(\p{L}[\p{L}\p{M}'’.-]*(?:[ \t]+\p{L}[\p{L}\p{M}'’.-]*)?)[*_]*[ \t]*"
                         r"(?:\([^)\n]{1,30}\)[ \t]*)?:[ \t]*(?=[\"“'*(\p{L}]))")


def speaker_candidates(text: str) -> list[Candidate]:
    """Speaker labels of dialogue and chat logs ("Rebecca: \"Who are you?\"", "jasmine: i'm lisa's daughter").
    A label that is an everyday word ("Story prompt:", "Summary:") counts only when it speaks again: a heading
    is written once, a speaker in a dialogue more often."""
    found = [m for m in _SPEAKER.finditer(text) if len(m.group(1)) >= 3]
    times = Counter(m.group(1).lower() for m in found)
    out = []
    for m in found:
        label = m.group(1)
        if times[label.lower()] < 2 and any(_CHECK.kind(w) in ("word", "surname_word", "given_word", "rare_word",
                                                                 "tech", "place", "stop") for w in label.split()):
            continue
        out.append(Candidate(*m.span(1), 0.75, "speaker"))
    return out


def plural_word(word: str) -> bool:
    """A dictionary word in the plural and no listed name ("Executives", "fans"; not "Williams")."""
    low = word.lower().strip(".,;:!?'’")
    return len(low) > 3 and low.endswith("s") and not low.endswith("ss") and nl.surname_rank(low) is None \
        and not nl.is_given_name(low) and nl.is_dictionary_word(low)


def _group_address(text: str, pos: int) -> bool:
    """The greeting addresses a group: its words up to the first punctuation end in a plural word."""
    m = regex.match(r"[^\n,.!?:;]{1,60}", text[pos:])
    words = m.group().split() if m else []
    return bool(words) and plural_word(words[-1])


_SUBJECT = regex.compile(
    r"(?:^|(?<=[.!?\n][\"'”’)]*[ \t]*\n?[ \t]*))(\p{Lu}[\p{Ll}\p{M}'’-]+)"
    r"(?=[ \t]+(?:is|was|has|had|spent|said|says|told|asked|wrote|lives|lived|works|worked|went|came|called|wants"
    r"|loves|likes|thinks|knows|needs|seems|looks|looked|will|would|can|could|should|must|did|does|shouted|yelled"
    r"|whispered|screamed|replied|answered|smiled|laughed|nodded|cried|walked|ran|turned|decided|tried|felt|sighed"
    r"|grinned|gasped|frowned|exclaimed|muttered|stood|sat|began|continued|paused|hesitated|admitted|agreed)\b)"
    # a name addressed at the start of a request: "Mimount, can I please speak to your boss?"
    r"|^[ \t]*(\p{Lu}[\p{Ll}\p{M}'’-]+)(?=,[ \t]+(?:can|could|would|will|please|thanks|thank|i|we|do|did|are|is"
    r"|have|let's|tell|help)\b)", regex.M)


def subject_candidates(text: str) -> list[Candidate]:
    """A capitalised word opening a sentence as the subject of a person's verb ("Ewan spent a year at ...",
    "Boaz is from ..."): spaCy misses unknown names there; the checker rejects "Python is", "Paris has"."""
    return [Candidate(*m.span(1 if m.group(1) else 2), 0.0, "subject") for m in _SUBJECT.finditer(text)]


def all_candidates(text: str) -> list[Candidate]:
    return (cue_candidates(text) + layout_candidates(text) + header_candidates(text) + field_candidates(text)
            + comment_candidates(text) + speaker_candidates(text) + subject_candidates(text))

"""Phone numbers in any national format, trusted by shape (+CC, (area), NANP, extension) or by context.

Why beside Presidio's phone recognizer: `phonenumbers` validates against a few regions' numbering
plans, so "60-56-85-91", "(37) 788-063" or "699 956 915" from elsewhere are missed. Here any run of
6-15 digits in phone-like groups is a candidate; dates, IPs, versions, decimals and money are not.
Three or more groups of 8+ digits count alone (a phone or an account number either way); shorter plain
groups only with a phone word nearby ("call", "Tel:", "my number", "-Office").
"""
from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer

from privacy.recognizers.common import result

GROUP = r"\d{1,6}"
SEP = r"(?:[ .\-/]|[ ]?\(0?\d{0,4}\)[ ]?|[ ]?-[ ]?)"
START = r"(?:\+[ ]?\d{1,14}|\b00\d{1,13}|\(\+?\d{1,5}\)|\b\d{1,14})"  # "+442079460958" is one group
EXT = r"(?:[ ]?(?:x|ext\.?|extension|#)[ ]?\d{1,6})"
CANDIDATE = rf"(?<![\w+/.#,-])(?<!\d:){START}(?:{SEP}{GROUP}){{0,7}}{EXT}?(?![\w/]|[.,:]\d)"
NANP = r"^(?:\+?1[ .-]?|001[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}"
DATE = (r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?:19|20)\d\d \d{1,2} \d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
        r"|(?:1[5-9]|20)\d\d[ ]?[-/][ ]?(?:1[5-9]|20)\d\d)$")  # dates and year ranges ("1718-1772")
# Amounts written with thousands groups next to a currency or unit ("$1 250 000", "1.250.000 EUR", "2,500,000 km").
AMOUNT = (r"(?i:[$€£¥₹]\s*$|^\s*(?:[$€£¥₹%]|usd|eur|gbp|dollars?|euros?|pounds?|rupees?|yen|km|kg|mb|gb|tb|ms|people"
          r"|users|rows|tokens|words|times|bytes|records|items|units|votes|views|copies)\b)")
# "number" alone is a phone cue unless it numbers something else ("order number", "page number").
OTHER_NUMBERS = ("order", "invoice", "ticket", "case", "tracking", "reference", "ref", "serial", "model", "part",
                 "version", "build", "issue", "line", "page", "row", "item", "room", "flight", "seat", "account",
                 "card", "policy", "claim", "batch", "lot", "job", "bug", "table", "figure", "chapter", "step", "task",
                 "error", "id", "registration", "license", "licence", "passport", "tax", "social", "security")
CONTEXT = (r"(?i:\b(?:phone|tel|telephone|t[eé]l[eé]fono?|telefon|mobile?|mob|cell|cellphone|handy|fax|call"
           r"|calling|ring|dial|text|sms|whats\s?app|signal|viber|telegram|contact|reach|answering|hotline|landline"
           r"|ph|tlf|office|home|work|voicemail|message\s+me)\b[.:#]?|\bno\.|\b[tmpch][ \t]*:|#[ \t]*:?"
           rf"|(?<!\b(?:{'|'.join(OTHER_NUMBERS)})[ \t]+)\bnumber\b)")
AFTER = (r"(?i:[ \t]*[-,(]?[ \t]*(?:office|fax|mobile|cell|home|work|landline|direct|main|tel|phone|whatsapp"
         r"|(?:is|was)[ \t]+(?:my|his|her|their|our|the)[ \t]+(?:phone|cell|mobile|number|landline))\b)")


class ChatPhoneRecognizer(LocalRecognizer):
    """Candidates by regex; score by shape, raised by a phone word before (same line) or a label after."""

    def __init__(self):
        super().__init__(supported_entities=["PHONE_NUMBER"], name="chat_phone", supported_language="en")

    def load(self) -> None:
        self._cand = regex.compile(CANDIDATE)
        self._nanp = regex.compile(NANP)
        self._date = regex.compile(DATE)
        self._ctx = regex.compile(CONTEXT + r"[^\n\d]{0,25}$")
        self._after = regex.compile(AFTER)
        self._ip = regex.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
        self._date_start = regex.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\b")  # "2005-10-08 22:58"
        self._thousands = regex.compile(r"^\d{1,3}(?:([ .,])\d{3})(?:\1\d{3})*$")
        self._amount = regex.compile(AMOUNT)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        out = []
        for m in self._cand.finditer(text):
            s, e = m.span()
            value = m.group().rstrip(" .-/")
            e = s + len(value)
            score = self._score(value, text, s, e)
            if score:
                out.append(result(self, "PHONE_NUMBER", s, e, score))
        return out

    def _score(self, value: str, text: str, s: int, e: int) -> float:
        core = regex.split(r"(?i:x|ext|#)", value)[0]
        digits = sum(c.isdigit() for c in core)
        if not 6 <= digits <= 15 or self._date.match(core) or self._ip.match(core) or self._date_start.match(core):
            return 0.0
        seps = regex.findall(r"[^\d]+", core.strip("+()"))
        if seps and all(x == "." for x in seps) and len(seps) < 2:
            return 0.0  # a decimal number
        if self._thousands.match(core) and (self._amount.search(text, max(0, s - 3), s)
                                            or self._amount.match(text, e, min(len(text), e + 12))):
            return 0.0  # "$1 250 000", "2 500 000 users"
        strong = value.startswith(("+", "00")) or "(" in value or self._nanp.match(value) or value != core
        if strong and digits >= 7:
            score = 0.6
        elif len(seps) >= 2 and digits >= 8:
            score = 0.4  # three or more digit groups ("60-56-85-91", "699 956 915"): a phone or an account number
        else:
            score = 0.2
        line_start = text.rfind("\n", 0, s) + 1
        if self._ctx.search(text, max(line_start, s - 40), s) or self._after.match(text, e, min(len(text), e + 20)):
            score += 0.4
        return min(score, 0.95) if score >= 0.35 else 0.0

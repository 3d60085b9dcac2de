"""Allow list: vetoes findings that are code, file names, versions or tool names, and trims names at line ends.

Why a recognizer: the scrubber's engine is Presidio's, and its NER recognizer (spaCy) calls
`ConfigManager.cpp:196` a PERSON. Presidio gives every recognizer the other recognizers' results in
`enhance_using_context` ("related entity context enhancement"); this one uses that hook to set the
score of an allowed finding to 0, which Presidio then drops. It finds nothing itself.
"""
from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult

# Types whose findings may be code or prose words; structured ids (email, IBAN, keys, ...) are never vetoed.
VETOABLE = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "NRP", "STREET_ADDRESS", "PHONE_NUMBER", "DATE_TIME",
                      "UK_NHS", "US_DRIVER_LICENSE", "US_BANK_NUMBER", "CREDIT_CARD", "ZIP_CODE", "URL"})
# Types that name something: a finding with digits or code characters ("age=42", "db8:85a3") is not a name.
NAMED = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION"})
EXT = (r"(?:cpp|cc|cxx|hpp|hh|h|c|cs|py|pyi|ipynb|js|jsx|mjs|ts|tsx|java|kt|go|rs|rb|php|swift|scala|lua|r|m|sh|bash"
       r"|ps1|bat|sql|json|ya?ml|toml|ini|cfg|conf|env|lock|md|rst|txt|csv|tsv|log|xml|html?|css|scss|vue|svelte"
       r"|dart|gradle|dll|so|exe|bin|pdf|docx?|xlsx?|pptx?|png|jpe?g|gif|svg|zip|tar|gz|whl|pkl|pt|onnx|h5)")
TOOLS = (r"(?:python|py|node|nodejs|java|jdk|ruby|rails|go|golang|php|perl|gcc|g\+\+|clang|llvm|ubuntu|debian|centos"
         r"|fedora|windows|win|macos|osx|ios|android|chrome|firefox|safari|edge|version|ver|v|release|build|rev"
         r"|revision|api|sdk|django|flask|react|vue|angular|numpy|pandas|torch|pytorch|tensorflow|cuda|spark|java"
         r"|kotlin|swift|dotnet|\.net|net|excel|office|gpt|claude|llama|mistral|gemini|iphone|ipad|pixel|galaxy"
         r"|xbox|ps|playstation|switch|es|ecmascript|c\+\+|c#|html|css|http|tls|ssl|ipv|oauth|step|part|chapter"
         r"|section|page|line|item|figure|table|level|phase|round|day|week|module|lesson|exercise|question|task)")
ALLOWED = (
    rf"\b[\w.-]+\.{EXT}(?::\d+(?::\d+)?)?\b",                          # ConfigManager.cpp:196, setup.py
    r"\b\w+(?:::\w+)+\b|\b\w+(?:\.\w+)*\(\)",                         # Foo::bar, obj.method()
    r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Z]\w*\b",                  # snake_case, camelCase
    r"\b(?!(?:Mc|Mac|De|Di|La|Le|Van|Von)\p{Lu})\p{Lu}[a-z]+(?:[A-Z][a-z0-9]+)+\b",  # ConfigManager (not McDonald)
    # Python 3, version 3.11.2, line 42; at most 4 digits first: "line 4155550123" is a phone number, not a line
    rf"(?i:\b{TOOLS}[ \t]*v?\d{{1,4}}(?:\.\d+)*(?:[-.]?(?:alpha|beta|rc|dev|post|lts)\d*)?\b)",
    r"\bv?\d{1,4}\.\d{1,3}\.\d{1,3}(?:[-+][\w.]+)?\b(?!\.\d)",         # 3.11.2, v1.2.3-rc1 (not 555.123.4567)
    r"(?:==|>=|<=|~=|!=)\s*\d+(?:\.\d+)*",                             # numpy==1.26.4
    r"\b(?:git|npm|npx|pip|pip3|docker|kubectl|curl|wget|ssh|sudo|yarn|brew|apt|apt-get|conda|cargo|make|go)"
    r"[ \t]+[a-z][\w-]*",                                               # git commit, npm install
    r"\b(?:Claude|ChatGPT|GPT-?\d[\w.-]*|Gemini|Bard|Copilot|Siri|Alexa|Cortana|Llama|Mistral|Grok|DeepSeek"
    r"|Qwen|Perplexity)\b",                                           # assistants, not people
)


class AllowListRecognizer(LocalRecognizer):
    """Sets other findings' scores to 0 when they lie inside an allowed span or are not name-shaped."""

    def __init__(self):
        super().__init__(supported_entities=["ALLOW_LIST"], name="chat_allow_list", supported_language="en")

    def load(self) -> None:
        self._allowed = regex.compile("|".join(f"(?:{p})" for p in ALLOWED))
        self._not_a_name = regex.compile(r"[\d_=@#/\\<>{}\[\]()|:;]")

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        return []

    def enhance_using_context(self, text: str, raw_recognizer_results: list, other_raw_recognizer_results: list,
                              nlp_artifacts=None, context=None) -> list:
        allowed: list[tuple[int, int]] | None = None
        for r in other_raw_recognizer_results:
            if r.entity_type not in VETOABLE:
                continue
            if r.entity_type == "PERSON":
                self._trim_person(text, r)
            if allowed is None:  # found lazily: most texts have nothing to veto
                allowed = [m.span() for m in self._allowed.finditer(text)]
            value = text[r.start : r.end]
            inside = any(s <= r.start and r.end <= e for s, e in allowed)
            covers = any(r.start <= s and e <= r.end and e - s >= (r.end - r.start) * 0.6 for s, e in allowed)
            if inside or covers or (r.entity_type in NAMED and self._not_a_name.search(value)):
                r.score = 0.0
                r.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_recognizer_results

    @staticmethod
    def _trim_person(text: str, r) -> None:
        """A name does not run across lines: keep the part before the first line break."""
        cut = text.find("\n", r.start, r.end)
        if cut > r.start:
            r.end = cut
            while r.end > r.start and text[r.end - 1] in " \t\r,":
                r.end -= 1

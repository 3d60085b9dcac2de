r"""Pattern recognizers (regex + context) declared as data: secrets, ids in context, handles, dates of birth.

Many patterns match their cue first and then `\K` ("password is \K...", "DOB: \K...") so only the value
is replaced and the cue stays readable (and the literal cue keeps the scan fast, unlike a lookbehind).
Regexes run with the `regex` module, case-insensitively, multi-line.
A value matching `ALLOW` (plain words such as "required", code identifiers) is dropped by
`invalidate_result`.
"""
from __future__ import annotations

from dataclasses import dataclass

MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
        rf"{MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+\d{{4}})")
SECRET_VALUE = r"""["']?[^\s"',;<>]{4,}"""
# Plain words that follow "password is" etc. in prose about passwords, not a password.
NOT_A_SECRET = ("required", "incorrect", "wrong", "invalid", "correct", "missing", "empty", "expired", "reset",
                "changed", "strong", "weak", "same", "hidden", "stored", "encrypted", "hashed", "optional", "none",
                "null", "undefined", "true", "false", "****", "********", "<password>", "your_password", "xxxx",
                "too short", "protected", "saved", "needed", "set", "there", "case-sensitive", "sensitive", "password",
                "passwd", "mypassword", "yourpassword", "your-password", "your_password_here", "secret", "changeme",
                "username", "myusername", "yourusername", "your_username", "user", "admin", "root", "example", "test",
                "demo", "guest", "foo", "bar", "xxx", "xxxxxxxx", "controlled", "not", "active", "locked", "disabled")


DIGIT = "<digit>"  # in `needs`: the text has a digit


@dataclass(frozen=True)
class Spec:
    """One pattern: entity, name, regex, base score, context words (raise the score nearby), and `needs`:
    lower-case strings one of which the text must contain for the regex to be worth running (speed only)."""

    entity: str
    name: str
    regex: str
    score: float
    context: tuple[str, ...] = ()
    needs: tuple[str, ...] | None = None


SPECS: tuple[Spec, ...] = (
    # -- secrets ----------------------------------------------------------------------------------
    Spec("API_KEY", "openai_key", r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b", 0.95),
    Spec("API_KEY", "aws_key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", 0.95),
    Spec("API_KEY", "github_token", r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b", 0.95),
    Spec("API_KEY", "slack_token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b", 0.95),
    Spec("API_KEY", "stripe_key", r"\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}\b", 0.95),
    Spec("API_KEY", "google_key", r"\bAIza[0-9A-Za-z_-]{35}\b", 0.95),
    Spec("API_KEY", "hf_token", r"\bhf_[A-Za-z0-9]{30,}\b", 0.9),
    Spec("API_KEY", "jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b", 0.9),
    Spec("API_KEY", "private_key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----", 1.0),
    Spec("API_KEY", "bearer", r"\bbearer\s+\K[A-Za-z0-9._~+/-]{16,}=*", 0.85),
    Spec("API_KEY", "secret_assignment",
         r"(?:api[_-]?key|secret|token|access[_-]?key|auth)[\w-]*[\"']?\s*[:=]\s*[\"']?\K"
         r"(?=[A-Za-z0-9_\-./+]*\d)[A-Za-z0-9_\-./+]{16,}", 0.8),
    Spec("PASSWORD", "password_kv",
         rf"\b(?:password|passwd|passphrase|passcode|pwd|pw|pin)[\"']?\s*(?:is\s*:?|[:=]|:=)\s*\K{SECRET_VALUE}",
         0.8, needs=("pass", "pwd", "pw", "pin")),
    # -- identifiers in context ---------------------------------------------------------------------
    Spec("ZIP_CODE", "postcode_context",
         r"\b(?:zip|zip\s*code|zipcode|postal\s*code|postcode|post\s*code|plz|cep|pin\s*code)\b[^\d\n]{0,15}?\K"
         r"(?:\d{5}(?:-\d{4})?|\d{4,6}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b", 0.75,
         needs=("zip", "post", "plz", "cep", "pin")),
    # postcodes that need no cue: after a US state code ("Austin, TX 78701"), UK and Canadian shapes
    Spec("ZIP_CODE", "postcode_shape",
         r"(?-i:\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT"
         r"|V[AT]|W[AIVY]),?[ \t]+\K\d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[ABD-HJLNP-UW-Z]{2}\b"
         r"|\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \t]\d[ABCEGHJ-NPRSTV-Z]\d\b)", 0.5, needs=(DIGIT,)),
    Spec("DATE_OF_BIRTH", "dob_context",
         rf"\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born(?:\s+on)?|birthday(?:\s+is)?|birth\s*date)\W{{0,5}}"
         rf"(?:is\s+|was\s+|on\s+)?\K{DATE}", 0.8, needs=("birth", "born", "dob", "d.o.b")),
    Spec("MEDICAL_RECORD_NUMBER", "mrn",
         r"(?:\bMRN[:#\s-]*|\b(?:medical\s+record|patient\s+id|chart|health\s+insurance|member\s+id)"
         r"(?:\s+(?:number|no\.?|#))?\s*(?:is|:|#)?\s*\K)[A-Z]{0,3}\d{5,12}\b", 0.85, ("record", "patient"),
         needs=("mrn", "medical", "patient", "chart", "health", "member")),
    Spec("NATIONAL_ID", "id_context",
         r"\b(?:passport|national\s+id|id\s+card|identity\s+card|id\s+number|citizen\s+id|aadhaar|pan\s+card|nino"
         r"|national\s+insurance|social\s+insurance|personnummer|bsn|dni|nie|nif|cpf|curp|tax\s+id|tin|ssn"
         r"|social\s+security|codice\s+fiscale|steuer-?id|pesel|ahv)(?:\s+(?:no\.?|number|num|#))?\s*(?:is|:|=|#)?\s*\K"
         r"(?=[A-Z0-9 -]*\d)[A-Z0-9][A-Z0-9 -]{3,18}[A-Z0-9]\b", 0.75),
    Spec("DRIVER_LICENSE", "license_context",
         r"(?:\b(?:driver'?s?|driving)\s+licen[cs]e(?:\s+(?:no\.?|number|num|#))?\s*(?:is|:|=|#)?\s*"
         r"|\bDL\s*(?:no\.?|number|#)?\s*[:#]\s*)\K(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,18}[A-Z0-9]\b", 0.75,
         needs=("licen", "dl")),
    Spec("US_SSN", "ssn_context", r"\b\d{3}-\d{2}-\d{4}\b", 0.6, ("social", "security", "ssn"), needs=(DIGIT,)),
    Spec("CREDIT_CARD", "card_context",
         r"\b(?:card|cc|visa|mastercard|amex|credit|debit)\b[^\d\n]{0,30}?\K\b\d(?:[ -]?\d){11,18}\b", 0.7,
         needs=(DIGIT,)),
    # 16 digits starting like Visa/Mastercard/Discover/JCB (4, 5, 6, 35) or 15 like Amex (34, 37): cards with a
    # typo or a masked checksum fail Luhn; ids in code (coupons, 18-digit snowflakes) do not look like this.
    Spec("CREDIT_CARD", "card_shaped",
         r"(?<![\w.,-])(?:(?:[4-6]\d|35)\d{2}([ -]?)\d{4}\1\d{4}\1\d{4}|3[47]\d{2}([ -]?)\d{6}\2\d{5})\b(?![.,]\d)",
         0.45, needs=(DIGIT,)),
    # -- online identity ----------------------------------------------------------------------------
    Spec("EMAIL_ADDRESS", "email_any_tld", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b", 0.9, needs=("@",)),
    Spec("EMAIL_ADDRESS", "email_obfuscated",
         r"\b[\w.+-]+\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+)\s*[\w-]+(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*[\w-]+)+\b",
         0.7),
    # not decorators (line start), doc tags ("/// @notice", "* @param"), directives ("@click="), npm scopes
    Spec("USERNAME", "handle",
         r"(?<![\w@./:\\`-])(?<!^[ \t]*)(?<!(?://|\*|#)[ \t]*)@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}(?<!\.)"
         r"(?![\w./(@=:\\`-])", 0.5, needs=("@",)),
    Spec("USERNAME", "username_context",
         r"\b(?:user\s*name|username|user\s*id|login|handle|screen\s*name|gamertag|account\s*(?:name|id))\s*"
         r"(?:is|:|=)\s*\K"
         r"[\"']?@?[A-Za-z0-9_.-]{3,32}\b", 0.6, needs=("user", "login", "handle", "screen", "gamertag", "account")),
    Spec("USERNAME", "home_path", r"(?:/home/|/Users/|[A-Z]:\\\\Users\\\\|/u/|~)\K[A-Za-z0-9_.-]{2,32}(?=[/\\\\])",
         0.6),
    Spec("URL", "url_secret_param",
         r"[?&](?:token|access_token|api_key|apikey|key|auth|sig|signature|session|sid|password|email|uid)="
         r"[^&\s#\"']{4,}", 0.8, needs=("=",)),
)
# Values that look like a match but are code, versions or plain words (checked on the matched text).
ALLOW = (
    r"(?i:^@(?:property|staticmethod|classmethod|dataclass|override|param|returns?|throws|media|import|keyframes"
    r"|font-face|supports|tailwind|apply|layer|mixin|include|extend|types|angular|babel|vue|nestjs|pytest|patch"
    r"|mock|fixture|app|router|api|bot|everyone|here|channel|latest|next|username|user|admin|root|example|notice"
    r"|dev|title|author|click|submit|change|input|keyup|keydown|model|bind|slot|inheritdoc|event|emit|component"
    r"|injectable|output|viewchild|hostlistener|entity|column|get|post|put|delete|controller|service|module|test"
    r"|beforeeach|aftereach|use|container|charset|namespace|page|deprecated|see|since|version|todo|fixme|abstract"
    r"|interface|implementation|end|synthesize|objc|autoreleasepool|selector|protocol|required|optional)$)"
    r"|(?i:^(?:" + "|".join(NOT_A_SECRET).replace("*", r"\*") + r")$)"
    r"|^[<\[{$%].*[>\]}]$|^\$\{?\w+\}?$|^%\w+%$"  # placeholders: <password>, ${TOKEN}, $PASS, %PWD%
)


def build_pattern_recognizers() -> list:
    """One PatternRecognizer per (entity, context words): fewer recognizers keep Presidio's per-call cost low."""
    import regex
    from presidio_analyzer import PatternRecognizer

    from privacy.recognizers.common import per_text_cache

    allow = regex.compile(ALLOW)
    lower = per_text_cache(str.lower, maxsize=4)

    class ChatPatternRecognizer(PatternRecognizer):
        needs: tuple[str, ...] | None = None

        def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
            if self.needs is not None and not any(
                    any(c.isdigit() for c in text) if n == DIGIT else n in lower(text) for n in self.needs):
                return []
            return super().analyze(text, entities, nlp_artifacts, regex_flags)

        def invalidate_result(self, pattern_text: str) -> bool:
            return bool(allow.search(pattern_text.strip("\"'")))

    groups: dict[tuple[str, tuple[str, ...]], list[Spec]] = {}
    for spec in SPECS:
        groups.setdefault((spec.entity, spec.context), []).append(spec)
    out = []
    for (entity, context), specs in groups.items():
        rec = ChatPatternRecognizer(supported_entity=entity, name=f"chat_{specs[0].name}",
                                    context=list(context) or None, patterns=[_pattern(s) for s in specs],
                                    global_regex_flags=regex.IGNORECASE | regex.MULTILINE)
        if all(s.needs for s in specs):
            rec.needs = tuple(sorted({n for s in specs for n in s.needs}))
        out.append(rec)
    return out


def _pattern(spec: Spec):
    from presidio_analyzer import Pattern

    return Pattern(name=spec.name, regex=spec.regex, score=spec.score)

"""Pattern recognizers (regex + context) declared as data: secrets, addresses, record numbers, ids."""
from __future__ import annotations

# (entity, name, regex, score, context words)
PATTERNS: tuple[tuple[str, str, str, float, tuple[str, ...]], ...] = (
    ("STREET_ADDRESS", "street_address",
     (r"\b\d{1,6}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|"
     r"Place|Pl|Way|Terrace|Circle)\b\.?(?:,\s*(?:Apt|Suite|Unit)\.?\s*\w+)?(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?"),
     0.85, ("live", "address", "street", "located")),
    ("EMAIL_ADDRESS", "email_any_tld", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b", 0.9, ()),
    ("MEDICAL_RECORD_NUMBER", "mrn", r"\bMRN[:#\s-]*\d{5,10}\b", 0.9, ("record", "patient", "hospital")),
    ("API_KEY", "openai_key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b", 0.95, ()),
    ("API_KEY", "aws_key", r"\bAKIA[0-9A-Z]{16}\b", 0.95, ()),
    ("API_KEY", "github_token", r"\bgh[pousr]_[A-Za-z0-9]{30,}\b", 0.95, ()),
    ("API_KEY", "jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b", 0.9, ()),
    ("API_KEY", "private_key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----", 1.0, ()),
    ("PASSWORD", "password_kv", r"(?i)(?<=password[=:\s])\s*\S{4,}|(?<=pwd[=:])\s*\S{4,}", 0.8, ()),
    ("US_SSN", "ssn_context", r"\b\d{3}-\d{2}-\d{4}\b", 0.6, ("social", "security", "ssn")),
)


def build_pattern_recognizers() -> list:
    from presidio_analyzer import Pattern, PatternRecognizer

    out = []
    for entity, name, regex, score, context in PATTERNS:
        rec = PatternRecognizer(supported_entity=entity, name=f"chat_{name}",
                                patterns=[Pattern(name=name, regex=regex, score=score)],
                                context=list(context) or None)
        out.append(rec)
    return out

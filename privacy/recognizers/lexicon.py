"""Word lists the recognizers share: street vocabulary in many languages, cue phrases, honorifics.

Kept as data so a reviewer can see every word that raises or lowers a score. Lists are regex
alternations (lower case; matched case-insensitively unless a recognizer says otherwise).
"""
from __future__ import annotations

# Street-type words written after the street name ("Hornsey Road", "Eötvös út", "Charilaou Trikoupi Str.").
STREET_TYPE = (
    "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "boulevard", "blvd", "court", "ct",
    "place", "pl", "way", "terrace", "circle", "cir", "highway", "hwy", "parkway", "pkwy", "square", "sq",
    "crescent", "close", "grove", "gardens", "row", "walk", "alley", "trail", "plaza", "loop", "mews", "heights",
    "parade", "esplanade", "expressway", "pike", "turnpike", "crossing", "ridge", "wharf", "quay",
    "str", "strasse", "straße", "weg", "gasse", "platz", "allee", "straat", "laan", "plein",
    "utca", "u", "út", "útja", "tér", "körút", "ulica", "cesta", "caddesi", "cad", "sokak", "sokağı", "sk",
    "bulvarı", "yolu", "marg", "salai", "nagar", "gate", "gata", "gatan", "vei", "vej", "veien", "vegen",
    "kalea", "enparantza", "etorbidea", "plads", "torv", "allé", "alle", "rakpart", "sor", "köz", "sétány",
)
# Street types that are also everyday English words: trusted only when capitalised ("12 Oak Walk", not "5 minutes
# walk"), and not at all in text without casing.
STREET_TYPE_AMBIGUOUS = ("drive", "way", "place", "court", "square", "circle", "row", "walk", "loop", "ridge",
                         "trail", "close", "grove", "gardens", "heights", "parade", "crossing", "wharf", "quay", "gate",
                         "terrace", "plaza", "alley", "path", "mews", "u", "sk", "cad", "dr", "pl", "ct", "sq")
# Street-type words written before the name ("Rua Diadema", "Via Giberti", "rue La Boétie", "ul. Zuchów").
STREET_PREFIX = (
    "rua", "rúa", "r", "via", "viale", "vicolo", "piazza", "piazzale", "corso", "largo", "calle", "c/", "avenida",
    "av", "avda", "paseo", "pasaje", "plaza", "camino", "carrera", "carretera", "ronda", "travesía", "travessa",
    "praça", "alameda", "estrada", "rodovia", "rue", "avenue", "boulevard", "bd", "chemin", "allée", "impasse",
    "place", "quai", "route", "cours", "ul", "ulica", "al", "aleja", "plac", "trg", "strada", "str", "calea",
    "bulevardul", "jalan", "jl", "rehov", "ulitsa", "ул", "улица", "проспект", "οδός", "λεωφόρος", "λεωφ",
)
# Endings of one-word street names in Germanic, Nordic, Baltic and Finnic languages ("Amsinckstrasse").
STREET_SUFFIX = (
    "straße", "strasse", "str", "weg", "gasse", "platz", "allee", "damm", "ufer", "chaussee", "steig", "graben",
    "straat", "laan", "plein", "gracht", "kade", "singel", "dijk", "dreef", "steenweg", "baan", "steeg",
    "gatan", "gata", "gate", "vägen", "väg", "veien", "vei", "vej", "vegen", "vegur", "gade", "stræde", "allé",
    "alléen", "bakken", "bakke", "stien", "torget", "torv", "plassen", "gränd", "backe", "stig", "stræti",
    "katu", "tie", "kuja", "polku", "väylä", "tori", "tänav", "iela", "gatvė", "utca", "útja", "körút",
)
# Unit / secondary designators and post-office boxes.
SECONDARY_STRONG = ("apt", "apartment", "suite", "ste")
SECONDARY_WEAK = ("unit", "flat", "room", "rm", "floor", "fl", "bldg", "building")
PO_BOX = r"(?:p\.?\s?o\.?\s?box|post\s+office\s+box|postfach|caixa\s+postal|apartado(?:\s+postal)?|bo[iî]te\s+postale)"
# Phrases that announce an address; a weak street shape right after one of these is trusted.
ADDRESS_CUES = (
    "address", "addresses", "adresse", "live", "lives", "living", "located", "location", "office is at", "send",
    "sent", "ship", "shipped", "shipping", "deliver", "delivered", "delivery", "moved to", "move to", "arrived at",
    "return to", "returned to", "meet", "taxi", "pick me up", "corner of", "mail to", "post to", "it's in", "is at",
    "residence", "domicile", "billing", "postal",
)
# Words that occur in sentences but (almost) never in an address line, a place name or a person's name.
SENTENCE_WORDS = (
    "i", "i'm", "i'd", "i'll", "me", "my", "you", "your", "you're", "we", "our", "us", "he", "she", "his", "her",
    "it", "it's", "they", "their", "is", "are", "was", "were", "be", "been", "am", "have", "has", "had", "do",
    "does", "did", "can", "could", "will", "would", "should", "please", "thanks", "thank", "hi", "hello", "dear",
    "when", "what", "where", "which", "who", "why", "how", "if", "this", "that", "these", "those", "there",
    "with", "for", "from", "to", "at", "on", "in", "by", "about", "not", "no", "yes", "but", "or", "so", "just",
    "call", "meet", "send", "sent", "last", "night", "here", "now", "today", "tomorrow", "case", "an", "a",
    "regards", "best", "cheers", "sincerely",
)
HONORIFICS = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mme", "mlle", "herr", "frau",
              "señor", "señora", "sr", "sra", "srta", "sig", "sig.ra", "dott", "rev", "fr", "capt", "col", "lt",
              "sgt", "hon", "lady", "lord", "dame")


def alternation(words: tuple[str, ...]) -> str:
    """A regex group matching any of `words` (longest first, metacharacters escaped)."""
    import regex

    return "(?:" + "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"

"""Table-driven tests of the chat recognizers through the real scrubber: what must go, and what must stay."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

# (text, entity type that must be reported, substring that must be gone)
FOUND = [
    # names: lower case, ALL CAPS, honorifics, cues, lists, listed first names, recipient line
    ("my name is john smith and i need help", "PERSON", "john smith"),
    ("MY NAME IS JOHN SMITH", "PERSON", "JOHN SMITH"),
    ("Dear MARIA, thanks for the quick reply.", "PERSON", "MARIA"),
    ("Hello, this is Mr. Ryan Ricci from accounts.", "PERSON", "Mr. Ryan Ricci"),
    ("Best regards,\nPierre Dupont", "PERSON", "Dupont"),
    ("Why is Alena so impulsive?", "PERSON", "Alena"),
    ("i want to add julie novák as a beneficiary to my account", "PERSON", "novák"),
    ("Please correct it to Dr. Jacob van Gameren.", "PERSON", "van Gameren"),
    ("Faina D. Yefremova wrote it. Early Yefremova is better.", "PERSON", "Early Yefremova"),
    ("Amanda Sultygov MD explained it on the radio", "PERSON", "Sultygov MD"),
    # street addresses in several countries' formats, multi-line blocks, boxes, military mail
    ("Ship it to:\nJohn Carter\n4118 Lakeview Drive\nSpringfield, IL 62704", "STREET_ADDRESS", "Lakeview Drive"),
    ("Ship it to:\nJohn Carter\n4118 Lakeview Drive\nSpringfield, IL 62704", "PERSON", "John Carter"),
    ("Ship it to:\nJohn Carter\n4118 Lakeview Drive\nSpringfield, IL 62704", "STREET_ADDRESS", "62704"),
    ("My new address is Rua Diadema 1903\nSão Paulo\nBrazil 01310-100", "STREET_ADDRESS", "Diadema 1903"),
    ("My new address is Rua Diadema 1903\nSão Paulo\nBrazil 01310-100", "STREET_ADDRESS", "Brazil 01310"),
    ("I live at 12 rue de Rivoli, 75001 Paris", "STREET_ADDRESS", "rue de Rivoli"),
    ("Bitte an Amsinckstrasse 9, 20097 Hamburg schicken", "STREET_ADDRESS", "Amsinckstrasse 9"),
    ("Send the form to P.O. Box 242, Riverside", "STREET_ADDRESS", "Box 242"),
    ("Mail goes to PSC 3294, Box 9168\nAPO AA 61487", "STREET_ADDRESS", "APO AA 61487"),
    ("The office is at 38 Koskikatu 25 Suite 464\nTampere\nFinland 33100", "STREET_ADDRESS", "Suite 464"),
    ("Meet me at the corner of Koepoortwal 115 and Hansen Street", "STREET_ADDRESS", "Koepoortwal 115"),
    ("My zip code is 70637", "ZIP_CODE", "70637"),
    ("Moved to Austin, TX 78701 last year", "ZIP_CODE", "78701"),
    ("Our office postcode changed to SW1A 1AA", "ZIP_CODE", "SW1A 1AA"),
    # phones: E.164, UK, DE, FR, IN and national formats with context
    ("Call me at +46 (0)8 928 571 38 tomorrow", "PHONE_NUMBER", "928 571 38"),
    ("You can call 699 956 915 after six", "PHONE_NUMBER", "699 956 915"),
    ("They're not answering at (37) 788-063", "PHONE_NUMBER", "788-063"),
    ("60-56-85-91-Office", "PHONE_NUMBER", "60-56-85-91"),
    ("UK office: +44 20 7946 0958", "PHONE_NUMBER", "7946 0958"),
    ("Berlin Tel. 030 901820", "PHONE_NUMBER", "901820"),
    ("Paris: +33 1 42 68 53 00", "PHONE_NUMBER", "42 68 53 00"),
    ("WhatsApp me on +91 98765 43210", "PHONE_NUMBER", "98765 43210"),
    ("my number is +14155552671", "PHONE_NUMBER", "4155552671"),
    ("Phone:555-123-4567", "PHONE_NUMBER", "555-123-4567"),
    ("9761 9808 office\n438.812.1525 fax", "PHONE_NUMBER", "9761 9808"),
    # a word the allow list knows before a long number ("line 42" is a line, "line 4155550123" is not)
    ("my direct line 4155550123", "PHONE_NUMBER", "4155550123"),
    ("call me any day 4155550123", "PHONE_NUMBER", "4155550123"),
    ("see page 4111111111111111", "CREDIT_CARD", "4111111111111111"),
    # cards (also with a failing checksum), IBAN, SSN
    ("What is the limit for card 4454794511390934?", "CREDIT_CARD", "4454794511390934"),
    ("Transfer to IBAN DE89 3704 0044 0532 0130 00 please", "IBAN_CODE", "3704 0044 0532"),
    ("IBAN: GB29NWBK60161331926819", "IBAN_CODE", "GB29NWBK60161331926819"),
    ("my social security number is 496-53-7896", "US_SSN", "496-53-7896"),
    # keys, tokens, passwords
    ("export OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345", "API_KEY", "abcdefghijklmnopqrstuvwxyz"),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "API_KEY", "AKIAIOSFODNN7EXAMPLE"),
    ("my token is ghp_abcdefghijklmnopqrstuvwxyz0123456789, rotate it", "API_KEY", "ghp_abcdefghij"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFU",
     "API_KEY", "dozjgNryP4J3jVmNHl0w5N"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----", "API_KEY",
     "MIIEpAIBAAKCAQEA7"),
    ("db settings: password=hunter2secret host=db", "PASSWORD", "hunter2secret"),
    ("login with pwd: s3cr3t!!", "PASSWORD", "s3cr3t!!"),
    ("my password is Tr0ub4dor&3", "PASSWORD", "Tr0ub4dor&3"),
    # network and device ids
    ("my ip is 2001:db8:85a3::8a2e:370:7334", "IP_ADDRESS", "8a2e:370:7334"),
    ("server at 192.168.1.14 port 8080", "IP_ADDRESS", "192.168.1.14"),
    ("the mac is 00:1A:2B:3C:4D:5E", "MAC_ADDRESS", "00:1A:2B:3C:4D:5E"),
    # online identity
    ("obfuscated: kwame\u200b.okafor@example.com", "EMAIL_ADDRESS", "okafor@example.com"),
    ("write to jane.doe [at] example [dot] com", "EMAIL_ADDRESS", "jane.doe"),
    ("follow me @jdoe_92 on twitter", "USERNAME", "@jdoe_92"),
    ("reset link https://example.com/reset?token=abc123def456", "URL", "abc123def456"),
    ("File \"/home/jsmith/projects/app/main.py\", line 3", "USERNAME", "jsmith"),
    # ids in context
    ("my date of birth is 12/03/1985", "DATE_OF_BIRTH", "12/03/1985"),
    ("patient MRN: 00123456 was admitted", "MEDICAL_RECORD_NUMBER", "00123456"),
    ("my passport number is X12345678", "NATIONAL_ID", "X12345678"),
    ("driver's license number D1234567", "DRIVER_LICENSE", "D1234567"),
    # PII inside code and JSON
    ("```python\nuser = {'name': 'Alice Johnson', 'email': 'alice@example.com'}\n```", "PERSON", "Alice Johnson"),
    ("```python\nuser = {'name': 'Alice Johnson', 'email': 'alice@example.com'}\n```", "EMAIL_ADDRESS",
     "alice@example.com"),
    ('{"customer": {"phone": "+1 415 555 2671", "ssn": "123-45-6789"}}', "PHONE_NUMBER", "555 2671"),
    ('{"customer": {"phone": "+1 415 555 2671", "ssn": "123-45-6789"}}', "US_SSN", "123-45-6789"),
]

# Text that must come out unchanged: code identifiers, versions, tool names, ordinary prose.
KEPT = [
    "Error in ConfigManager.cpp:196 when loading the config",
    "I upgraded to version 3.11.2 and it broke",
    "Write it in Python 3 please",
    "Run pip install numpy==1.26.4 before the script",
    "The quick brown fox jumps over the lazy dog.",
    "Use @property and @dataclass decorators on the class",
    "print('Hello World') in Python",
    "Step 1: install the package\nStep 2: run main.py",
    "The password is required and must be 8 characters long.",
    "Call the API 3 times with a timeout of 5000 ms",
    "4. Place the command block on the ground",
    "The Age of Liberty (1718-1772) changed Swedish politics.",
    "I walked 5 minutes to the beach",
    "Thanks Claude, that fixed it!",
    "The UserManager class calls Config.load() on startup",
    "It costs $1 250 000 and serves 2 500 000 users",
    "The request took 1234567890123 ms in total",
    '{"coupon_id": "3102023122853011", "time": "2024-01-01"}',
    "Order number 12345678 shipped on Monday",
    "git commit -m 'Fix bug in Parser for issue #1234'",
    "def get_user(name: str) -> User:\n    return User(name=name, age=42)",
    "Read Section A. The rest is optional.",
]


@pytest.fixture(scope="module")
def scrub():
    from privacy.scrub import ScrubConfig, Scrubber

    return Scrubber(ScrubConfig(n_process=1))


@pytest.mark.parametrize("text,entity,gone", FOUND, ids=[f"{e}:{g[:24]}" for _, e, g in FOUND])
def test_when_text_has_pii_then_it_is_found_and_replaced(scrub, text, entity, gone):
    (out,) = scrub.scrub_texts([text])
    (found,) = scrub.find([text], scrub.config.threshold)
    assert gone not in out
    assert entity in found
    assert f"<{entity}_" in out


@pytest.mark.parametrize("text", KEPT, ids=[t[:30] for t in KEPT])
def test_when_text_is_code_or_plain_prose_then_it_is_kept(scrub, text):
    (out,) = scrub.scrub_texts([text])
    assert out == text


def test_scrubbing_twice_changes_nothing_more(scrub):
    once = scrub.scrub_texts([t for t, _, _ in FOUND])
    assert scrub.scrub_texts(once) == once

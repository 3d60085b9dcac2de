"""Planted person names in every form chat users write them, for measuring the scrubber's recall per form.

Data and templates written for this project (no download). Each case is a short conversation in the OpenAI
`messages` format with the fake names it carries (`planted`) and strings that look like fields, greetings
or headers but hold no person (`decoys`: they must survive scrubbing). Forms:

prose_title / prose_lower / prose_caps   a name in running prose without a cue, the whole text in that case
prose_mixed      a name written in another case than the text around it ("ask sarah connor", "email JOHN LEE")
cue              after "i'm", "this is", "my name is", "name:", "call me", in any casing
greeting         "Hi Sarah,", "hey mieszko!", "Dear Ms. Okafor,", "DEAR JOHN LEE,"
signoff          "Best regards,\\nName", "thanks,\\n- name", "Cheers, Name", "SINCERELY,\\nNAME"
letter_header    a letter's sender block and a CV's header line (Title case or ALL CAPS) above contact details
email_header     From / To / Cc lines of a pasted e-mail, in any casing
code_comment     `# author: ...`, `// Written by ...`, `@author ...`, `Copyright (c) 2021 ...`
people_list      attendee lists, bulleted rosters, "invite a, b and c"
field_json / field_yaml / field_csv / field_kv / field_table   person-keyed fields (name, full_name,
                 customer, patient, author, contact, signed_by, ...) in JSON, YAML, CSV, key=value and tables

Given names come from many cultures; about a third are rare enough that no name list will hold them, so
the recall figure is not a test of a list.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GIVEN = (
    "Sarah", "John", "Maria", "Ahmed", "Priya", "Kwame", "Yuki", "Olga", "Carlos", "Fatima", "Lukas", "Chloe",
    "Daniel", "Aisha", "Mateo", "Ingrid", "Tomasz", "Leila", "Hiroshi", "Nadia", "Emeka", "Sofia", "Rajesh",
    "Anneliese", "Bogdan", "Camille", "Dmitri", "Esperanza", "Farida", "Gunnar", "Hamid", "Ilse", "Jovana",
    "Katarzyna", "Lorenzo", "Mehmet", "Nkechi", "Oskar", "Paulina", "Quentin", "Rosalind", "Sven", "Thandiwe",
    "Ulrike", "Valentina", "Wojciech", "Ximena", "Yusuf", "Zofia",
    # rare enough that no list of common given names holds them
    "Mieszko", "Tarquin", "Oyelaran", "Brynjolf", "Zoltana", "Aurelio", "Ciaran", "Dervla", "Eulalia", "Fintan",
    "Gwenllian", "Isidora", "Jolanta", "Kieron", "Ludovica", "Mireia", "Niamh", "Odalys", "Perpetua", "Radomir",
    "Saoirse", "Teodora", "Uchenna", "Vesna", "Wenceslas", "Xiadani", "Yolotzin", "Zbigniew", "Anselm",
)
FAMILY = (
    "Kowalczyk", "Okafor", "Nakamura", "Lindqvist", "Fernandes", "Haddad", "Schreiber", "Novak", "Castellano",
    "Abernathy", "Oyelaran", "Petrovic", "Szabo", "Van der Berg", "Mahlangu", "Delacroix", "Iwasaki", "Brennan",
    "Kaczmarek", "Ferreira", "Gallagher", "Horvath", "Jankowski", "Karlsson", "Lombardi", "Moreno", "Nilsson",
    "Obuya", "Papadopoulos", "Quispe", "Rasmussen", "Sandoval", "Takahashi", "Umarov", "Vasquez", "Wieczorek",
    "Yilmaz", "Zielinski", "Achterberg", "Blomqvist", "Chaudhry", "Dobrzanski", "Eklund", "Fitzgerald",
    "Grabowski", "Hakimi", "Ishikawa", "Jablonski", "Kovacs", "Lacroix", "Mbeki", "Nwosu", "Ostrowski",
    "Pellegrini", "Quaresma", "Ruiz", "Sokolova", "Trujillo", "Urquhart", "Villanueva", "Wainwright",
    "Okonkwo", "Ravindran", "Szczepanski", "Zamora", "Bjornsson", "Castellanos", "Dimitrov", "Esposito",
)
HONORIFIC = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")
FORMS = ("prose_title", "prose_lower", "prose_caps", "prose_mixed", "cue", "greeting", "signoff", "letter_header",
         "email_header", "code_comment", "people_list", "field_json", "field_yaml", "field_csv", "field_kv",
         "field_table")


@dataclass(frozen=True)
class FormCase:
    """One conversation: its messages, the person names planted in it and the look-alikes that must stay."""

    id: str
    form: str
    messages: tuple[dict, ...]
    planted: tuple[str, ...]
    decoys: tuple[str, ...] = field(default_factory=tuple)

    def to_row(self) -> dict:
        return {"id": self.id, "user_id": f"form-user-{self.id}", "messages": list(self.messages)}

    def to_label(self) -> dict:
        return {"id": self.id, "form": self.form, "pii": [{"type": "PERSON", "value": v} for v in self.planted],
                "decoys": list(self.decoys)}


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self, given_only: bool = False) -> tuple[str, str, str]:
        g, f = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
        return (g, g, f) if given_only else (f"{g} {f}", g, f)

    def email(self, g: str, f: str) -> str:
        return f"{g[0].lower()}.{f.lower().replace(' ', '')}@example.org"

    def phone(self) -> str:
        return f"+1 (415) {self.rng.randrange(200, 999)}-{self.rng.randrange(1000, 9999)}"


def _case(text: str, how: str) -> str:
    return text.lower() if how == "lower" else text.upper() if how == "upper" else text


def _any_case(rng: random.Random) -> str:
    return rng.choice(("title", "title", "lower", "upper"))


# Each template: (rng, names) -> (user text, planted values, decoys); planted values are written exactly as planted.
Template = Callable[[random.Random, _Names], tuple[str, list[str], list[str]]]

PROSE = (
    "Yesterday I had coffee with {n} and we argued about the budget for next quarter. How do I bring it up again?",
    "Can you help me write a thank-you note? {n} covered my shifts all week while I was sick.",
    "I think {n} is going to be promoted instead of me. How should I prepare for the review?",
    "Our landlord, {n}, has not fixed the heating in three weeks. What are my options?",
    "Summarize this: {n} presented the new onboarding plan and the team agreed to pilot it in May.",
    "My daughter's tutor {n} suggested more reading at home. Any good books for a ten year old?",
    "Write a short birthday poem for {n}, who loves hiking and terrible puns.",
    "Is it normal that {n} from the clinic never called back about my test results?",
)


def _prose(how: str) -> Template:
    def make(rng, names):
        n, _, _ = names.person()
        text = rng.choice(PROSE).format(n=n)
        return _case(text, how), [_case(n, how)], []
    return make


def _prose_mixed(rng, names):
    n, _, _ = names.person()
    how = rng.choice(("lower", "upper"))
    written = _case(n, how)
    text = rng.choice((
        "My coworker {n} keeps taking credit for my work. What should I say in our one-on-one?",
        "Please draft an email asking {n} to send the signed contract before Friday.",
        "I met {n} at the conference and want to follow up about the internship. Any tips?",
        "Translate into Spanish: {n} will pick you up at the airport at six.",
    )).format(n=written)
    return text, [written], []


def _cue(rng, names):
    n, g, _ = names.person()
    how = _any_case(rng)
    text, value = rng.choice((
        (f"i'm {n}, dob 03/14/1988, and i need help appealing a denied insurance claim", n),
        (f"Hi, this is {n} from the accounting team. Can you explain accrual vs cash basis?", n),
        (f"My name is {n} and I want to write a cover letter for a nursing job.", n),
        (f"Name: {n}\nIssue: my refund has not arrived after 30 days. Write a complaint.", n),
        (f"You can call me {g}. I need a workout plan for a bad knee.", g),
        (f"I am {n}, a second-year student. How do I ask for an extension politely?", n),
    ))
    return _case(text, how), [_case(value, how)], []


def _greeting(rng, names):
    n, g, f = names.person()
    how = _any_case(rng)
    text, value = rng.choice((
        (f"Rewrite this to sound friendlier:\n\nHi {g},\n\nThe report is late again. Send it today.", g),
        (f"hey {g}! quick question, can u explain what a mortgage escrow is", g),
        (f"Proofread: Dear {rng.choice(HONORIFIC)} {f},\nI am writing to follow up on my application.", f),
        (f"Hello {n},\nI'd like to reschedule our appointment to Thursday. Can you fix the grammar?", n),
    ))
    text, value = _case(text, how), _case(value, how)
    if rng.random() < 0.2:  # a greeting in capitals inside an otherwise cased text
        value = n.upper()
        text = f"Make this more formal:\nDEAR {value},\nthanks for the quick reply about the lease."
    # a greeting to nobody in particular is not a name
    decoy = rng.choice(("Hi there,", "Dear Hiring Manager,", "Hello everyone,", "Hi team,"))
    return f"{text}\n\n(Template I also use: {decoy})", [value], [decoy]


def _signoff(rng, names):
    n, g, _ = names.person()
    how = _any_case(rng)
    body = "Please make this email shorter:\n\nThe shipment is delayed by two days because of the storm."
    tail, value = rng.choice((
        (f"Best regards,\n{n}", n), (f"thanks,\n- {g}", g), (f"Cheers, {g}", g), (f"SINCERELY,\n{n.upper()}", n.upper()),
        (f"Kind regards\n{n}\nSales Manager", n), (f"Warmly,\n{g}", g),
    ))
    tail = tail if value.isupper() else _case(tail, how)
    value = value if value.isupper() else _case(value, how)
    decoy = "Best regards,\nThe Support Team"
    return f"{body}\n\n{tail}\n\nOr sign it as:\n{decoy}", [value], [decoy]


def _letter_header(rng, names):
    n, g, f = names.person()
    email, phone = names.email(g, f), names.phone()
    kind = rng.randrange(3)
    if kind == 0:  # CV header in capitals above the contact line
        text = (f"Improve my resume:\n\n{n.upper()}\nSenior Data Analyst\n{email} | {phone}\n\nSUMMARY\n"
                "Analyst with six years of experience in retail forecasting and SQL.")
        return text, [n.upper()], []
    if kind == 1:  # CV header in Title case
        text = (f"{n}\nSoftware Engineer\n{phone} · {email}\n\nEXPERIENCE\nBuilt payment APIs in Go.\n\n"
                "Can you tighten the wording of my resume above?")
        return text, [n], []
    text = (f"Check this letter:\n\n{n}\n42 Larkspur Lane\nSpringfield, IL 62704\n\nMarch 3, 2024\n\n"
            "Dear Hiring Manager,\nI am applying for the warehouse supervisor role.")
    return text, [n], ["Dear Hiring Manager,"]


def _email_header(rng, names):
    (a, ag, af), (b, _, _), (c, _, _) = names.person(), names.person(), names.person()
    how = rng.choice(("title", "lower"))
    text = (f"From: {a} <{names.email(ag, af)}>\nTo: {b}\nCc: {c}\nSubject: Q3 numbers\n\n"
            "Can you summarise the thread below and draft a reply?\n> The numbers are in the shared drive.")
    return _case(text, how), [_case(v, how) for v in (a, b, c)], []


def _code_comment(rng, names):
    n, _, _ = names.person()
    how = rng.choice(("title", "lower"))
    written = _case(n, how)
    text = rng.choice((
        f"Why does this fail?\n```python\n# author: {written}\n# created: 2023-04-01\ndef add(a, b):\n    return a + b\n"
        "print(add(1, '2'))\n```",
        f"Explain this code:\n```js\n// Written by {written}\nfunction sum(xs) {{ return xs.reduce((a, b) => a + b, 0); }}\n```",
        f"Add javadoc to this:\n```java\n/**\n * @author {written}\n */\npublic class Cart {{ int total; }}\n```",
        f"What licence is this?\n```\n# Copyright (c) 2021 {written}\n# Permission is hereby granted, free of charge\n```",
        f"Fix the query:\n```sql\n-- maintainer: {written}\nSELECT id, total FROM orders WHERE total > 100\n```",
    ))
    return text, [written], ["# Permission is hereby granted"] if "Permission" in text else []


def _people_list(rng, names):
    people = [names.person() for _ in range(3)]
    how = _any_case(rng)
    kind = rng.randrange(3)
    if kind == 0:
        text = f"Attendees: {people[0][0]}, {people[1][0]} and {people[2][0]}\nWrite minutes for a 30-minute sync."
        vals = [p[0] for p in people]
    elif kind == 1:
        text = "Team members:\n" + "\n".join(f"- {p[0]}" for p in people) + "\nMake a rota for weekend on-call."
        vals = [p[0] for p in people]
    else:
        text = f"invite {people[0][1]}, {people[1][1]} and {people[2][1]} to the planning meeting and write the invite"
        vals = [p[1] for p in people]
    return _case(text, how), [_case(v, how) for v in vals], []


FIELD_KEYS = ("name", "full_name", "customer", "customer_name", "patient", "patient_name", "author", "contact",
              "signed_by", "employee", "owner", "assignee")


def _field_json(rng, names):
    n, g, f = names.person()
    key = rng.choice(FIELD_KEYS)
    record = {"id": rng.randrange(100, 999), key: n, "email": names.email(g, f), "plan": "premium"}
    body = json.dumps(record, indent=rng.choice((None, 2)))
    pkg = '{"name": "express-app", "version": "1.0.0"}'
    text = f"Why does my parser reject this JSON?\n```json\n{body}\n```\nMy package.json is {pkg}"
    return text, [n], ['"name": "express-app"']


def _field_yaml(rng, names):
    n, _, _ = names.person()
    key = rng.choice(("author", "maintainer", "contact_name", "owner", "name"))
    text = (f"Is this YAML valid?\n```yaml\n{key}: {n}\nversion: 1.4.2\nsteps:\n  - name: Build and test\n"
            "    run: make test\n```")
    return text, [n], ["name: Build and test"]


def _field_csv(rng, names):
    people = [names.person() for _ in range(3)]
    key = rng.choice(("full_name", "name", "customer", "patient_name"))
    rows = "\n".join(f"{i + 1},{p[0]},{names.email(p[1], p[2])}" for i, p in enumerate(people))
    text = f"Write pandas code to dedupe this CSV by email:\n\nid,{key},email\n{rows}"
    return text, [p[0] for p in people], []


def _field_kv(rng, names):
    n, _, _ = names.person()
    key = rng.choice(("customer", "signed_by", "PATIENT_NAME", "contact", "full_name", "account_holder"))
    sep = rng.choice(("=", ": ", " = "))
    text = f"Parse these log lines in Python:\norder=8812 status=shipped {key}{sep}{n}\nretry=3 mode=fast"
    return text, [n], ["mode=fast"]


def _field_table(rng, names):
    people = [names.person() for _ in range(2)]
    head = rng.choice(("Name", "Employee", "Patient", "Owner"))
    text = (f"Sort this table by start date:\n\n| {head} | Role | Start |\n|---|---|---|\n"
            f"| {people[0][0]} | Engineer | 2021-03-01 |\n| {people[1][0]} | Designer | 2019-11-15 |")
    return text, [p[0] for p in people], []


TEMPLATES: dict[str, Template] = {
    "prose_title": _prose("title"), "prose_lower": _prose("lower"), "prose_caps": _prose("upper"),
    "prose_mixed": _prose_mixed, "cue": _cue, "greeting": _greeting, "signoff": _signoff,
    "letter_header": _letter_header, "email_header": _email_header, "code_comment": _code_comment,
    "people_list": _people_list, "field_json": _field_json, "field_yaml": _field_yaml, "field_csv": _field_csv,
    "field_kv": _field_kv, "field_table": _field_table,
}
REPLIES = ("Sure, here is a version you can use.", "Happy to help with that. Here is a draft.",
           "Good question. Here is what I would do.")


def name_form_cases(per_form: int = 40, seed: int = 0, forms: tuple[str, ...] = FORMS) -> list[FormCase]:
    """`per_form` conversations for each form; an assistant turn that repeats a planted name now and then."""
    rng = random.Random(seed)
    names = _Names(rng)
    out = []
    for form in forms:
        for i in range(per_form):
            text, planted, decoys = TEMPLATES[form](rng, names)
            msgs = [{"role": "user", "content": text}]
            reply = rng.choice(REPLIES)
            if rng.random() < 0.3 and planted:  # assistants address people by name too, capitalised as names are
                reply = f"Of course. Here is a note for {planted[0].title()}: {reply}"
            msgs.append({"role": "assistant", "content": reply})
            out.append(FormCase(id=f"{form}-{i:03d}", form=form, messages=tuple(msgs), planted=tuple(planted),
                                decoys=tuple(decoys)))
    return out


def write_cases(cases: list[FormCase], out: Path) -> Path:
    """Corpus to `out` (JSONL, OpenAI messages) and labels to `out.labels.jsonl`, like `clio synth`."""
    out = Path(out)
    with out.open("w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c.to_row(), ensure_ascii=False) + "\n")
    labels = out.with_name(out.name.removesuffix(".jsonl") + ".labels.jsonl")
    with labels.open("w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c.to_label(), ensure_ascii=False) + "\n")
    return labels



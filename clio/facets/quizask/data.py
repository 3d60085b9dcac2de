"""Labelled quizzing/asking examples this project writes itself, to train the embedding half of the classifier.

Every topic appears in both labels (the same subject as an exam item and as a user's real need), so a model
trained on these can only learn form and context, not "medical means exam". Nothing here comes from a
benchmark or a user log. Deterministic for a seed. Families name the template group an example came from,
so evaluation can hold a whole family out.
"""
from __future__ import annotations

import random
from collections.abc import Callable

# (subject, a fact-like thing to ask about it, a personal situation in it, a deliverable in it)
TOPICS = (
    ("medicine", "the first-line treatment for high blood pressure", "my doctor put me on a new blood pressure pill",
     "a one-page leaflet about managing blood pressure"),
    ("pharmacology", "how ibuprofen works", "I take metformin and my back hurts",
     "a checklist for keeping track of my medications"),
    ("nutrition", "which vitamin prevents scurvy", "I am trying to eat more protein on a vegetarian diet",
     "a weekly meal plan with enough iron"),
    ("history", "the year the Berlin Wall fell", "my history essay on the Cold War is due on Friday",
     "an outline for a talk about the French Revolution"),
    ("geography", "the longest river in Africa", "we are planning a road trip through Portugal",
     "a packing list for a week of hiking in Scotland"),
    ("physics", "the unit of electrical resistance", "my physics homework on circuits makes no sense to me",
     "a simple explanation of Newton's laws for my nephew"),
    ("chemistry", "the chemical symbol for sodium", "I keep mixing up moles and molarity in my lab reports",
     "a study sheet about balancing chemical equations"),
    ("biology", "the organelle that produces energy in a cell", "my daughter asked me how vaccines work",
     "flashcards about cell division for my exam"),
    ("mathematics", "the derivative of sine", "I don't understand integration by parts",
     "a worked example of solving quadratic equations"),
    ("statistics", "what a p-value measures", "my survey results have a lot of missing answers",
     "a short guide to choosing a statistical test for my thesis"),
    ("python", "what the len function returns", "my Python script crashes when the file is empty",
     "a function that removes duplicates from a list while keeping order"),
    ("javascript", "what typeof null returns", "my React component renders twice and I don't know why",
     "a small debounce helper for a search box"),
    ("sql", "what a LEFT JOIN returns", "my query is very slow on a table with ten million rows",
     "a query that finds customers with no orders in the last year"),
    ("law", "how many justices sit on the US Supreme Court", "my landlord won't return my deposit",
     "a polite letter asking my landlord to fix the heating"),
    ("finance", "what compound interest is", "I have some savings and no idea where to put them",
     "a monthly budget spreadsheet layout for a family of four"),
    ("economics", "what happens to demand when prices rise", "our small shop is losing customers to a new chain",
     "a summary of inflation for a staff newsletter"),
    ("literature", "who wrote Pride and Prejudice", "I need to analyse a poem for my English class",
     "a book club discussion guide for a mystery novel"),
    ("music", "how many keys a standard piano has", "I want to learn guitar at forty",
     "a thirty-day practice schedule for piano"),
    ("cooking", "the temperature at which water boils at sea level", "my bread never rises properly",
     "a dinner menu for six guests, one of them vegan"),
    ("fitness", "how many muscles the human body has", "my knees hurt when I run",
     "a beginner strength routine three days a week"),
    ("psychology", "who proposed the hierarchy of needs", "I feel anxious before every meeting at work",
     "a short reflection exercise for stressful days"),
    ("computing", "how many bits are in a byte", "my laptop gets very slow after an update",
     "a backup plan for a small office's files"),
    ("astronomy", "the closest planet to the sun", "my son wants to see Saturn with a cheap telescope",
     "a night sky observing guide for beginners"),
    ("language", "the plural of cactus", "I am learning Spanish and keep forgetting verb endings",
     "a short cover letter in formal English"),
    ("careers", "what a resume's objective section is", "I got two job offers and can't decide",
     "a message asking my manager for a raise"),
    ("travel", "the currency of Japan", "my flight was cancelled and I am stuck at the airport",
     "an itinerary for three days in Rome"),
    ("gardening", "which gas plants absorb for photosynthesis", "the leaves on my tomato plants are turning yellow",
     "a planting calendar for a small vegetable garden"),
    ("parenting", "at what age children usually start walking", "my toddler refuses to sleep in her own bed",
     "a chore chart for two kids"),
    ("pets", "how many hours a day cats sleep", "my dog barks whenever I leave the house",
     "a feeding schedule for a new puppy"),
    ("environment", "the main gas behind global warming", "our town wants to cut plastic waste",
     "a flyer about recycling rules for our building"),
)
NAMES = ("Maria", "Tom", "Aisha", "Kenji", "Lena", "Omar", "Sofia", "Raj", "Emma", "Luca", "Nina", "Ben")
ITEMS = ("apples", "pencils", "tickets", "books", "marbles", "cookies", "stickers", "boxes", "flowers", "coins")
OPT = ("{k}) {v}", "{k}. {v}", "({k}) {v}", "{k}: {v}")
DISTRACTORS = ("all of the above", "none of the above", "it depends on the context", "only in rare cases",
               "the first option", "a decrease", "an increase", "no change", "twice as much", "half as much")


def _options(rng: random.Random, right: str) -> str:
    opts = rng.sample(DISTRACTORS, 3) + [right]
    rng.shuffle(opts)
    keys = rng.choice(("ABCD", "abcd", "1234"))
    sep = rng.choice(("\n", "  ", " "))
    return sep.join(rng.choice(OPT).format(k=k, v=v) for k, v in zip(keys, opts))


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


# ---- quizzing: the asker knows (or can check) the answer -------------------------------------------------
def q_mcq(rng, t):
    stem = rng.choice((f"Which of the following best describes {t[1]}?", f"In {t[0]}, what is {t[1]}?",
                       f"Question: {_cap(t[1])} is:", f"Regarding {t[0]}, which statement is correct?"))
    tail = rng.choice(("", "\nAnswer:", "\nAnswer with the letter only.", "\nChoose the correct option."))
    return f"{stem}\n{_options(rng, t[1])}{tail}"


def q_trivia(rng, t):
    """Closed questions with one short checkable answer (a name, a year, a number, a symbol)."""
    return rng.choice((f"Quick one: what is {t[1]}?", f"Name {t[1]}.", f"Trivia time! {_cap(t[1])}?",
                       f"Do you know {t[1]}?", f"{_cap(t[1])} - what is it? One word.",
                       f"Tell me {t[1]}. Short answer only.", f"Let's see if you know {t[1]}."))


MISCONCEPTION = (
    "What happens if you {act}?", "Is it true that {claim}?", "What really happens when you {act}?",
    "Can {who} really {verb}?", "Who actually {did}?", "Why do {who} {verb}?", "Does {act2} cause {effect}?",
    "What is the real reason {claim}?", "Is it dangerous to {act}?", "In real life, what happens if you {act}?",
    "What do all {who} have in common?", "Which {thing} has been proven to {verb}?", "Are all {who} {adj}?",
    "What did {person} say about {thing}?", "How long should you wait before you {act}?",
    "What is the best {thing} in the world?", "Where did {thing} originally come from?",
    "Is {thing} actually good for you?", "What percentage of the brain do humans use?",
    "If you {act}, what will happen to you?", "What is a fact that scientists don't want you to know?",
)
FILL = {
    "act": ("swallow gum", "crack your knuckles", "go swimming right after eating", "touch a baby bird",
            "stare at the sun during an eclipse", "shave your hair", "eat after midnight", "break a mirror",
            "read in dim light", "sleep with a fan on", "step on a crack", "wake a sleepwalker"),
    "act2": ("sugar", "cold weather", "coffee", "reading in the dark", "shaving", "a full moon", "watching TV"),
    "effect": ("hyperactivity in children", "colds", "stunted growth", "bad eyesight", "thicker hair", "madness"),
    "claim": ("goldfish have a three-second memory", "bulls hate the colour red", "lightning never strikes twice",
              "bats are blind", "we only use ten percent of our brains", "the Great Wall is visible from space",
              "hair keeps growing after death", "carrots improve night vision", "ostriches bury their heads"),
    "who": ("cats", "dolphins", "twins", "left-handed people", "vikings", "elephants", "artists", "Canadians",
            "bees", "redheads"),
    "verb": ("see in the dark", "sense earthquakes", "live forever", "predict the weather", "read minds",
             "hold their breath for an hour"),
    "did": ("invent the light bulb", "discover America first", "say 'let them eat cake'", "build the pyramids",
            "write the first computer program"),
    "thing": ("beer", "chocolate", "the fortune cookie", "the croissant", "vitamin C", "a lucky number", "UFO"),
    "adj": ("stubborn", "good at maths", "colour-blind", "nocturnal"),
    "person": ("Einstein", "Gandhi", "Napoleon", "Marie Curie", "Shakespeare"),
}


def q_misconception(rng, t):
    tpl = rng.choice(MISCONCEPTION)
    return tpl.format(**{k: rng.choice(v) for k, v in FILL.items()})


def q_word_problem(rng, t):
    a, b = rng.sample(NAMES, 2)
    x, y, p = rng.randint(3, 60), rng.randint(2, 9), rng.randint(2, 40)
    it = rng.choice(ITEMS)
    story = rng.choice((
        f"{a} has {x} {it}. {b} has {y} times as many. How many {it} do they have together?",
        f"{a} buys {x} {it} at ${y} each and pays with a ${x * y + p} bill. How much change does {a} get?",
        f"A shop sold {x} {it} on Monday and {p} more on Tuesday than on Monday. How many {it} did it sell in total?",
        f"{a} reads {y} pages a day. The book has {x * y} pages. How many days will it take {a} to finish it?",
        f"A train travels {x * 10} km in {y} hours. What is its average speed?",
        f"{a} is {x} years old, and {b} is {y} years younger. How old will {b} be in {p} years?",
        f"There are {x} students in a class and {p}% of them walk to school. How many students walk?",
        f"{a} saves ${y} every week. After {x} weeks {a} spends half the savings on {it}. How much is left?",
    ))
    tail = rng.choice(("", " Show your work.", " Give only the final number.", ""))
    return story + tail


def q_probe(rng, t):
    word = rng.choice(("strawberry", "banana", "mississippi", "bookkeeper", "occurrence", "committee"))
    return rng.choice((
        f"How many {rng.choice('rsnoe')}'s are in the word {word}?", f"Spell {word} backwards.",
        "What is heavier, a kilogram of feathers or a kilogram of steel?",
        f"What comes next in the sequence {', '.join(str(2 ** i) for i in range(rng.randint(1, 3), 6))}?",
        "A man looks at a portrait and says 'brothers and sisters I have none, but that man's father is my "
        "father's son'. Who is in the portrait?", "Riddle: what has keys but can't open locks?",
        f"Is {rng.randint(100, 999)} a prime number?", f"What is {rng.randint(12, 99)} times {rng.randint(12, 99)}?",
        "If it takes five machines five minutes to make five widgets, how long would it take 100 machines to "
        "make 100 widgets?", "Which is bigger, 9.11 or 9.9?", "Count the words in this sentence.",
        f"Translate 'good morning' into {rng.choice(('French', 'German', 'Italian'))}. Just the translation.",
    ))


def q_vignette(rng, t):
    age, sex = rng.randint(19, 84), rng.choice(("man", "woman", "boy", "girl"))
    sym = rng.choice(("chest pain", "fever and cough", "a rash on both arms", "sudden weakness", "joint pain",
                      "abdominal pain", "shortness of breath", "headache"))
    q = rng.choice(("What is the most likely diagnosis?", "Which of the following is the next best step?",
                    "Which medication is most appropriate?", "What is the most likely cause?"))
    return (f"A {age}-year-old {sex} comes to the clinic with {sym} for {rng.randint(2, 10)} days. "
            f"Examination shows mild tenderness. {q}\n{_options(rng, 'further testing')}")


def q_exam(rng, t):
    return rng.choice((f"Exam question ({t[0]}): explain {t[1]}. (5 marks)", f"Test: state {t[1]}.",
                       f"Quiz: {t[1]}? I'll tell you if you're right.", f"True or false: {t[1]} is well known.",
                       f"Fill in the blank: in {t[0]}, ____ is {t[1]}.", f"Complete the sentence: {_cap(t[1])} is"))


# ---- asking: the asker needs something they do not have ----------------------------------------------
def a_personal(rng, t):
    need = rng.choice(("What should I do?", "Any advice?", "How do I fix this?", "Where do I start?",
                       "Can you help me figure this out?", "What are my options?", "Is this normal?"))
    extra = rng.choice(("", " It has been going on for two weeks.", " I have tried a few things already.",
                        " I am on a tight budget.", " I'm a complete beginner.", " This is stressing me out."))
    return f"{_cap(t[2])}.{extra} {need}"


def a_deliverable(rng, t):
    verb = rng.choice(("Write", "Draft", "Create", "Make", "Can you write", "Please put together", "I need",
                       "Help me write", "Could you make"))
    aud = rng.choice(("", " Keep it friendly.", " Keep it under 300 words.", " Use bullet points.",
                      " It's for work tomorrow.", " Make it sound professional."))
    return f"{verb} {t[3]}.{aud}"


def a_explain(rng, t):
    return rng.choice((f"Can you explain {t[1]} in simple terms? {_cap(t[2])}.",
                       f"I don't get {t[1]}. Could you walk me through it?",
                       f"How does {t[0]} actually work in everyday life? I want to understand it better.",
                       f"What are some good ways to get better at {t[0]}?",
                       f"Why is {t[0]} so hard to learn? Any tips for someone like me?",
                       f"Explain {t[1]} like I'm five.", f"What should a beginner know about {t[0]}?",
                       f"How do people usually deal with this: {t[2]}?"))


def a_code(rng, t):
    snippet = rng.choice(("```python\ndef load(path):\n    with open(path) as f:\n        return json.load(f)\n```",
                          "```js\nconst r = await fetch(url);\nconst data = r.json();\n```",
                          "```sql\nSELECT name, COUNT(*) FROM orders GROUP BY customer_id;\n```",
                          "for i in range(len(items)):\n    if items[i] == None: items.remove(items[i])"))
    ask = rng.choice(("This throws an error, what's wrong?", "How can I make this faster?",
                      "Why does this return the wrong result?", "Can you refactor this?", "Add tests for this."))
    return rng.choice((f"{snippet}\n{ask}", f"{ask}\n{snippet}", f"{_cap(t[2])}. Here's the code:\n{snippet}"))


def a_decision(rng, t):
    return rng.choice((f"Should I {rng.choice(('take', 'skip', 'switch to', 'invest in'))} {t[0]} classes this "
                       f"year? {_cap(t[2])}.", f"{_cap(t[2])}. Would it be better to wait or act now?",
                       f"What's the best way to approach {t[3]}? I have about a week.",
                       f"Give me ideas for {t[3]}.", f"Recommend some resources to learn {t[0]} on my own."))


def a_transform(rng, t):
    doc = rng.choice(("Our team met on Tuesday to review the roadmap and agreed to move the launch by a week.",
                      "Dear customer, we regret to inform you that your order has been delayed.",
                      "The results shows that the new method perform better then the old one in most case."))
    return rng.choice((f"Rewrite this to sound more formal:\n{doc}", f"Fix the grammar: {doc}",
                       f"Summarize this for my boss: {doc}", f"Translate this into German for a client: {doc}",
                       f"Make this shorter and friendlier:\n\n{doc}"))


CLOSED = ("Who painted the Mona Lisa?", "What is the capital of {place}?", "In what year did {event}?",
          "How many {unit} are in a {bigger}?", "What is the boiling point of {liquid} in Celsius?",
          "Who was the first person to {first}?", "Which planet is known as the {nick}?",
          "What is the square root of {sq}?", "Which element has the atomic number {z}?",
          "Q: What is the largest ocean on Earth?\nA:", "Answer the following question. Who wrote {book}?",
          "Name the author of {book}.", "What language is spoken in {place}?", "Which country has the most {most}?")
CLOSED_FILL = {
    "place": ("Australia", "Canada", "Brazil", "Kenya", "Norway", "Peru", "Vietnam", "Egypt"),
    "event": ("the First World War end", "the Titanic sink", "humans first land on the Moon", "the Euro launch"),
    "unit": ("seconds", "centimetres", "ounces", "days"), "bigger": ("day", "metre", "pound", "leap year"),
    "liquid": ("water", "ethanol", "mercury"), "nick": ("Red Planet", "Morning Star", "Blue Planet"),
    "first": ("climb Mount Everest", "win two Nobel prizes", "walk on the Moon", "fly across the Atlantic"),
    "sq": ("144", "169", "256", "625"), "z": ("6", "8", "26", "79"),
    "book": ("War and Peace", "Hamlet", "One Hundred Years of Solitude", "The Odyssey", "Moby-Dick"),
    "most": ("islands", "time zones", "lakes", "volcanoes"),
}


def q_closed(rng, t):
    return rng.choice(CLOSED).format(**{k: rng.choice(v) for k, v in CLOSED_FILL.items()})


OPEN = ("What are the benefits of {s}?", "How does {s} work?", "Why is {s} important?", "What are some tips for {g}?",
        "Is it worth learning {s} this year?", "What's a good way to {g}?", "How can I {g}?",
        "What's the difference between {s} and {s2}?", "what is {s} used for", "Where can I learn {s} for free?",
        "What is {c}?", "what does {c} mean", "Can you tell me what {c} is?", "What is {c} and how does it work?",
        "What are the pros and cons of {s}?", "How do people {g} without spending much?",
        "Which is better for a beginner, {s} or {s2}?", "any tips to {g}", "How long does it take to {g}?")
CONCEPTS = ("a mortgage", "inflation", "machine learning", "a blockchain", "an API", "gluten", "a VPN", "stoicism",
            "quantum computing", "a credit score", "cholesterol", "a black hole", "photosynthesis", "a hedge fund",
            "dark matter", "recursion", "a sonnet", "a 401k", "impostor syndrome", "intermittent fasting", "REST",
            "a neural network", "existentialism", "a recession", "the stock market", "a firewall", "mindfulness")
GOALS = ("save money on groceries", "sleep better", "learn a language quickly", "get a job in tech", "stay motivated",
         "write a good cover letter", "make friends in a new city", "start running", "speed up my website",
         "negotiate a salary", "study for exams", "keep houseplants alive", "reduce screen time")


def a_open(rng, t):
    s, s2 = rng.sample(TOPICS, 2)
    return rng.choice(OPEN).format(s=s[0], s2=s2[0], g=rng.choice(GOALS), c=rng.choice(CONCEPTS))


NEEDS = ("take paracetamol with antibiotics", "drink coffee while breastfeeding", "give honey to my baby",
         "freeze cooked rice", "run with a sore knee", "use expired yeast", "fly when I'm pregnant",
         "charge my phone overnight", "eat eggs past the date", "mix retinol and vitamin C", "deduct my home office",
         "break my lease early", "reuse a python virtualenv", "leave my dog alone for a day", "wash wool in a machine")


def a_need(rng, t):
    """Short questions about the asker's own situation: a need, whatever the subject."""
    n = rng.choice(NEEDS)
    return rng.choice((f"Can I {n}?", f"Is it safe to {n}?", f"Should I {n}?", f"is it ok to {n}",
                       f"Do I need a doctor before I {n}?", f"can i {n} or is that a bad idea", f"How do I {n}?",
                       f"Is it bad to {n}?", f"What should I know before I {n}?"))


DRUGS = ("paracetamol", "aspirin", "amoxicillin", "lisinopril", "sertraline", "omeprazole", "atorvastatin",
         "levothyroxine", "prednisone", "melatonin", "antihistamines", "birth control pills", "insulin")
SYMPTOMS = ("a sore throat", "heartburn", "back pain", "a migraine", "insomnia", "a rash", "a cough that won't go away",
            "dizziness", "a sprained ankle", "high blood sugar", "a fever in a toddler")


def a_health(rng, t):
    """Consumer health questions: the asker needs the answer (the subject alone never makes a quiz)."""
    d1, d2 = rng.sample(DRUGS, 2)
    s = rng.choice(SYMPTOMS)
    return rng.choice((f"Does {d1} interact with {d2}?", f"What are the side effects of {d1}?",
                       f"How much {d1} is too much in a day?", f"What helps with {s}?",
                       f"When should you see a doctor for {s}?", f"Is {d1} safe to take with alcohol?",
                       f"{d1} and {d2} together?", f"How long does {d1} take to work?",
                       f"What can cause {s}?", f"Home remedies for {s}", f"Can {d1} cause {s}?"))


def a_creative(rng, t):
    return rng.choice((
        f"Write a short story about {rng.choice(('a lonely robot', 'a dragon who fears fire', 'two rival chefs'))}"
        f" set in {rng.choice(('Paris', 'space', 'a small village', 'the future'))}.",
        f"Write a poem about {t[0]} for my {rng.choice(('mum', 'friend', 'partner'))}'s birthday.",
        f"Give me ten funny names for a {t[0]} podcast.",
        f"Continue this story: The door opened and {rng.choice(NAMES)} stepped into the rain, holding the letter.",
        f"You are a {rng.choice(('pirate', 'detective', 'tour guide'))}. Stay in character and talk to me "
        f"about {t[0]}.",
        f"Brainstorm blog post ideas about {t[0]}.",
        f"Write lyrics for a song about {rng.choice(GOALS)}.", f"Create a D&D character who is an expert in {t[0]}.",
        f"Write a tweet announcing our new {t[0]} course. Make it catchy.", "tell me a joke",
        "Generate a prompt for an image of a castle at sunset, detailed, 4k."))


def a_chat(rng, t):
    return rng.choice(("hi, how are you?", "can you make images?", "what can you do?", "are you better than GPT-4?",
                       "hello", "what's your name", "I'm bored, talk to me", "good morning!", "thanks, that helped",
                       f"do you like {t[0]}?", "can you remember our previous chat?", "what do you think about AI?"))


def a_document(rng, t):
    body = " ".join(rng.choice((
        f"The {t[0]} team reviewed last quarter's numbers and found that costs rose while usage stayed flat.",
        "Participants reported higher satisfaction after the change, although response rates were low.",
        "The contract renews automatically unless either party gives notice thirty days before the end date.",
        "Our onboarding process takes three weeks and most new hires say the first week is overwhelming.",
        f"In this chapter we discuss {t[1]} and how it relates to everyday decisions."))
        for _ in range(rng.randint(2, 5)))
    ask = rng.choice(("Summarize the key points.", "What are the main risks here?", "Turn this into slides.",
                      "Extract the action items as a list.", "Is this well written? Suggest improvements.",
                      "Explain this to me in plain language.", "Write a reply to this."))
    return rng.choice((f"{body}\n\n{ask}", f"{ask}\n\n{body}"))


QUIZ: dict[str, Callable] = {"mcq": q_mcq, "trivia": q_trivia, "misconception": q_misconception,
                             "word_problem": q_word_problem, "probe": q_probe, "vignette": q_vignette,
                             "exam": q_exam, "closed": q_closed}
ASK: dict[str, Callable] = {"personal": a_personal, "deliverable": a_deliverable, "explain": a_explain,
                            "code": a_code, "decision": a_decision, "transform": a_transform,
                            "open": a_open, "need": a_need, "health": a_health, "creative": a_creative, "chat": a_chat,
                            "document": a_document}


def examples(n_per_family: int = 300, seed: int = 0) -> list[tuple[str, str, str]]:
    """(text, label, family) triples, the same number per family, deterministic for a seed."""
    rng = random.Random(seed)
    out = []
    for label, fams in (("quizzing", QUIZ), ("asking", ASK)):
        for fam, make in fams.items():
            seen: set[str] = set()
            for _ in range(n_per_family * 20):
                if len(seen) >= n_per_family:
                    break
                text = make(rng, rng.choice(TOPICS))
                if rng.random() < 0.3:
                    text = text.lower()
                if text not in seen:
                    seen.add(text)
                    out.append((text, label, fam))
    return out

"""Topic templates for the synthetic corpus: what users ask (asking) and test (quizzing) per topic.

Each template is formatted with the topic's slot values; `{name}`-style PII is added by the generator.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    domain: str
    ask: tuple[str, ...]
    quiz: tuple[str, ...]
    followups: tuple[str, ...]
    slots: dict


TOPICS: tuple[Topic, ...] = (
    Topic(
        "medication_questions", "medical",
        ask=("Can I take {drug} together with {drug2}? My doctor prescribed both and I am worried about interactions.",
             "I started {drug} last week and feel dizzy. Is that a normal side effect of {drug}?",
             "What is the usual dose of {drug} for an adult, and should I take it with food?",
             "I missed a dose of {drug} this morning. Should I take it now or wait until tomorrow?",
             "My mother takes {drug} and {drug2}. Are there side effects we should watch for?"),
        quiz=("Which drug class does {drug} belong to? A) beta blocker B) statin C) biguanide D) SSRI. Answer with the letter.",
              "Pharmacology test question: what is the main mechanism of action of {drug}?"),
        followups=("Is it safe to drink alcohol while taking {drug}?", "Should I ask the pharmacist about {drug2} too?"),
        slots={"drug": ["metformin", "ibuprofen", "lisinopril", "atorvastatin", "sertraline", "amoxicillin"],
               "drug2": ["aspirin", "paracetamol", "omeprazole", "warfarin", "levothyroxine"]},
    ),
    Topic(
        "symptom_advice", "medical",
        ask=("I have had a {symptom} for {days} days. Should I see a doctor or can I treat it at home?",
             "My child woke up with a {symptom} and a fever. What should I do tonight?",
             "What could cause a {symptom} that gets worse in the evening? I am a bit worried.",
             "How do I tell if my {symptom} is serious enough for the emergency room?"),
        quiz=(("Clinical vignette: a patient presents with a {symptom} for {days} days. What is the most likely diagnosis? "
              "A) migraine B) sinusitis C) tension headache D) meningitis"),),
        followups=("The {symptom} got worse overnight, what now?", "Which over the counter remedy helps a {symptom}?"),
        slots={"symptom": ["persistent cough", "sore throat", "bad headache", "stomach ache", "skin rash", "back pain"],
               "days": ["three", "five", "ten", "two"]},
    ),
    Topic(
        "python_debugging", "coding",
        ask=(("My Python script crashes with {error} when I loop over a list of dictionaries. How do I fix it?\n"
             "```python\nfor row in rows:\n    total += row['{field}']\n```"),
             "I get a {error} in my Python code after upgrading pandas. What does this error mean and how do I debug it?",
             "Why does my Python function return None instead of the {field} value? Please help me fix the bug.",
             "How can I debug a {error} raised inside a Python list comprehension?"),
        quiz=("What does this Python code print? `print(len({{'a': 1, 'b': 2}}))` Answer with a number only.",
              "Python quiz: which exception is raised by `int('{field}')`? A) TypeError B) ValueError C) KeyError D) IndexError"),
        followups=("That fixed the {error}, but now the loop is slow. Can you make it faster?",
                   "Can you add a unit test for this Python function?"),
        slots={"error": ["KeyError", "TypeError", "IndexError", "AttributeError", "ValueError"],
               "field": ["price", "amount", "name", "count", "score"]},
    ),
    Topic(
        "sql_queries", "coding",
        ask=("Write a SQL query that returns the top five {entity} by total {metric} from the orders table.",
             "My SQL join between {entity} and orders returns duplicate rows. How do I fix the query?",
             "How do I write a SQL query that groups {entity} by month and sums the {metric}?",
             "Can you help me speed up a slow SQL query over the {entity} table with an index?"),
        quiz=("SQL exam: which clause filters groups after aggregation? A) WHERE B) HAVING C) ORDER BY D) LIMIT",),
        followups=("Can you rewrite the SQL query as a window function?", "Does this SQL query work in PostgreSQL too?"),
        slots={"entity": ["customers", "products", "employees", "stores"], "metric": ["revenue", "sales", "quantity"]},
    ),
    Topic(
        "cover_letters", "writing",
        ask=("Please write a cover letter for a {job} position. I have {years} years of experience.",
             "Can you improve my cover letter for a {job} job? It sounds too generic.",
             "Help me write a short cover letter explaining a career change into {job} work.",
             "Draft a cover letter for an internship as a {job}, friendly but professional."),
        quiz=("Test for you: name the three parts every cover letter should have, in one line each.",),
        followups=("Make the cover letter shorter, one page max.", "Can you make the tone of the letter more confident?"),
        slots={"job": ["data analyst", "nurse", "marketing manager", "software engineer", "teacher"],
               "years": ["two", "five", "eight"]},
    ),
    Topic(
        "poetry_writing", "writing",
        ask=("Write a short poem about {theme} for my friend's birthday card.",
             "Can you write a rhyming poem about {theme} in the style of a children's book?",
             "I need a haiku about {theme} for a school project, can you help me write one?",
             "Write a sad poem about {theme}, four stanzas, no rhymes."),
        quiz=("Poetry quiz: how many syllables does the second line of a haiku have? Answer with a number.",),
        followups=("Can you make the poem rhyme better?", "Add one more stanza to the poem about {theme}."),
        slots={"theme": ["the ocean", "autumn leaves", "friendship", "the city at night", "a lost cat"]},
    ),
    Topic(
        "math_homework", "education",
        ask=("I don't understand how to solve quadratic equations like x^2 + {a}x + {b} = 0. Can you explain the steps?",
             "Can you explain fractions to me? My homework asks me to add {a}/{b} and 1/{a} and I'm stuck.",
             "How do I find the derivative of x^{a} times sin(x)? I have a calculus exam next week and need to understand it.",
             "Help me understand the math homework problem about percentages: what is {a} percent of {b}0?"),
        quiz=("Solve for x: {a}x + {b} = {b}{a}. Give only the final number.",
              "Math test: what is the derivative of x^{a}? A) x^{a} B) {a}x^({a}-1) C) {a}x D) x/{a}"),
        followups=("Can you show another math example like that?", "Why do we divide by two in that step?"),
        slots={"a": ["2", "3", "4", "5", "6", "7"], "b": ["3", "5", "8", "9"]},
    ),
    Topic(
        "history_trivia", "education",
        ask=("I'm writing an essay on the {event}. Can you explain its main causes in simple words?",
             "Explain why the {event} mattered, I need it for a history presentation tomorrow.",
             "Can you summarise the key people and dates of the {event} for my history notes?"),
        quiz=("History trivia: in which year did the {event} begin? Answer with the year only.",
              "Quiz: who was the most important leader during the {event}? A) Napoleon B) Lincoln C) Churchill D) Caesar",
              "Let's see if you know history: what ended the {event}?"),
        followups=("What happened right after the {event}?", "Which books about the {event} would you recommend?"),
        slots={"event": ["French Revolution", "American Civil War", "Second World War", "fall of the Roman Empire",
                         "Industrial Revolution"]},
    ),
    Topic(
        "marketing_plans", "business",
        ask=("Create a marketing plan for my small {business} with a budget of {budget} dollars a month.",
             "How should I market a new {business} on social media? I have no marketing experience.",
             "Write three marketing slogans for a {business} that targets young families.",
             "What marketing channels work best for a local {business}? Give me a simple plan."),
        quiz=("Marketing exam: what do the four Ps of marketing stand for? List them.",),
        followups=("Can you turn the marketing plan into a weekly schedule?", "How do I measure if the marketing works?"),
        slots={"business": ["bakery", "coffee shop", "yoga studio", "bike repair shop", "bookstore"],
               "budget": ["500", "1000", "300"]},
    ),
    Topic(
        "spreadsheet_formulas", "business",
        ask=("What Excel formula can I use to look up the {col} of a customer ID from another sheet?",
             "My spreadsheet VLOOKUP returns #N/A for the {col} column. How do I fix the formula?",
             "How do I write a spreadsheet formula that sums {col} only for rows where the region is North?",
             "Can you help me build an Excel pivot table of {col} by month?"),
        quiz=("Excel quiz: which function returns the number of non-empty cells? A) SUM B) COUNTA C) LEN D) MAX",),
        followups=("Does the formula also work in Google Sheets?", "How do I copy the formula down the whole column?"),
        slots={"col": ["price", "total sales", "quantity", "discount"]},
    ),
    Topic(
        "travel_planning", "travel",
        ask=("Plan a {days}-day trip itinerary to {city} for two people on a budget.",
             "What are the must-see places in {city}? We are travelling with kids for {days} days.",
             "Help me plan a travel itinerary for {city} in winter, including day trips.",
             "Is {days} days enough to visit {city}? Suggest a daily travel plan."),
        quiz=("Geography trivia: which country is {city} in? Answer with one word.",),
        followups=("Which neighbourhood in {city} is best to stay in?", "Can you add restaurants to the itinerary?"),
        slots={"city": ["Lisbon", "Kyoto", "Barcelona", "Prague", "Istanbul", "Vienna"], "days": ["three", "five", "seven"]},
    ),
    Topic(
        "cooking_recipes", "lifestyle",
        ask=("Give me an easy recipe for dinner using {ingredient} and rice, I have 30 minutes.",
             "How do I cook {ingredient} so it is not dry? My recipe always fails.",
             "Can you suggest a vegetarian recipe that replaces {ingredient} in lasagna?",
             "What can I cook tonight with {ingredient}, onions and tomatoes?"),
        quiz=("Cooking quiz: at what internal temperature is cooked {ingredient} safe? A) 45C B) 60C C) 74C D) 90C",),
        followups=("Can I make this recipe the day before?", "How do I make the recipe spicier?"),
        slots={"ingredient": ["chicken breast", "salmon", "tofu", "ground beef", "chickpeas"]},
    ),
    Topic(
        "fitness_plans", "health",
        ask=("Make me a {weeks}-week workout plan to start running. I am a beginner and get tired fast.",
             "What exercises can I do at home to build strength without equipment, {times} times a week?",
             "Create a gym workout routine for building muscle, training {times} days a week.",
             "How should I warm up before a workout so my knees don't hurt?"),
        quiz=("Fitness quiz: which muscle does a squat mainly train? A) biceps B) quadriceps C) triceps D) deltoids",),
        followups=("Can you add stretching to the workout plan?", "What should I eat after the workout?"),
        slots={"weeks": ["four", "six", "eight"], "times": ["three", "four", "five"]},
    ),
    Topic(
        "tenant_rights", "legal",
        ask=("My landlord won't return my security deposit after I moved out. What are my rights as a tenant?",
             "Can my landlord raise the rent by {pct} percent in the middle of a lease?",
             "The heating in my apartment has been broken for {days} days and the landlord ignores me. What can I do?",
             "How do I write a letter to my landlord asking for repairs in the apartment?"),
        quiz=("Law school quiz: what is the legal term for a tenant's right to quiet enjoyment of a rented property?",),
        followups=("Should I contact a tenant union about the landlord?", "Can I withhold rent until the landlord fixes it?"),
        slots={"pct": ["10", "15", "20"], "days": ["three", "ten", "twenty"]},
    ),
    Topic(
        "personal_budgeting", "finance",
        ask=("Help me make a monthly budget. I earn {income} dollars and keep running out of money.",
             "How much of my {income} dollar salary should I save each month for an emergency fund?",
             "Should I pay off my credit card debt first or save money? I have about {debt} dollars of debt.",
             "Can you make a simple budget spreadsheet plan for a family on {income} dollars a month?"),
        quiz=("Finance quiz: in the 50/30/20 budgeting rule, what is the 20 percent for? A) needs B) wants C) savings D) rent",),
        followups=("How do I stick to the budget?", "What apps help track a monthly budget?"),
        slots={"income": ["2500", "3200", "4000", "5500"], "debt": ["3000", "8000", "12000"]},
    ),
    Topic(
        "language_learning", "education",
        ask=("How can I learn {lang} faster? I practise {mins} minutes a day but forget the vocabulary.",
             "Can you translate this sentence into {lang} and explain the grammar: I would like a table for two.",
             "Make me a study plan for learning {lang} vocabulary before my trip next month.",
             "What is the difference between the two past tenses in {lang}? I keep mixing them up."),
        quiz=("Language quiz: what is the {lang} word for 'thank you'? Answer with one word.",),
        followups=("Can you give me ten more {lang} words to practise?", "How do I pronounce that in {lang}?"),
        slots={"lang": ["Spanish", "French", "German", "Italian", "Japanese"], "mins": ["ten", "twenty", "thirty"]},
    ),
)

ASSISTANT_REPLIES = (
    "Here is what I suggest, step by step.",
    "Good question. Let me explain the main points.",
    "Sure, here is a short answer with a few options.",
    "Here is a draft you can adapt.",
)

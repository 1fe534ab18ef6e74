#!/usr/bin/env python3
"""Generate a deterministic, realistic Obsidian-style vault for mdmastery benchmarks.

    python benchmarks/generate_vault.py OUT_DIR --notes N [--seed 1] [--end 2026-11-22]

The same arguments give a byte-identical vault: every random choice comes from one
``random.Random(seed)`` and every date is anchored on ``--end`` (never on today).
Only the standard library is used; text is assembled from phrase pools made once at
start-up, and files are written with plain ``open``/``write``.

Mix (N counts the ``.md`` files mdmastery reads; hidden folders are extra):
  * ~80% journal notes ``Journal/YYYY/YYYY-MM-DD.md``, the last one dated ``--end``,
    going back as far as needed with ~8% of days missing, capped at 30 years of days
    (beyond that the remainder becomes ordinary notes);
  * ~15% ordinary notes ``Notes/<Category>/<Title>.md``, ~3% ``Inbox/Untitled N.md``,
    one ``Templates/Daily.md``;
  * 8 habit notes ``Habits/``, 6 goal notes ``Goals/``, ``Vision.md``;
  * ``.obsidian/daily-notes.json``, ``.obsidian/app.json``, a marker
    ``.obsidian/mdmastery-bench.json``, one note in ``.trash/`` (must be ignored) and
    a few attachments in ``Attachments/``.
See benchmarks/README.md for the details of what a note contains.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from datetime import date, timedelta

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

JOURNAL_SHARE = 0.80
INBOX_SHARE = 0.03
JOURNAL_YEARS_CAP = 30
JOURNAL_FILL = 0.92  # share of the days of the covered span that have a journal note
MARKER = "mdmastery-bench.json"

# --------------------------------------------------------------------------- phrase pools

OPENERS = (
    "This morning", "After lunch", "Around noon", "In the evening", "Before bed",
    "On the way home", "At the office", "During the walk", "Over coffee", "At the gym",
    "On the train", "While cooking", "Late at night", "First thing", "Between meetings",
    "After the call", "At the park", "During the run", "In the afternoon", "At breakfast",
    "On the balcony", "In the library", "After work", "Before the standup", "At dinner",
)
CLAUSES = (
    "I finally cleared the inbox", "the rain kept everyone inside",
    "I sketched the plan for next week", "Anna and I talked about the move",
    "the code review took longer than expected", "I noticed how tired I was",
    "I read another chapter of the book", "the kids built a fort out of cushions",
    "I fixed the flaky test that had bugged me for days", "the neighbour brought soup",
    "I wrote three pages without stopping", "the budget spreadsheet finally balanced",
    "I called Mum and we laughed about old photos", "the team agreed on the roadmap",
    "I caught myself doom-scrolling again", "the bread came out of the oven perfect",
    "I walked to the river and back", "the meeting could have been an email",
    "I tried the new breathing exercise", "the bike needed a new chain",
    "I sorted the receipts for the tax return", "the garden looked alive again",
    "I said no to a project I did not want", "the presentation went better than feared",
    "I spent too long on small decisions", "the train was late but I did not mind",
    "I practised Spanish with the app", "the client changed the scope once more",
    "I cleaned the desk and felt lighter", "the dog refused to go outside",
    "I learned how the old billing system works", "the sunset was ridiculous",
    "I worked on the side project for an hour", "the house was quiet for once",
    "I reviewed my goals and adjusted one", "the migration script finally passed",
    "I forgot to drink water again", "the coffee place had a new roast",
    "I paired with Tom on the parser", "the weekly review took twenty minutes",
    "I cooked a big pot of lentil stew", "the headache faded after a nap",
    "I listened to a podcast about attention", "the board game night ran late",
    "I noticed I was rushing everything", "the draft needed one more pass",
    "I planned the trip to the coast", "the printer jammed during the crunch",
    "I cleared two items off the someday list", "the evening felt slow and good",
)
ENDINGS = (
    "", "", "", "", " and it felt good", ", which surprised me",
    " even though I was tired", ", so that is something", " and I want to remember it",
    " but I am not sure why", ", again", " without much fuss", " and then some",
    ", which I had put off for weeks", " and the day felt longer because of it",
)
LINK_SENTENCES = (
    "This connects to [[{t}]].", "I keep coming back to [[{t}]].",
    "More on that in [[{t}]].", "See also [[{t}|this note]].",
    "Added a line to [[{t}]].", "Reminded me of [[{t}#Key ideas]].",
    "Need to update [[{t}]] tomorrow.", "Talked it through using [[{t}]] as a guide.",
)
WIN_VERBS = ("Finished", "Shipped", "Fixed", "Cleaned", "Wrote", "Called", "Cooked",
             "Reviewed", "Planned", "Booked", "Organised", "Drafted", "Sent", "Repaired",
             "Tidied", "Started", "Closed", "Paid")
WIN_OBJECTS = ("the quarterly report", "the bike's brakes", "the kitchen", "a letter to Gran",
               "the dentist appointment", "dinner for six", "the pull request",
               "the holiday plan", "the garage", "the proposal", "the invoice backlog",
               "the onboarding doc", "the leaking tap", "the photo album", "the tax forms",
               "the slide deck", "the chapter outline", "the support ticket queue",
               "the bookshelf", "the release notes", "the birthday present")
WIN_TAILS = ("", "", " before noon", " with Anna", " in one go", " ahead of schedule",
             " without help", " at last", " in under an hour", " and celebrated")
LESSONS = (
    "Start the hard task before checking email", "Sleep matters more than caffeine",
    "Say the uncomfortable thing early", "Write the plan down, it halves the worry",
    "A walk fixes more than a snack", "Do not schedule calls back to back",
    "Ask for help after thirty minutes stuck", "Small steps still count",
    "Batch the errands", "The phone stays in the other room", "Prepare lunch the night before",
    "Check the calendar before saying yes", "Rest is part of the training",
    "Perfect is the enemy of shipped", "Leave a note for tomorrow-me",
    "Energy dips after 3 pm, plan for it", "Reading in bed beats scrolling in bed",
    "Protect the first two hours", "One inbox, not five", "Celebrate the small wins",
)
LESSON_PREFIXES = ("", "", "", "Again: ", "Next time: ", "Note to self: ")
GRATITUDE = ("coffee with {n}", "the sunny walk", "a quiet evening", "{n}'s patience",
             "a warm shower", "the good bread from the bakery", "my health",
             "a long phone call with {n}", "the kids laughing", "clean sheets",
             "a message from {n}", "the library", "the first snow", "a free afternoon",
             "the team covering for me", "tea in the garden", "a good night's sleep",
             "music on the way home", "{n} fixing the shelf", "the smell of rain")
GRATITUDE_TAILS = ("", "", "", " today", ", really", " after a long week", " again")
FIRST_NAMES = ("Anna", "Tom", "Lena", "Omar", "Sofia", "Jonas", "Maya", "Luca", "Ines",
               "Felix", "Nora", "Ravi", "Clara", "Mateo", "Yuki", "Elif", "Paul", "Zoe",
               "Ben", "Amira", "Hugo", "Lina", "Noah", "Emma", "Theo", "Ida", "Karl",
               "Rosa", "Sami", "Vera", "Jan", "Mila", "Oskar", "Leah", "Aaron", "Frida")
LAST_NAMES = ("Meyer", "Novak", "Rossi", "Khan", "Silva", "Berg", "Dubois", "Kowalski",
              "Tanaka", "Okafor", "Jensen", "Garcia", "Schmidt", "Haddad", "Lindqvist",
              "Moreau", "Costa", "Nguyen", "Weber", "Fischer", "Ito", "Larsen", "Bauer",
              "Santos", "Horvat", "Petrov", "Walsh", "Keller", "Varga", "Ahmed")
TOPIC_PREFIXES = ("Notes on", "Thoughts on", "How to", "Why", "Ideas for", "Questions about",
                  "Principles of", "A map of", "Lessons from", "Getting better at",
                  "The case for", "Against", "Reading list for", "Basics of")
TOPICS = ("spaced repetition", "sourdough", "habit stacking", "deep work", "note taking",
          "negotiation", "sleep", "strength training", "public speaking", "budgeting",
          "index funds", "career change", "writing clearly", "gardening", "cycling",
          "parenting", "stoicism", "compound interest", "time blocking", "rust ownership",
          "sql indexes", "coffee brewing", "language learning", "marathon training",
          "meal prep", "meditation", "decision journals", "code review", "hiking gear",
          "home networking", "saying no", "weekly reviews", "fermentation", "chess openings",
          "photography", "minimalism", "feedback", "remote work", "learning to draw",
          "watercolour", "personal finance", "mentoring", "kanban", "python packaging")
BOOK_ADJ = ("Quiet", "Hidden", "Last", "Silent", "Golden", "Broken", "Long", "Small",
            "Wild", "Distant", "Invisible", "Second", "Northern", "Lost", "Bright")
BOOK_NOUNS = ("Harbor", "Garden", "River", "Mountain", "Library", "Machine", "Season",
              "Kingdom", "Archive", "Island", "Signal", "Habit", "Compass", "Orchard")
CODENAMES = ("Alder", "Birch", "Cedar", "Dune", "Ember", "Fjord", "Granite", "Heron", "Iris",
             "Juniper", "Kestrel", "Lumen", "Maple", "Nimbus", "Onyx", "Pine", "Quartz",
             "Raven", "Sable", "Tundra", "Umber", "Vale", "Willow", "Yarrow", "Zephyr")
PROJECT_KINDS = ("website", "migration", "redesign", "launch", "audit", "offsite", "renovation",
                 "fundraiser", "app", "rewrite", "roadmap", "hiring")
TEAMS = ("Platform", "Design", "Growth", "Infra", "Data", "Mobile", "Support", "Finance")
RECIPE_WORDS = ("Lentil", "Pumpkin", "Chickpea", "Mushroom", "Lemon", "Ginger", "Tomato",
                "Spinach", "Potato", "Apple", "Carrot", "Sesame")
RECIPE_DISHES = ("stew", "soup", "curry", "risotto", "salad", "pie", "bread", "pancakes",
                 "noodles", "tart", "dal", "gratin")
PLACES = ("Lisbon", "Kyoto", "the Alps", "Edinburgh", "Crete", "Oslo", "Porto", "Vienna",
          "the Lake District", "Istanbul", "Seville", "Bergen", "Ljubljana")
NOTE_HEADINGS = ("Summary", "Key ideas", "Open questions", "References", "Quotes",
                 "Next steps", "Background", "Notes", "Decisions", "Log", "Examples",
                 "Related", "Details", "Why it matters", "Ingredients", "Steps")
NOTE_TAGS = ("idea", "book", "person", "project", "meeting", "recipe", "learning", "travel",
             "health", "work", "evergreen", "draft", "reference", "inbox", "seedling")
JOURNAL_TAGS = ("work", "family", "travel", "sick", "weekend", "reflection", "health",
                "deep-work", "social", "rest")
CALLOUT_KINDS = ("note", "quote", "tip", "warning", "info", "abstract", "question")
WEATHER = ("sunny", "rain", "cloudy", "snow", "windy", "fog", "clear", "storm")

# Categories of ordinary notes: (folder, weight).
CATEGORIES = (("Ideas", 20), ("Books", 8), ("People", 10), ("Projects", 10),
              ("Meetings", 15), ("Recipes", 5), ("Learning", 12), ("Travel", 5),
              ("Health", 5), ("Work", 10))

# --------------------------------------------------------------------------- habits, goals

# Boolean habits are checked off in journals; numeric ones are logged as inline fields.
# p_stay / p_back: chance of doing it after a done day / after a not-done day.
HABITS = (
    {"name": "Meditate", "key": "meditate", "schedule": "daily", "area": "health",
     "aliases": ["Meditation", "Sit"], "start": 0.0, "p_stay": 0.9, "p_back": 0.55,
     "details": ("20 min", "10 min", "(morning)", "- body scan", "before work")},
    {"name": "Run", "key": "run", "explicit_key": True, "schedule": "3/week", "area": "health",
     "goal": "Run a marathon", "start": 0.2, "details": ("5 km", "- intervals", "(easy)")},
    {"name": "Read", "key": "read", "schedule": "daily", "area": "growth",
     "aliases": ["Reading", "Read 20 pages"], "start": 0.1, "p_stay": 0.82, "p_back": 0.5,
     "details": ("20 pages", "30 min", "(fiction)", "- two chapters")},
    {"name": "Deep Work", "key": "deep-work", "explicit_key": True, "schedule": "weekdays",
     "area": "career",
     "target": 90, "unit": "min", "start": 0.3, "goal": "Ship side project"},
    {"name": "Stretch", "key": "stretch", "schedule": "[mon, wed, fri]", "area": "health",
     "start": 0.5, "p_stay": 0.8, "p_back": 0.5, "details": ("15 min", "(yoga)")},
    {"name": "Water plants", "key": "water-plants", "schedule": "every 2 days",
     "area": "leisure", "start_days": 200, "p_stay": 0.9, "p_back": 0.7,
     "details": ("(balcony)", "and the herbs")},
    {"name": "Floss", "key": "floss", "schedule": "daily", "area": "health",
     "start_days": 730, "entries": True},
    {"name": "Screen time", "key": "screen-time", "schedule": "daily", "area": "growth",
     "target": 120, "unit": "min", "direction": "at_most", "start_days": 120},
)
BOOL_HABITS = ("Meditate", "Read", "Stretch", "Water plants")  # plus Run, handled apart

TRUE_WORDS = ("true", "true", "true", "yes", "done", "x", "1", "✅")
FALSE_WORDS = ("false", "false", "no", "0")


def iso(d: date) -> str:
    return d.isoformat()


# --------------------------------------------------------------------------- generator


class Generator:
    def __init__(self, out: str, notes: int, seed: int, end: date) -> None:
        self.out = out
        self.n = notes
        self.seed = seed
        self.end = end
        self.rng = random.Random(seed)
        self.bytes = 0
        self.files = 0
        self.md_files = 0
        self.counts: dict[str, int] = {}
        self._made_dirs: set[str] = set()

    # ---- output

    def write(self, rel: str, text: str, md: bool = True) -> None:
        path = os.path.join(self.out, rel)
        parent = os.path.dirname(path)
        if parent not in self._made_dirs:
            os.makedirs(parent, exist_ok=True)
            self._made_dirs.add(parent)
        data = text.encode("utf-8")
        with open(path, "wb") as f:
            f.write(data)
        self.bytes += len(data)
        self.files += 1
        if md:
            self.md_files += 1

    def write_bytes(self, rel: str, data: bytes) -> None:
        path = os.path.join(self.out, rel)
        parent = os.path.dirname(path)
        if parent not in self._made_dirs:
            os.makedirs(parent, exist_ok=True)
            self._made_dirs.add(parent)
        with open(path, "wb") as f:
            f.write(data)
        self.bytes += len(data)
        self.files += 1

    # ---- pools

    def build_pools(self) -> None:
        rng = self.rng
        self.sentences = [
            f"{rng.choice(OPENERS)} {rng.choice(CLAUSES)}{rng.choice(ENDINGS)}."
            for _ in range(3000)
        ]
        self.wins = [f"{rng.choice(WIN_VERBS)} {rng.choice(WIN_OBJECTS)}{rng.choice(WIN_TAILS)}"
                     for _ in range(600)]
        self.lessons = []
        for _ in range(300):
            text = rng.choice(LESSONS)
            self.lessons.append(rng.choice(LESSON_PREFIXES) + text)
        self.gratitude = []
        for _ in range(400):
            g = rng.choice(GRATITUDE).replace("{n}", rng.choice(FIRST_NAMES))
            self.gratitude.append(g[0].upper() + g[1:] + rng.choice(GRATITUDE_TAILS))

    def paragraph(self, lo: int = 2, hi: int = 6) -> str:
        rng = self.rng
        parts = rng.choices(self.sentences, k=rng.randint(lo, hi))
        if self.titles and rng.random() < 0.3:
            parts.insert(rng.randint(0, len(parts)),
                         rng.choice(LINK_SENTENCES).format(t=rng.choice(self.titles)))
        return " ".join(parts)

    # ---- plan

    def plan(self) -> None:
        n = self.n
        end = self.end
        self.fixed = min(15, n)  # Vision, 8 habits, 6 goals, in that order
        rest = n - self.fixed
        try:
            cap_start = end.replace(year=end.year - JOURNAL_YEARS_CAP)
        except ValueError:  # 29 February
            cap_start = end.replace(year=end.year - JOURNAL_YEARS_CAP, day=28)
        cap_days = (end - cap_start).days
        max_journals = int(cap_days * JOURNAL_FILL)
        journals = min(round(JOURNAL_SHARE * n), max_journals, rest)
        self.n_journals = journals
        ordinary = rest - journals
        self.n_template = 1 if ordinary >= 1 else 0
        self.n_inbox = min(round(INBOX_SHARE * n), ordinary - self.n_template)
        self.n_notes = ordinary - self.n_template - self.n_inbox

        rng = self.rng
        span = min(cap_days, max(journals, int(journals / JOURNAL_FILL + 0.999)))
        self.span_start = end - timedelta(days=span - 1) if span else end
        keep_last = min(7, journals, span)
        # The last `keep_last` days always have a note (a current week to review).
        older = rng.sample(range(span - keep_last), journals - keep_last)
        older.sort()
        offsets = older + list(range(span - keep_last, span))
        start = self.span_start
        self.journal_dates = [start + timedelta(days=o) for o in offsets]

    def make_titles(self) -> None:
        """Unique (case-insensitively) base names for every ordinary note."""
        rng = self.rng
        used = {h["name"].lower() for h in HABITS}
        used.update(g.lower() for g in GOAL_TITLES)
        used.update(("vision", "daily"))
        used.update(f"untitled {i}".lower() for i in range(self.n_inbox + 1))
        used.add("untitled")
        folders = [c for c, _ in CATEGORIES]
        weights = [w for _, w in CATEGORIES]
        cats = rng.choices(folders, weights=weights, k=self.n_notes)
        span_days = max(1, (self.end - self.span_start).days)
        titles = []
        created = []
        next_k: dict[str, int] = {}  # base name -> next number suffix to try
        for cat in cats:
            day = self.span_start + timedelta(days=rng.randrange(span_days))
            if cat == "Ideas" or cat == "Learning" or cat == "Health":
                base = f"{rng.choice(TOPIC_PREFIXES)} {rng.choice(TOPICS)}"
            elif cat == "Books":
                base = f"The {rng.choice(BOOK_ADJ)} {rng.choice(BOOK_NOUNS)}"
            elif cat == "People":
                base = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            elif cat == "Projects":
                base = f"Project {rng.choice(CODENAMES)} {rng.choice(PROJECT_KINDS)}"
            elif cat == "Meetings":
                # A date-prefixed name that is *not* a journal note.
                base = f"{iso(day)} {rng.choice(TEAMS)} sync"
            elif cat == "Recipes":
                base = f"{rng.choice(RECIPE_WORDS)} {rng.choice(RECIPE_DISHES)}"
            elif cat == "Travel":
                base = f"Trip to {rng.choice(PLACES)} {day.year}"
            else:
                base = f"{rng.choice(TEAMS)} {rng.choice(TOPICS)}"
            title = base
            if title.lower() in used:
                k = next_k.get(base.lower(), 2)
                while f"{base} {k}".lower() in used:
                    k += 1
                next_k[base.lower()] = k + 1
                title = f"{base} {k}"
            used.add(title.lower())
            titles.append(title)
            created.append(day)
        self.note_cats = cats
        self.titles = titles
        self.note_created = created

    # ---- fixed notes

    def habit_start(self, h: dict) -> date:
        first = self.journal_dates[0] if self.journal_dates else self.end
        if "start_days" in h:
            d = self.end - timedelta(days=h["start_days"])
            return max(d, first)
        span = (self.end - first).days
        return first + timedelta(days=int(span * h["start"]))

    def write_vision(self) -> None:
        text = (
            "---\ntype: vision\nvalues: [health, curiosity, family, craft, generosity]\n"
            "updated: " + iso(self.end - timedelta(days=40)) + "\n---\n"
            "# Vision\n\n"
            "> [!quote] In ten years\n> I am healthy, curious and close to the people I love.\n"
            "> My work is careful and useful, and I have time to make things.\n\n"
            "## Values\n\n"
            "- **Health**: move every day, sleep enough, eat real food\n"
            "- **Curiosity**: read widely, learn a language, keep a beginner's mind\n"
            "- **Family**: be present at dinner, call home every week\n"
            "- **Craft**: ship small things often, review my own work\n"
            "- **Generosity**: give time, money and attention without keeping score\n\n"
            "## Areas\n\n"
            "| Area | What good looks like | Goals |\n|---|---|---|\n"
            "| Health | a marathon, no back pain | [[Run a marathon]] |\n"
            "| Career | my own product in the world | [[Ship side project]] |\n"
            "| Finances | six months of runway | [[Emergency fund]] |\n"
            "| Relationships | friends I see every month | [[Reconnect with old friends]] |\n"
            "| Growth | 24 books a year, conversational Spanish | [[Read 24 books]], "
            "[[Learn Spanish]] |\n\n"
            "## Anti-vision\n\n"
            "What I do not want: busy but not productive, always online, never rested.\n\n"
            + self.paragraph(4, 8) + "\n"
        )
        self.write("Vision.md", text)

    def write_habit(self, h: dict) -> None:
        start = self.habit_start(h)
        fm = ["type: habit", f"name: {h['name']}"]
        if h.get("explicit_key"):
            fm.append(f"key: {h['key']}")
        if "aliases" in h:
            fm.append("aliases: [" + ", ".join(h["aliases"]) + "]")
        fm.append(f"schedule: {h['schedule']}")
        if "target" in h:
            fm.append(f"target: {h['target']}")
            fm.append(f"unit: {h['unit']}")
        if "direction" in h:
            fm.append(f"direction: {h['direction']}")
        fm.append(f"started: {iso(start)}")
        fm.append("status: active")
        if "goal" in h:
            fm.append(f'goal: "[[{h["goal"]}]]"')
        fm.append(f"area: {h['area']}")
        fm.append("tags: [habit]")
        if h.get("entries"):
            rng = self.rng
            fm.append("entries:")
            d = start
            while d <= self.end:
                if rng.random() < 0.72:
                    fm.append(f"  - {iso(d)}")
                d += timedelta(days=1)
        body = [
            f"# {h['name']}",
            "",
            f"Schedule: **{h['schedule']}**. Serves [[{h.get('goal', 'Vision')}]].",
            "",
            "## Why",
            "",
            self.paragraph(2, 4),
            "",
            "## How",
            "",
            "- Same time, same place",
            "- Tiny version on bad days",
            "\t- two minutes counts",
            "",
            "```dataview",
            f'TABLE {h["key"]} AS "{h["name"]}" FROM "Journal"',
            f"WHERE {h['key']} SORT file.name DESC LIMIT 14",
            "```",
            "",
        ]
        if h.get("entries"):
            body += ["Logged with the Habit Tracker 21 plugin (`entries:` above), "
                     "not in daily notes.", ""]
        self.write(f"Habits/{h['name']}.md",
                   "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body))

    def write_goals(self) -> None:
        e = self.end
        rng = self.rng

        def d(days: int) -> str:
            return iso(e + timedelta(days=days))

        goals = []
        goals.append(("Run a marathon", [
            "type: goal", "title: Run a marathon", "status: active", "area: health",
            "focus: true", f"start: {d(-300)}", f"deadline: {d(120)}",
            "why: Prove to myself that patient training works",
            'vision: "[[Vision]]"', "values: [health]",
            "baseline: 0", "target: 1800", "unit: km", "track: km", "aggregate: sum",
            "tags: [goal, running]",
        ], [
            "# Run a marathon", "", "Logged as `km::` in daily notes.", "",
            "## Milestones", "",
            f"- [x] Run 10 km without stopping ✅ {d(-250)}",
            f"- [x] Buy proper shoes 📅 {d(-280)} ✅ {d(-270)}",
            f"- [x] Half marathon race 📅 {d(-140)} ✅ {d(-140)}",
            f"- [ ] 30 km long run 📅 {d(30)}",
            f"- [ ] Taper plan written 📅 {d(90)}",
            f"- [ ] Marathon 📅 {d(120)}",
            "", "## Notes", "", self.paragraph(3, 6), "",
        ]))
        ms = []
        for i, name in enumerate(("Landing page", "Auth flow", "Billing", "Beta invite list",
                                  "Import from CSV", "Public launch", "First paying user",
                                  "Write-up")):
            if i < 4:
                ms.append(f"- [x] {name} ✅ {d(-180 + i * 35)}")
            elif i == 4:
                ms.append(f"- [x] {name} [completion:: {d(-12)}]")
            else:
                ms.append(f"- [ ] {name} 📅 {d(-5 + (i - 5) * 25)}")
        goals.append(("Ship side project", [
            "type: goal", "title: Ship side project", "status: active", "area: career",
            "focus: true", f"start: {d(-200)}", f"deadline: {d(40)}",
            "why: Own something end to end", "tags: [goal]",
        ], ["# Ship side project", "", self.paragraph(2, 4), "", "## Milestones", "", *ms,
            "", "## Ideas (not milestones)", "", "- [ ] Dark mode", "- [ ] Mobile app", ""]))
        goals.append(("Emergency fund", [
            "type: goal", "status: active", "area: finances", f"start: {d(-500)}",
            f"deadline: {d(200)}", "why: Sleep well when things go wrong",
            "baseline: 1000", "target: 12000", "current: 7450", "unit: EUR", "tags: [goal]",
        ], ["# Emergency fund", "", "| Month | Saved |", "|---|---|",
            *[f"| {iso(e - timedelta(days=30 * k))[:7]} | {rng.randint(300, 900)} |"
              for k in range(6, 0, -1)], "", self.paragraph(2, 3), ""]))
        goals.append(("Read 24 books", [
            "type: goal", "status: active", "area: growth", "focus: true",
            f"start: {e.year}-01-01", f"deadline: {e.year}-12-31",
            "why: Keep a beginner's mind", 'vision: "[[Vision]]"', "values: [curiosity]",
            "baseline: 0", "target: 24", "current: 19", "unit: books", "tags: [goal, books]",
        ], ["# Read 24 books", "",
            *[f"- [x] [[{t}]]" for t in self.titles[:5]],
            "", "Tracked by hand in `current`.", ""]))
        goals.append(("Reconnect with old friends", [
            "type: goal", "status: active", "area: relationships", f"start: {d(-120)}",
            f"deadline: {d(-10)}", "tags: [goal]",
        ], ["# Reconnect with old friends", "", "No why written yet.", "",
            "## Milestones", "",
            f"- [x] Call Tom [completion:: {d(-100)}]",
            f"- [x] Dinner with Lena and Omar [due:: {d(-60)}] [completion:: {d(-58)}]",
            f"- [ ] Weekend trip with the old flat [due:: {d(-20)}]",
            f"- [ ] Write to Sofia [due:: {d(-15)}]",
            "", "## Ideas", "", "- [ ] Book club?", "- [x] Group chat revived", ""]))
        goals.append(("Learn Spanish", [
            "type: goal", "status: done", "area: growth", f"start: {d(-700)}",
            f"deadline: {d(-30)}", "why: Talk to my in-laws in their language",
            "tags: [goal, language]",
        ], ["# Learn Spanish", "", "## Milestones", "",
            f"- [x] A1 course ✅ {d(-600)}", f"- [x] A2 course ✅ {d(-420)}",
            f"- [x] One hour conversation ✅ {d(-200)}", f"- [x] B1 exam 📅 {d(-40)} ✅ {d(-45)}",
            "", self.paragraph(2, 4), ""]))
        for title, fm, body in goals[: max(0, self.fixed - 9)]:
            self.write(f"Goals/{title}.md", "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body))

    # ---- journal notes

    def write_journals(self) -> None:
        rng = self.rng
        rnd = rng.random
        choice = rng.choice
        randint = rng.randint
        habits = {h["name"]: h for h in HABITS}
        starts = {h["name"]: self.habit_start(h) for h in HABITS}
        state = {name: False for name in habits}
        marathon_start = self.end - timedelta(days=300)
        titles = self.titles
        prev = None
        for day in self.journal_dates:
            wd = day.weekday()
            ds = iso(day)
            # --- what happened today: name -> "done" | "missed" | "skip" | None
            marks: dict[str, str | None] = {}
            done_count = 0
            for name in BOOL_HABITS:
                h = habits[name]
                if day < starts[name]:
                    continue
                if name == "Stretch":
                    due = wd in (0, 2, 4)
                elif name == "Water plants":
                    due = (day - starts[name]).days % 2 == 0
                else:
                    due = True
                if not due:
                    if rnd() < 0.04:
                        marks[name] = "done"
                    continue
                p = h["p_stay"] if state[name] else h["p_back"]
                r = rnd()
                if r < 0.03:
                    marks[name] = "skip"
                    continue
                done = r < p
                state[name] = done
                if done:
                    marks[name] = "done"
                    done_count += 1
                elif rnd() < 0.6:
                    marks[name] = "missed"
            run_km = None
            if day >= starts["Run"]:
                if rnd() < 0.45:
                    marks["Run"] = "done"
                    done_count += 1
                    run_km = round(3 + rnd() * 12 + (rnd() * 15 if wd == 6 else 0), 1)
                elif rnd() < 0.3:
                    marks["Run"] = "missed"
            deep = None
            if day >= starts["Deep Work"] and wd < 5 and rnd() < 0.85:
                deep = max(0, min(240, int(rng.gauss(95, 35))))
            screen = None
            if day >= starts["Screen time"] and rnd() < 0.8:
                screen = max(5, int(rng.gauss(115, 35)))
            mood = max(1, min(5, round(2.6 + 0.35 * done_count + rng.gauss(0, 0.8))))
            energy = max(1, min(5, round(3 + rng.gauss(0, 1.0))))

            # --- recording style of the check-offs
            r = rnd()
            style = "tasks" if r < 0.55 else "fields" if r < 0.80 else \
                "inline" if r < 0.92 else "frontmatter"

            # --- front matter
            fm = []
            if rnd() < 0.9:
                fm.append(f"date: {ds}")
            mood_where = rnd()
            bad_mood = rnd() < 0.001
            if mood_where < 0.85:
                fm.append(f"mood: {choice(('6', 'ok', '0')) if bad_mood else mood}")
                fm.append(f"energy: {energy}")
            ntags = randint(0, 2)
            tags = ["journal", *rng.sample(JOURNAL_TAGS, ntags)]
            tr = rnd()
            if tr < 0.04:
                pass  # no tags (with no date and mood in the body: no front matter at all)
            elif tr < 0.6:
                fm.append("tags: [" + ", ".join(tags) + "]")
            elif tr < 0.9:
                fm.append("tags:\n" + "\n".join(f"  - {t}" for t in tags))
            else:
                fm.append("tags: journal")
            if rnd() < 0.25:
                fm.append(f"wake-up: {randint(5, 8):02d}:{choice((0, 15, 30, 45)):02d}")
            if rnd() < 0.10:
                fm.append(f"outside: {choice(('yes', 'no', 'on', 'off'))}")
            if rnd() < 0.3:
                fm.append(f"weather: {choice(WEATHER)}")
            if style == "frontmatter":
                done_names = [n for n, m in marks.items() if m == "done"]
                fr = rnd()
                if fr < 0.5 and done_names:
                    fm.append("habits: [" + ", ".join(done_names) + "]")
                elif fr < 0.8 and marks:
                    fm.append("habits:")
                    for n, m in marks.items():
                        fm.append(f"  {n}: " + ("true" if m == "done" else
                                                "skip" if m == "skip" else "false"))
                else:
                    for n, m in marks.items():
                        fm.append(f"{habits[n]['key']}: " + ("true" if m == "done" else
                                                             "skip" if m == "skip" else "false"))

            out = ["---", *fm, "---"] if fm else []
            tr = rnd()
            if tr < 0.7:
                out.append(f"# {WEEKDAYS[wd]}, {day.day} {MONTHS[day.month - 1]} {day.year}")
                out.append("")
            elif tr < 0.9:
                out.append(f"# {ds}")
                out.append("")
            if rnd() < 0.3:
                out.append(f"[[{iso(day - timedelta(days=1))}|← yesterday]] · "
                           f"[[{iso(day + timedelta(days=1))}|tomorrow →]]")
                out.append("")
            if mood_where >= 0.85 and mood_where < 0.97:
                out.append("## Check-in")
                out.append("")
                out.append(f"mood:: {choice(('6', 'meh')) if bad_mood else mood}")
                out.append(f"energy:: {energy}")
                out.append("")

            # --- habits
            fields = []
            if deep is not None:
                fields.append(f"deep-work:: {deep}")
            if screen is not None:
                fields.append(f"screen-time:: {screen}")
            if run_km is not None and day >= marathon_start:
                fields.append(f"km:: {run_km}")
            if rnd() < 0.4:
                fields.append(f"sleep:: {round(5 + rnd() * 4, 1)}")
            if style == "tasks" and marks:
                out.append(choice(("## Habits", "## Habits", "## Routine", "### Habits")))
                out.append("")
                br = rnd()
                bullet = "-" if br < 0.85 else "*" if br < 0.92 else "+" if br < 0.96 else "1."
                items = []
                for n, m in marks.items():
                    h = habits[n]
                    box = ("[X]" if rnd() < 0.05 else "[x]") if m == "done" else \
                        "[-]" if m == "skip" else "[ ]"
                    tr = rnd()
                    if tr < 0.7:
                        text = n
                    elif tr < 0.85 and "details" in h:
                        text = f"{n} {choice(h['details'])}"
                    elif tr < 0.93:
                        text = f"[[{n}]]"
                    elif tr < 0.96:
                        text = f"[[Habits/{n}|{n.lower()}]]"
                    elif "aliases" in h:
                        text = choice(h["aliases"])
                    else:
                        text = n
                    items.append((box, text))
                if rnd() < 0.15 and bullet == "-":
                    out.append("- Morning routine")
                    out.extend(f"\t- {box} {text}" for box, text in items)
                else:
                    for i, (box, text) in enumerate(items):
                        b = f"{i + 1}." if bullet == "1." else bullet
                        out.append(f"{b} {box} {text}")
                out.append("")
            elif style == "fields" and marks:
                for n, m in marks.items():
                    v = choice(TRUE_WORDS) if m == "done" else "skip" if m == "skip" else \
                        choice(FALSE_WORDS)
                    fields.insert(0, f"{habits[n]['key']}:: {v}")
            if fields:
                if style == "fields" or rnd() < 0.5:
                    out.append(choice(("## Log", "## Tracking", "## Metrics")))
                    out.append("")
                out.extend(fields)
                out.append("")

            # --- wins / lessons / gratitude
            lvl = "##" if rnd() < 0.85 else choice(("###", "#"))
            lower = rnd() < 0.05
            for sec, pool, p_sec, lo, hi in (
                ("Wins", self.wins, 0.9, 1, 4),
                (None, self.lessons, 0.7, 1, 3),
                (None, self.gratitude, 0.8, 1, 3),
            ):
                if rnd() >= p_sec:
                    continue
                if sec is None:
                    if pool is self.lessons:
                        sr = rnd()
                        sec = "Lessons" if sr < 0.8 else "Learned" if sr < 0.9 else "Setbacks"
                    else:
                        sec = "Gratitude" if rnd() < 0.9 else "Grateful"
                out.append(f"{lvl} {sec.lower() if lower else sec}")
                out.append("")
                for _ in range(randint(lo, hi)):
                    out.append(f"- {choice(pool)}")
                    if rnd() < 0.12:
                        out.append(f"\t- {choice(self.sentences)}")
                        if rnd() < 0.3:
                            out.append(f"\t\t- {choice(self.sentences)}")
                out.append("")

            if style == "inline" and marks:
                bits = []
                for n, m in marks.items():
                    v = choice(TRUE_WORDS) if m == "done" else "skip" if m == "skip" else \
                        choice(FALSE_WORDS)
                    k = habits[n]["key"]
                    bits.append(f"[{k}:: {v}]" if rnd() < 0.7 else f"({k}:: {v})")
                    bits.append(choice(self.sentences))
                out.append(choice(self.sentences) + " " + " ".join(bits))
                out.append("")

            # --- extras
            if rnd() < 0.12:
                kind = choice(CALLOUT_KINDS)
                out.append(f"> [!{kind}] {choice(('Thought', 'Quote of the day', 'Remember', ''))}"
                           .rstrip())
                for _ in range(randint(1, 3)):
                    out.append(f"> {choice(self.sentences)}")
                if titles and rnd() < 0.4:
                    out.append(f"> See [[{choice(titles)}]].")
                out.append("")
            elif rnd() < 0.05:
                out.append(f"> {choice(self.sentences)}")
                out.append("")
            if rnd() < 0.08:
                out.append("| Time | What |")
                out.append("|---|---|")
                for _ in range(randint(3, 8)):
                    out.append(f"| {randint(6, 22):02d}:{choice((0, 30)):02d} | "
                               f"{choice(self.wins)} |")
                out.append("")
            if rnd() < 0.05:
                self.fence(out)
            if rnd() < 0.005:
                # An indented code block (after a paragraph and a blank line, outside any list).
                out.append("## Snippet")
                out.append("")
                out.append("The template I tried, kept as code:")
                out.append("")
                out.append("    - [x] Meditate")
                out.append("    run:: true")
                out.append("")
            if rnd() < 0.03:
                out.append(f"![[photo-{choice(('beach', 'desk', 'cake', 'trail'))}.jpg]]")
                out.append("")
            if rnd() < 0.1:
                out.append(f"#{choice(JOURNAL_TAGS)} #journal")
                out.append("")

            # --- prose up to the target size
            target = self.target_size()
            size = sum(len(s) for s in out) + len(out)
            if size < target:
                out.append(choice(("## Notes", "## Journal", "## Reflection", "## Freewrite")))
                out.append("")
                while size < target:
                    para = self.paragraph()
                    out.append(para)
                    out.append("")
                    size += len(para) + 2
                    if size < target and target > 15000 and rnd() < 0.05:
                        size += self.big_table(out)
            if rnd() < 0.05:
                out.append("")
                out.append("---")
                out.append("")
                out.append(f"Written on the {choice(('train', 'couch', 'balcony', 'phone'))}.")
            if titles and rnd() < 0.5:
                out.append("")
                out.append("Links: " + ", ".join(f"[[{choice(titles)}]]"
                                                 for _ in range(randint(1, 3))))
            if prev is not None and rnd() < 0.1:
                out.append(f"Continued from [[{iso(prev)}]].")
            self.write(f"Journal/{day.year}/{ds}.md", "\n".join(out) + "\n")
            prev = day

    def target_size(self) -> int:
        rng = self.rng
        r = rng.random()
        if r < 0.01:
            return rng.randint(20000, 50000)
        if r < 0.06:
            return rng.randint(3000, 8000)
        return int(rng.triangular(500, 2400, 1000))

    def big_table(self, out: list[str]) -> int:
        rng = self.rng
        rows = ["| Date | Habit | Done | Note |", "|---|---|---|---|"]
        for _ in range(rng.randint(30, 120)):
            rows.append(f"| {iso(self.end - timedelta(days=rng.randrange(3000)))} | "
                        f"{rng.choice(BOOL_HABITS)} | {rng.choice(('yes', 'no'))} | "
                        f"{rng.choice(self.wins)} |")
        rows.append("")
        out.extend(rows)
        return sum(len(r) + 1 for r in rows)

    def fence(self, out: list[str]) -> None:
        """A code block holding task and field look-alikes that must not count."""
        rng = self.rng
        r = rng.random()
        if r < 0.55:
            out += ["Template I might switch to:", "", "```markdown", "## Habits",
                    "- [x] Meditate", "- [ ] Run", "- [-] Read", "meditate:: false",
                    "mood:: 1", "## Wins", "- not a real win", "```", ""]
        elif r < 0.8:
            out += ["```python", "tasks = [", '    "- [x] Stretch",', "]",
                    "# deep-work:: 300", "for t in tasks:", "    print(t)", "```", ""]
        elif r < 0.95:
            out += ["~~~", "- [x] Water plants", "water-plants:: true", "energy:: 5", "~~~", ""]
        else:
            out += ["````md", "```", "- [x] Run", "```", "- [x] Meditate",
                    "meditate:: done", "````", ""]

    # ---- ordinary notes

    def write_notes(self) -> None:
        rng = self.rng
        rnd = rng.random
        choice = rng.choice
        randint = rng.randint
        titles = self.titles
        for title, cat, created in zip(titles, self.note_cats, self.note_created, strict=True):
            out = []
            if rnd() < 0.6:
                fm = [f"created: {iso(created)}"]
                tags = [cat.lower().rstrip("s"), *rng.sample(NOTE_TAGS, randint(0, 2))]
                fm.append("tags: [" + ", ".join(tags) + "]")
                if rnd() < 0.15:
                    fm.append(f'aliases: ["{title.lower()}"]')
                if rnd() < 0.2:
                    fm.append(f"status: {choice(('draft', 'evergreen', 'seedling'))}")
                if cat == "Books":
                    fm.append(f"author: {choice(FIRST_NAMES)} {choice(LAST_NAMES)}")
                    fm.append(f"rating: {randint(1, 5)}")
                if rnd() < 0.1:
                    fm.append(f"source: https://example.com/{randint(1000, 99999)}")
                out += ["---", *fm, "---"]
            out.append(f"# {title}")
            out.append("")
            target = self.target_size()
            size = len(title) + 3
            first = True
            while size < target or first:
                if not first or rnd() < 0.7:
                    h = f"## {choice(NOTE_HEADINGS)}"
                    out.append(h)
                    out.append("")
                    size += len(h) + 2
                first = False
                r = rnd()
                if r < 0.55:
                    para = self.paragraph(2, 7)
                    out.append(para)
                    size += len(para) + 1
                elif r < 0.8:
                    for _ in range(randint(2, 6)):
                        if rnd() < 0.35:
                            item = f"- [[{choice(titles)}]] {choice(self.sentences)}"
                        else:
                            item = f"- {choice(self.sentences)}"
                        out.append(item)
                        size += len(item) + 1
                        if rnd() < 0.15:
                            out.append(f"\t- {choice(self.wins)}")
                            size += 40
                elif r < 0.9:
                    for _ in range(randint(2, 5)):
                        box = "[x]" if rnd() < 0.4 else "[ ]"
                        # Ordinary notes are ignored, so these never count as check-offs.
                        text = choice(("Meditate", "Run")) if rnd() < 0.05 else choice(self.wins)
                        out.append(f"- {box} {text}")
                        size += len(text) + 7
                elif r < 0.95:
                    q = f"> {choice(self.sentences)}\n> — {choice(FIRST_NAMES)}"
                    out.append(q)
                    size += len(q) + 1
                else:
                    out += ["```", f"{choice(TOPICS)} = {randint(1, 99)}", "- [x] Run", "```"]
                    size += 40
                out.append("")
                size += 1
            if rnd() < 0.3:
                link = f"Related: [[{choice(titles)}|{choice(TOPICS)}]], " \
                       f"[{choice(TOPICS)}](https://example.org/{randint(1, 9999)})"
                out.append(link)
            self.write(f"Notes/{cat}/{title}.md", "\n".join(out) + "\n")

    def write_inbox(self) -> None:
        rng = self.rng
        for i in range(self.n_inbox):
            name = "Untitled" if i == 0 else f"Untitled {i}"
            out = [rng.choice(self.sentences)]
            if rng.random() < 0.5:
                out.append("")
                out.append(self.paragraph(1, 3))
            if self.titles and rng.random() < 0.3:
                out.append(f"[[{rng.choice(self.titles)}]]")
            if rng.random() < 0.2:
                out.append(f"- [ ] {rng.choice(self.wins)}")
            self.write(f"Inbox/{name}.md", "\n".join(out) + "\n")

    def write_template(self) -> None:
        if not self.n_template:
            return
        lines = ["---", 'date: <% tp.date.now("YYYY-MM-DD") %>', "mood:", "energy:",
                 "tags: [journal]", "---", '# <% tp.date.now("dddd, D MMMM YYYY") %>', "",
                 "## Habits", ""]
        lines += [f"- [ ] {n}" for n in ("Meditate", "Run", "Read", "Stretch")]
        lines += ["", "deep-work:: ", "", "## Wins", "", "- ", "", "## Lessons", "", "- ",
                  "", "## Gratitude", "", "- ", ""]
        self.write("Templates/Daily.md", "\n".join(lines))

    # ---- misc files

    def write_misc(self) -> None:
        self.write(".obsidian/daily-notes.json",
                   json.dumps({"folder": "Journal", "format": "YYYY-MM-DD"}) + "\n", md=False)
        self.write(".obsidian/app.json",
                   json.dumps({"alwaysUpdateLinks": True, "newFileLocation": "folder",
                               "newFileFolderPath": "Inbox",
                               "attachmentFolderPath": "Attachments"}, indent=2) + "\n",
                   md=False)
        self.write(".obsidian/" + MARKER, json.dumps({
            "generator": "benchmarks/generate_vault.py", "notes": self.n, "seed": self.seed,
            "end": iso(self.end)}, indent=2) + "\n", md=False)
        self.write(".trash/2019-01-01.md",
                   "---\nmood: 1\n---\n- [x] Meditate\nrun:: true\n", md=False)
        for name in ("beach", "desk", "cake", "trail"):
            self.write_bytes(f"Attachments/photo-{name}.jpg",
                             b"\xff\xd8\xff\xe0" + name.encode() * 64 + b"\xff\xd9")

    def run(self) -> None:
        self.plan()
        self.titles = []
        self.build_pools()
        self.make_titles()
        if self.fixed >= 1:
            self.write_vision()
        for h in HABITS[: max(0, self.fixed - 1)]:
            self.write_habit(h)
        self.write_goals()
        self.write_journals()
        self.write_notes()
        self.write_inbox()
        self.write_template()
        self.write_misc()


GOAL_TITLES = ("Run a marathon", "Ship side project", "Emergency fund", "Read 24 books",
               "Reconnect with old friends", "Learn Spanish")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Generate a deterministic synthetic vault for mdmastery benchmarks.")
    ap.add_argument("out_dir", metavar="OUT_DIR")
    ap.add_argument("--notes", "-n", type=int, required=True,
                    help="number of .md notes outside hidden folders (e.g. 1000, 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 22),
                    help="date of the last journal note (default 2026-11-22)")
    ap.add_argument("--force", action="store_true",
                    help="replace OUT_DIR if it holds a vault made by this generator")
    args = ap.parse_args(argv)
    if args.notes < 1:
        ap.error("--notes must be at least 1")
    out = args.out_dir
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        if not args.force:
            ap.error(f"{out} exists and is not empty (use --force to replace a generated vault)")
        if not os.path.isfile(os.path.join(out, ".obsidian", MARKER)):
            ap.error(f"{out} was not made by this generator; refusing to delete it")
        shutil.rmtree(out)
    t0 = time.perf_counter()
    g = Generator(out, args.notes, args.seed, args.end)
    g.run()
    secs = time.perf_counter() - t0
    print(f"{out}: {g.md_files} notes ({g.n_journals} journal, "
          f"{g.n_notes + g.n_inbox + g.n_template} ordinary, {g.fixed} habit/goal/vision), "
          f"{g.files} files, {g.bytes} bytes ({g.bytes / 1e6:.1f} MB, "
          f"{g.bytes / max(1, g.md_files) / 1000:.2f} KB/note), seed {args.seed}, "
          f"end {iso(args.end)}, {secs:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Closed word lists of the second round of fact kinds: each maps a spelling to one canonical value, so that an editor's
change of form (larger = bigger, daily = every day, children = kids) keeps the fact and a change of value does not.

- comparison: comparatives and superlatives, by dimension and direction (bigger, faster, older, cheapest...);
- period: how often (per day, weekly, hourly...);
- daypart: parts of the day (morning, afternoon, evening, night);
- unit: what a number counts in time (14 days is not 14 weeks);
- title: a person's title (Dr., Prof.), after which a capital starts a name, not a sentence;
- quantity: quantifiers (all, some, both, few, several, many);
- term: ordinary lower-case words that name one of a few mutually exclusive alternatives (kids or adults, staging or
  production, read or write, customer or supplier, enable or disable). A word of a group in the original must stay;
  a word of a group the answer adds is a new fact.
"""

from __future__ import annotations

# Months and weekdays, each spelling to one short canonical form (read by extract.py, and by clauses.py in the object
# of a directional word: "before jan 31" = "before January 31").
MONTHS = {
    "january": "jan", "jan": "jan", "february": "feb", "feb": "feb", "march": "mar", "mar": "mar",
    "april": "apr", "apr": "apr", "may": "may", "june": "jun", "jun": "jun", "july": "jul", "jul": "jul",
    "august": "aug", "aug": "aug", "september": "sep", "sept": "sep", "sep": "sep", "october": "oct",
    "oct": "oct", "november": "nov", "nov": "nov", "december": "dec", "dec": "dec",
}  # fmt: skip
WEEKDAYS = {
    "monday": "mon", "mon": "mon", "tuesday": "tue", "tue": "tue", "tues": "tue", "wednesday": "wed",
    "wed": "wed", "weds": "wed", "thursday": "thu", "thu": "thu", "thur": "thu", "thurs": "thu", "friday": "fri",
    "fri": "fri", "saturday": "sat", "sunday": "sun", "weekend": "weekend", "weekday": "weekday",
}  # fmt: skip
WEEKDAYS.update(
    {f"{day}s": short for day, short in WEEKDAYS.items() if day.endswith(("day", "end"))}
)  # "on tuesdays", "weekends"
# "sat" and "sun" are also ordinary words: they are weekdays only after one of these words ("before sat").
SHORT_WEEKDAYS = {"sat": "sat", "sun": "sun"}
_WEEKDAY_LEADS_TEXT = (
    "on by before after until till from to through thru next this last every each coming for sat sun am pm hours hrs "
    "minutes mins else otherwise"
)
WEEKDAY_LEADS = frozenset(_WEEKDAY_LEADS_TEXT.split())


def _spread(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{canonical: (spellings...)} -> {spelling: canonical}."""
    return {spelling: canonical for canonical, spellings in groups.items() for spelling in (canonical, *spellings)}


COMPARISONS = _spread(
    {
        "bigger": ("larger", "biggest", "largest"),
        "smaller": ("smallest", "tinier", "tiniest"),
        "faster": ("quicker", "fastest", "quickest", "sooner"),
        "slower": ("slowest",),
        "older": ("oldest", "elder", "eldest"),
        "newer": ("newest", "younger", "youngest", "recenter"),
        "cheaper": ("cheapest", "less expensive", "least expensive"),
        "dearer": ("pricier", "priciest", "costlier", "costliest", "more expensive", "most expensive"),
        "shorter": ("shortest",),
        "longer": ("longest",),
        "heavier": ("heaviest",),
        "lighter": ("lightest",),
        "highest": (),
        "lowest": (),
        "warmer": ("warmest", "hotter", "hottest"),
        "colder": ("coldest", "cooler", "coolest"),
        "louder": ("loudest",),
        "quieter": ("quietest",),
        "wider": ("widest", "broader"),
        "narrower": ("narrowest",),
        "thicker": ("thickest",),
        "thinner": ("thinnest",),
        "stronger": ("strongest",),
        "weaker": ("weakest",),
        "easier": ("easiest", "simpler", "simplest"),
        "harder": ("hardest", "more difficult", "most difficult"),
        "better": ("best",),
        "worse": ("worst",),
        "closer": ("closest", "nearer", "nearest"),
        "farther": ("farthest", "furthest"),
        "taller": ("tallest",),
        "brighter": ("brightest",),
        "darker": ("darkest",),
        "riskier": ("riskiest",),
        "safer": ("safest",),
        "sharper": ("sharpest", "crisper"),
        "softer": ("softest", "blurrier", "blurriest"),
    }
)

# "per week" = "a week" (after a count) = "every week" = "weekly".
PERIOD_NOUNS = _spread(
    {
        "second": ("sec",),
        "minute": ("min",),
        "hour": ("hr",),
        "day": (),
        "night": (),
        "week": (),
        "fortnight": (),
        "month": ("mo",),
        "quarter": (),
        "year": ("yr", "annum"),
    }
)
# Read only after "per": "per seat", but "each user" is a quantity.
PER_NOUNS = _spread({"person": ("head", "guest"), "seat": (), "user": (), "visit": (), "shift": (), "unit": ()})
PERIOD_ADVERBS = {
    "hourly": "hour", "daily": "day", "nightly": "night", "weekly": "week", "fortnightly": "fortnight",
    "biweekly": "fortnight", "monthly": "month", "quarterly": "quarter", "yearly": "year", "annually": "year",
    "annual": "year",
}  # fmt: skip

DAYPARTS = _spread(
    {
        "morning": ("mornings",),
        "afternoon": ("afternoons",),
        "evening": ("evenings",),
        "night": ("nights", "overnight", "nighttime"),
        "lunchtime": ("lunch-time",),
        "dawn": ("sunrise",),
        "dusk": ("sunset",),
    }
)

UNITS = _spread(
    {
        "second": ("seconds", "sec", "secs", "s"),
        "minute": ("minutes", "min", "mins"),
        "hour": ("hours", "hr", "hrs", "h"),
        "day": ("days", "d"),
        "night": ("nights",),
        "week": ("weeks", "wk", "wks"),
        "month": ("months", "mo", "mos"),
        "year": ("years", "yr", "yrs"),
        "kb": (),
        "mb": (),
        "gb": (),
        "tb": (),
        "ms": ("milliseconds", "millisecond"),
        "km": ("kilometres", "kilometers", "kilometre", "kilometer"),
        "mile": ("miles",),
        "kg": ("kilos", "kilograms", "kilogram"),
        "g": ("grams", "gram"),
        "mg": ("milligrams", "milligram"),
        "ml": ("millilitres", "milliliters", "millilitre", "milliliter"),
        "litre": ("litres", "liter", "liters", "l"),
        "cm": ("centimetres", "centimeters", "centimetre", "centimeter"),
        "mm": ("millimetres", "millimeters", "millimetre", "millimeter"),
        "inch": ("inches",),
        "foot": ("feet", "ft"),
        "oz": ("ounces", "ounce"),
        "lb": ("lbs",),
        "piece": ("pieces", "pcs", "pc"),
        "people": ("persons", "ppl", "guests", "attendees", "seats", "users", "guys", "folks"),
    }
)

TITLES = _spread(
    {
        "dr": ("doctor",),
        "mr": (),
        "mrs": (),
        "ms": (),
        "mx": (),
        "prof": ("professor",),
        "sir": (),
        "dame": (),
        "rev": ("reverend",),
        "capt": ("captain",),
    }
)
# Account actions, however written (sign up, sign-up, signup): read by extract.py as terms.
ACCOUNT_ACTIONS = {
    "signup": "signup", "signin": "login", "signon": "login", "login": "login", "logon": "login",
    "signout": "logout", "signoff": "logout", "logout": "logout", "logoff": "logout",
}  # fmt: skip
# Abbreviations with a period after which a capital does not start a sentence.
ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "mx", "prof", "st", "sr", "jr", "rev", "capt", "vs", "approx", "no", "eg", "ie",
}  # fmt: skip

QUANTITIES = _spread(
    {
        "all": ("every", "each", "everyone", "everybody", "everything"),
        "some": ("someone", "somebody", "something"),
        "either": (),
        "few": (),
        "several": (),
        "many": ("lots",),
        "couple": (),
    }
)

TERMS = _spread(
    {
        # who
        "child": ("children", "kid", "kids", "toddler", "toddlers"),
        "teen": ("teens", "teenager", "teenagers", "teenage", "teenaged"),
        "adult": ("adults", "grown-ups", "grownups"),
        "senior": ("seniors", "elderly", "pensioners"),
        "student": ("students", "pupil", "pupils"),
        "teacher": ("teachers",),
        "parent": ("parents",),
        "guest": ("guests", "visitor", "visitors"),
        "member": ("members",),
        "admin": ("admins", "administrator", "administrators"),
        "owner": ("owners",),
        "viewer": ("viewers",),
        "customer": ("customers", "client", "clients"),
        "supplier": ("suppliers", "vendor", "vendors"),
        "tenant": ("tenants",),
        "landlord": ("landlords", "landlady"),
        "buyer": ("buyers",),
        "seller": ("sellers",),
        "employer": ("employers",),
        "employee": ("employees", "staff"),
        "contractor": ("contractors", "freelancer", "freelancers"),
        "intern": ("interns",),
        "man": ("men", "male", "males"),
        "woman": ("women", "female", "females"),
        "cat": ("cats", "kitten", "kittens"),
        "dog": ("dogs", "puppy", "puppies"),
        # where and what
        "staging": (),
        "production": ("live-site", "live"),
        "development": ("dev",),
        "sandbox": (),
        "frontend": ("front-end",),
        "backend": ("back-end",),
        "mobile": (),
        "desktop": (),
        "internal": (),
        "external": (),
        "public": (),
        "private": (),
        "inbound": ("incoming",),
        "outbound": ("outgoing",),
        "input": ("inputs",),
        "output": ("outputs",),
        "upstairs": (),
        "downstairs": (),
        "indoors": ("indoor",),
        "outdoors": ("outdoor",),
        "front": ("fronts",),
        "back": ("rear",),
        "entrance": ("entrances", "entry"),
        "exit": ("exits",),
        "inside": ("interior",),
        "outside": ("exterior",),
        "arrival": ("arrivals",),
        "departure": ("departures",),
        "north": ("northern",),
        "south": ("southern",),
        "east": ("eastern",),
        "west": ("western",),
        # access and actions with an opposite
        "read": ("read-only", "readonly"),
        "write": ("read-write",),
        "enable": ("enabled", "enables", "enabling", "activate", "activated"),
        "disable": ("disabled", "disables", "disabling", "deactivate", "deactivated"),
        "show": ("shown", "shows", "display", "displayed"),
        "hide": ("hidden", "hides"),
        "lock": ("locked", "locks"),
        "unlock": ("unlocked", "unlocks"),
        "allow": ("allowed", "allows", "permit", "permitted"),
        "deny": ("denied", "denies"),
        "include": ("included", "includes", "including"),
        "exclude": ("excluded", "excludes", "excluding"),
        "upload": ("uploads", "uploaded", "uploading"),
        "download": ("downloads", "downloaded", "downloading"),
        "import": ("imports", "imported", "importing"),
        "export": ("exports", "exported", "exporting"),
        "increase": ("increased", "increases", "raise", "raised", "boost"),
        "decrease": ("decreased", "decreases", "reduce", "reduced", "reduces"),
        "buy": ("buys", "bought", "purchase", "purchased"),
        "sell": ("sells", "sold"),
        "start": ("starts", "started", "begin", "begins"),
        "stop": ("stops", "stopped", "halt"),
        "open": ("opens", "opened"),
        "close": ("closes", "closed"),
        "archive": ("archived", "archives"),
        "delete": ("deleted", "deletes", "remove", "removed", "removes"),
        "encrypt": ("encrypted", "encrypts"),
        "decrypt": ("decrypted", "decrypts"),
        "lend": ("lends", "lent"),
        "borrow": ("borrows", "borrowed"),
    }
)

"""The fact check of the enhancement guard: what an edit for grammar and clarity may never change.

normalize.py rewrites both texts into one spelling (3pm = 3 p.m., cant = can't = can not, pw = password, "vs." = vs,
they've = they have) and writes a compound solid in both texts when either shows it (sign up = sign-up = signup);
extract.py reads a set of facts per kind from a normalized text, with the closed word lists of vocabulary.py
(comparatives, periods, parts of the day, units, titles, quantifiers, word groups like kids/adults) and the clause
facts of clauses.py (what "from", "to", "before", "than" point at; conditions and the clause each governs; "if" after
"check" or "ask" is "whether"); compare.py lists what the answer removed, added or reordered (order is compared clause
by clause when whole clauses moved); off_task.py recognises answers that are not an edit at all (code, steps, lists,
chatter, an answer to the text's question).
"""

from apps.assist.enhance.facts.compare import Change, compare_facts
from apps.assist.enhance.facts.off_task import off_task_reason

__all__ = ["Change", "compare_facts", "off_task_reason"]

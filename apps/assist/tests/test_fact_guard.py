"""The fact check and the off-task check of the enhancement guard, its floor on the tuning pairs, and the 503 shape."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.assist.enhance import evaluation, guard, provider
from apps.assist.enhance.facts import compare_facts, off_task_reason
from apps.assist.enhance.facts.clauses import relations
from apps.assist.enhance.facts.extract import extract
from apps.assist.enhance.facts.normalize import join_compounds, normalize
from apps.assist.errors import SuggestionRejected
from apps.assist.tests.conftest import TEST_KEY, completion

URL = "/api/assist/enhance/"


def kinds(original: str, answer: str) -> set[str]:
    return {change.kind for change in compare_facts(original, answer)}


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("call Ana at 3pm", "Call Ana at 3 p.m."),
        ("the budget is 2000 usd", "The budget is $2,000."),
        ("deadline jan 5", "Deadline: January 5."),
        ("book the hall for 3-5 june", "Book the hall for June 3 to 5."),
        ("we cant ship this", "We can't ship this."),
        ("we cant ship this", "We cannot ship this."),
        ("reset the pw for the admin user", "Reset the password for the admin user."),
        ("the second draft is done", "The 2nd draft is done."),
        ("fix #12 in src/app.py", "Fix #12 in src/app.py."),
        ("need 5 chairs", "We need five chairs."),
    ],
)
def test_changes_of_form_keep_the_facts(original, answer):
    assert compare_facts(original, answer) == []


@pytest.mark.parametrize(
    ("original", "answer", "kind"),
    [
        ("do not deploy on friday", "Deploy on Friday.", "negation"),
        ("you must sign it", "You may sign it.", "modality"),
        ("order 40 chairs", "Order 14 chairs.", "number"),
        ("growth 12%, churn 3%", "Growth 3%, churn 12%.", "percent"),
        ("pay 2000 usd", "Pay €2,000.", "currency"),
        ("upgrade to 4.2.1", "Upgrade to 4.2.2.", "version"),
        ("standup at 9am", "Standup at 9 p.m.", "time"),
        ("due monday", "Due Tuesday.", "weekday"),
        ("due in may 3", "Due March 3.", "month"),
        ("at most 3 retries", "At least 3 retries.", "bound"),
        ("fewer than 10 errors", "More than 10 errors.", "bound"),
        ("restart after the backup", "Restart now.", "bound"),
        ("the build failed", "The build succeeded.", "outcome"),
        ("the keys leaked", "The keys are safe.", "outcome"),
        ("send it to Marta", "Send it to Martha.", "name"),
        ("ship it via Stripe and PayPal", "Ship it via PayPal and Stripe.", "name"),
        ("check db1.internal", "Check db2.internal.", "host"),
        ("mail ops@example.com", "Mail dev@example.com.", "email"),
        ("see https://example.com/a", "See https://example.com/b.", "url"),
        ("fixes #41", "Fixes #14.", "issue"),
        ("edit config/base.yml", "Edit config/prod.yml.", "file"),
        ("rename `get_user`", "Rename `fetch_user`.", "code"),
        ("buy milk, eggs and bread", "Buy milk and bread.", "list_item"),
        ("the logo in the header is blurry", "The logo in the footer is blurry.", "place"),
        ("review the draft", "Review the draft by Friday.", "weekday"),
    ],
)
def test_each_kind_of_changed_fact_is_found(original, answer, kind):
    assert kind in kinds(original, answer)


# --- the second round of kinds (vocabulary.py, clauses.py) -------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "answer", "kind"),
    [
        ("the logo must be bigger than the old one", "The logo must be smaller than the old one.", "comparison"),
        ("the import got slower after 3.1", "The import got faster after 3.1.", "comparison"),
        ("keep the older laptop, sell the newer one", "Keep the newer laptop, sell the older one.", "comparison"),
        ("take the cheaper quote", "Take the more expensive quote.", "comparison"),
        ("pay the cleaner 80 eur per week", "Pay the cleaner €80 per month.", "period"),
        ("back up the files daily", "Back up the files weekly.", "period"),
        ("water the plants twice a day", "Water the plants twice a week.", "period"),
        ("costs 12 usd/month per seat", "Costs $12 per year per seat.", "period"),
        ("reply within 14 days", "Reply within 14 weeks.", "unit"),
        ("uploads over 5mb fail", "Uploads over 5 GB fail.", "unit"),
        ("dinner friday evening", "Dinner on Friday afternoon.", "daypart"),
        ("the window is sunday night", "The window is Sunday morning.", "daypart"),
        ("ask dr. mendes about it", "Ask Dr. Mendez about it.", "name"),
        ("Ms. Farah approves the refund", "Ms. Farrah approves the refund.", "name"),
        ("ask dr. mendes about it", "Ask Prof. Mendes about it.", "title"),
        ("notify all users on the old plan", "Notify some users on the old plan.", "quantity"),
        ("book the party for the kids", "Book the party for the adults.", "term"),
        ("run the load test on staging", "Run the load test on production.", "term"),
        ("give the contractor read access", "Give the contractor write access.", "term"),
        ("disable the export button", "Enable the export button.", "term"),
        ("the tenant pays water, the landlord heating", "The landlord pays water, the tenant heating.", "term"),
        ("copy backups from eu-west-1 to us-east-1", "Copy backups from us-east-1 to eu-west-1.", "relation"),
        ("move the sofa from the hall to the attic", "Move the sofa from the attic to the hall.", "relation"),
        ("run the migration before the deploy", "Run the deploy before the migration.", "relation"),
        ("copy backups from eu-west-1 to us-east-1", "Copy backups from us-east-1 to eu-west-1.", "identifier"),
        ("if the tests pass, merge the branch", "Merge the branch.", "condition"),
        ("refund the order unless it shipped", "Refund the order even if it shipped.", "condition"),
        (
            "if the client signs, send the invoice; then book the kickoff",
            "Send the invoice; then, if the client signs, book the kickoff.",
            "condition",
        ),
        ("cut the budget in half", "Cut the budget by a third.", "number"),
    ],
)
def test_each_new_kind_of_changed_fact_is_found(original, answer, kind):
    assert kind in kinds(original, answer)


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("back up the files daily", "Back up the files every day."),
        ("pay the cleaner 80 eur per week", "Pay the cleaner €80 a week."),
        ("costs 12 usd/month", "Costs $12 per month."),
        ("water the plants every 2 days", "Water the plants every two days."),
        ("the logo must be bigger than the old one", "The logo must be larger than the old one."),
        ("dinner friday evening at the harbour", "Dinner on Friday evening at the harbour."),
        ("mr tanaka will sign on monday", "Mr. Tanaka will sign on Monday."),
        ("ask dr. mendes about it", "Ask Dr. Mendes about it."),
        ("book the party for the kids", "Book the party for the children."),
        ("copy backups from eu-west-1 to us-east-1", "Copy the backups from eu-west-1 to us-east-1."),
        ("run the migration before the deploy", "Before the deploy, run the migration."),
        ("run the migration before the deploy", "Run the migration before deploying."),
        ("move the picnic indoors if it rains", "If it rains, move the picnic indoors."),
        ("if the tests pass merge the branch", "If the tests pass, merge the branch."),
        ("notify every user on the old plan", "Notify all users on the old plan."),
        ("book flights berlin to madrid", "Book flights from Berlin to Madrid."),
        ("get quotes from 3 vendors", "Get quotes from three vendors."),
    ],
)
def test_new_kinds_keep_changes_of_form(original, answer):
    assert compare_facts(original, answer) == []


# --- the third round: changes of form that the clause, relation and order rules used to refuse --------------------
# Each normalisation has a change of form that must be accepted and a real change of the same form that must not be.


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        # whether = if where "if" opens an indirect question
        ("check if that still applies", "Check whether that still applies."),
        (
            "ask the landlord if the deposit covers the carpet",
            "Ask the landlord whether the deposit covers the carpet.",
        ),
        ("check with hr whether the new hires get laptops", "Check with HR if the new hires get laptops."),
        # months and weekdays in the object of before/after/until
        ("pay the vat before jan 31", "Pay the VAT before January 31."),
        ("hold the booth until fri", "Hold the booth until Friday."),
        (
            "refund the ticket if the customer asks before sat",
            "Refund the ticket if the customer asks before Saturday.",
        ),
        # a comma after a demonstrative object
        ("after that we give the spots away", "After that, we give the spots away."),
        # abbreviation periods
        ("compare plan a vs plan b", "Compare plan A vs. plan B."),
        ("search ignores accents, e.g. cafe vs café", "Search ignores accents (e.g. cafe vs. café)."),
        ("bring snacks e.g. fruit and nuts", "Bring snacks, e.g., fruit and nuts."),
        # compounds open, hyphenated or solid
        ("webinar signup page needs a clearer cta", "The webinar sign-up page needs a clearer CTA."),
        ("the exam is open book", "The exam is open-book."),
        ("the read only replica lags", "The read-only replica lags."),
        ("send the e mail to the parents", "Send the email to the parents."),
        ("fix the log in button", "Fix the login button."),
        ("set the out of office reply until tues", "Set the out-of-office reply until Tuesday."),
        ("chairs for the 3rd floor room", "Chairs for the third-floor room."),
        # number words and digits in one sentence, read in text order
        ("the 3 new hires starting march 2", "The three new hires starting March 2."),
        ("order five chairs and 12 mugs", "Order 5 chairs and twelve mugs."),
        ("the 2 interns start on the first of june", "The two interns start on June 1."),
        ("we need twenty-five seats", "We need 25 seats."),
        # "15 min" is a unit, not the bound "min"
        ("check in 15 min before the appt", "Check in fifteen minutes before the appointment."),
        # possessives, and a number written as an issue reference
        ("the post mortem for tuesdays outage", "The post-mortem for Tuesday's outage."),
        ("review PR 482 when u can", "Review PR #482 when you can."),
        # a month abbreviation's period, ordinals in words, "compared to" = "vs", account actions however written
        ("pay before Jan. 31, then file", "Pay before January 31, then file."),
        ("the 2nd and 3rd floors need new carpets", "The second and third floors need new carpets."),
        ("prices went up approx. 5% vs last year", "Prices went up approximately 5% compared to last year."),
        ("sign up by fri", "Sign-up by Friday."),
        ("book the venue for sat the 14th", "Book the venue for Saturday the 14th."),
        ("the lab is closed mon-fri after 6pm", "The lab is closed Monday to Friday after 6 p.m."),
        ("move the standup to 9:30 on tues and thurs", "Move the standup to 9:30 on Tuesdays and Thursdays."),
        # "if C X, otherwise Y" split at a semicolon; "know by thursday if"; "ch. 4"; pronoun contractions
        (
            "if the patient is over 65 book a double slot, otherwise a single one",
            "If the patient is over 65, book a double slot; otherwise, book a single one.",
        ),
        ("we'll know by thurs whether the grant is approved", "We will know by Thursday if the grant is approved."),
        (
            "ask the students if they've read ch. 4 before the seminar",
            "Ask the students whether they have read chapter 4 before the seminar.",
        ),
        ("see No. 5 in the list", "See number 5 in the list."),
        # whole clauses moved: the facts keep their clause and their order within it
        ("send the draft to Ana before Ben reviews it", "Before Ben reviews it, send the draft to Ana."),
        ("run db-migrate-2 before deploy-7", "Before deploy-7, run db-migrate-2."),
        (
            "call the plumber on mon if the leak is back by fri",
            "If the leak is back by Friday, call the plumber on Monday.",
        ),
        ("email Lee once Sam approves", "Once Sam approves, email Lee."),
        ("the clinic is closed on sat and sun", "The clinic is closed on Saturdays and Sundays."),
    ],
)
def test_third_round_changes_of_form_keep_the_facts(original, answer):
    assert compare_facts(original, answer) == []


@pytest.mark.parametrize(
    ("original", "answer", "kind"),
    [
        (
            "call the supplier if the invoice is late",
            "Call the supplier whether or not the invoice is late.",
            "condition",
        ),
        ("ask the landlord if the deposit covers it", "Ask the landlord, unless the deposit covers it.", "condition"),
        ("pay the vat before jan 31", "Pay the VAT before June 31.", "month"),
        ("hold the booth until fri", "Hold the booth until Thursday.", "weekday"),
        (
            "refund the ticket if the customer asks before sat",
            "Refund the ticket if the customer asks before Sunday.",
            "weekday",
        ),
        ("after that we give the spots away", "After the raffle, we give the spots away.", "relation"),
        ("compare plan a vs plan b", "Compare plan A vs. plan C.", "name"),
        ("choose renting vs buying", "Choose renting vs. leasing.", "relation"),
        ("webinar signup page needs a clearer cta", "The webinar sign-in page needs a clearer CTA.", "place"),
        ("the exam is open book", "The exam is closed-book.", "term"),
        ("the read only replica lags", "The read-write replica lags.", "term"),
        ("chairs for the 3rd floor room", "Chairs for the fourth-floor room.", "number"),
        ("the 3 new hires starting march 2", "The two new hires starting March 3.", "number"),
        ("order five chairs and 12 mugs", "Order 12 chairs and five mugs.", "number"),
        ("we need twenty-five seats", "We need 35 seats.", "number"),
        ("check in 15 min before the appt", "Check in 15 hours before the appointment.", "unit"),
        ("keep min 3 replicas", "Keep max 3 replicas.", "bound"),
        ("the post mortem for tuesdays outage", "The post-mortem for Monday's outage.", "weekday"),
        ("review PR 482 when u can", "Review PR #483 when you can.", "issue"),
        ("the spare key is by the back door", "The spare key is by the front door.", "term"),
        ("meet at the entrance", "Meet at the exit.", "term"),
        ("pay before Jan. 31, then file", "Pay before February 31, then file.", "month"),
        ("the 2nd and 3rd floors need new carpets", "The third and second floors need new carpets.", "number"),
        ("the pro tier is faster vs the old tier", "The pro tier is faster compared to the free tier.", "relation"),
        ("sign up by fri", "Sign in by Friday.", "term"),
        ("log in with sso", "Log out with SSO.", "term"),
        ("book the venue for sat the 14th", "Book the venue for Sunday the 14th.", "weekday"),
        ("the lab is closed mon-fri after 6pm", "The lab is closed Monday to Thursday after 6 p.m.", "weekday"),
        ("move the standup to 9:30 on tues and thurs", "Move the standup to 9:30 on Tuesdays and Fridays.", "weekday"),
        (
            "if the patient is over 65 book a double slot, otherwise a single one",
            "If the patient is over 65, book a single slot; otherwise, book a double one.",
            "condition",
        ),
        (
            "we'll know by thurs whether the grant is approved",
            "We will know by Thursday unless the grant is approved.",
            "condition",
        ),
        ("ask the students if they've read ch. 4", "Ask the students whether they have read chapter 5.", "number"),
        ("see No. 5 in the list", "See no 5 in the list.", "negation"),
        ("email Lee once Sam approves", "Once Lee approves, email Sam.", "name"),
        ("the clinic is closed on sat and sun", "The clinic is closed on Saturdays and Mondays.", "weekday"),
        ("book 3 rooms if more than 10 people sign up", "If more than 3 people sign up, book 10 rooms.", "number"),
        (
            "call the plumber on mon if the leak is back by fri",
            "If the leak is back by Monday, call the plumber on Friday.",
            "weekday",
        ),
    ],
)
def test_third_round_real_changes_of_the_same_forms_are_found(original, answer, kind):
    assert kind in kinds(original, answer)


def test_relation_objects_compare_months_and_weekdays_in_one_spelling():
    assert relations("pay before jan 31") == relations("pay before january 31")
    assert relations("pay before jan 31") != relations("pay before june 31")
    assert relations("until fri") == relations("until friday") != relations("until thursday")


def test_sat_and_sun_are_weekdays_only_after_a_day_word():
    assert "weekday" in extract(normalize("refund it before sat")).by_kind
    assert "weekday" not in extract(normalize("the cat sat on the mat")).by_kind


def test_compounds_are_joined_only_where_a_text_shows_the_compound():
    assert join_compounds("the signup page", "the sign up page") == ("the signup page", "the signup page")
    assert join_compounds("set up the call", "Set up the call.") == ("set up the call", "Set up the call.")
    assert join_compounds("eu-west-1, 3-5 june", "eu-west-1, 3-5 June") == (
        "eu-west-1, 3-5 june",
        "eu-west-1, 3-5 June",
    )


@pytest.mark.parametrize(
    "answer",
    [
        "```python\nprint('hi')\n```",
        "Steps:\n1. Open the page.\n2. Click Save.",
        "- milk\n- eggs",
        "Sure! Here is the improved version: Fix the footer.",
        "I can't help with that.",
        "Use `git revert HEAD` to undo it.",
    ],
)
def test_code_steps_lists_and_chatter_are_off_task(answer):
    assert off_task_reason("fix the footer", answer) is not None


def test_a_list_the_original_already_has_is_not_off_task():
    original = "packing:\n- tent\n- stove"
    assert off_task_reason(original, "Packing:\n- tent\n- stove") is None


def test_guard_refuses_a_changed_fact_with_the_list_of_changes():
    with pytest.raises(SuggestionRejected) as caught:
        guard.check(original="do not restart db1 before 6pm", suggestion="Restart db1 before 6 a.m.")
    assert caught.value.reason == "facts_changed"
    assert {"kind": "negation", "removed": ["not"], "added": [], "reordered": False} in caught.value.changes
    assert {"kind": "time", "removed": ["18:00"], "added": ["06:00"], "reordered": False} in caught.value.changes


# --- round four: general changes of form, and the same forms with a fact changed ---------------------------------


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("renew reg no 88213 for the van", "Renew registration no. 88213 for the van."),
        ("post the sr backend eng role", "Post the senior backend engineer role."),
        ("conf call w/ the mgr", "Conference call with the manager."),
        ("check the qty b4 ordering", "Check the quantity before ordering."),
    ],
)
def test_abbreviations_are_spelled_out_on_both_sides(original, answer):
    assert compare_facts(original, answer) == []


def test_a_spelled_out_abbreviation_still_sees_a_changed_fact():
    assert "term" in kinds("post the sr backend eng role", "Post the junior backend engineer role.")
    assert "number" in kinds("renew reg no 88213 for the van", "Renew registration no. 88231 for the van.")


def test_no_before_a_record_number_is_a_number_sign_but_no_before_a_count_is_a_negation():
    assert compare_facts("ticket no 4410 is open", "Ticket number 4410 is open.") == []
    assert "negation" in kinds("no 2 people share a desk", "2 people share a desk.")


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("run 45 mins, rest 1 hr", "Run for 45 minutes and rest for 1 hour."),
        ("a 20 min break", "A 20-minute break."),
        ("budget 1.2 thousand eur", "Budget 1.2k EUR."),
    ],
)
def test_unit_spellings_are_one_fact(original, answer):
    assert compare_facts(original, answer) == []


def test_a_changed_unit_is_refused():
    assert kinds("rollback takes 5-10 mins", "Rollback takes 5-10 hours.")


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("slots 4-7pm on 10/9", "Slots from 4 to 7 p.m. on 10/9."),
        ("setup between 7 and 9 pm", "Setup is from 7 to 9 p.m."),
        ("salary band 95-115k", "Salary band 95\u2013115k."),
        ("pays 120-140k", "It pays 120 to 140k."),
        ("read ch 4-6", "Read chapters 4 through 6."),
        ("practice 5:30-7pm", "Practice is from 5:30 to 7 p.m."),
    ],
)
def test_range_spellings_are_one_range(original, answer):
    assert compare_facts(original, answer) == []


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("slots 4-7pm on 10/9", "Slots from 4 to 8 p.m. on 10/9."),
        ("setup between 7 and 9 pm", "Setup is from 7 to 9 a.m."),
        ("pays 120-140k", "It pays 120 to 150k."),
    ],
)
def test_a_changed_range_end_or_half_of_the_day_is_refused(original, answer):
    assert compare_facts(original, answer)


def test_the_am_pm_of_a_range_end_is_given_to_its_start():
    assert normalize("4-7pm") == "4pm-7pm"
    assert normalize("11-1pm") == "11am-1pm"


def test_a_comparison_sign_is_its_words():
    assert compare_facts("fails when cart has >10 items", "Fails when the cart has more than 10 items.") == []
    assert "bound" in kinds("fails when cart has >10 items", "Fails when the cart has fewer than 10 items.")


def test_a_url_without_a_scheme_keeps_its_path():
    original = "donation page is at give.riverkeepers.org/winter"
    assert compare_facts(original, "The donation page is at give.riverkeepers.org/winter.") == []
    assert "url" in kinds(original, "The donation page is at give.riverkeepers.org/spring.")


@pytest.mark.parametrize(
    "answer",
    [
        "Collect the forms from the team by the end of the month.",
        "Collect the forms from the team before the end of the week.",
        "Collect the forms from the team by next week.",
    ],
)
def test_an_added_calendar_deadline_is_refused(answer):
    assert "deadline" in kinds("collect the forms from the team", answer)


def test_a_deadline_the_original_has_is_kept():
    assert compare_facts("file it by end of the month", "File it by the end of the month.") == []


def test_possessives_without_apostrophes_keep_names_and_terms():
    assert compare_facts("fax st marys cardiology", "Fax St. Mary's Cardiology.") == []
    assert compare_facts("kids dentist appt moved to wed", "The kids' dentist appointment moved to Wednesday.") == []
    assert "name" in kinds("fax st marys cardiology", "Fax St. Luke's Cardiology.")


def test_a_short_weekday_before_a_part_of_the_day_is_a_weekday():
    original = "ask if they can come sat morning"
    assert compare_facts(original, "Ask whether they can come on Saturday morning.") == []
    assert "weekday" in kinds(original, "Ask whether they can come on Sunday morning.")


def test_ask_with_a_parenthesis_before_if_is_an_indirect_question():
    original = "ask outside counsel (ferreira & lee) if the dpa covers it"
    assert compare_facts(original, "Ask outside counsel (Ferreira & Lee) whether the DPA covers it.") == []
    assert compare_facts(
        "ask the team to deploy it if the tests pass", "Ask the team to deploy it whether the tests pass."
    )


def test_a_shortened_word_is_similar_to_the_full_word():
    assert compare_facts("move samples until tech checks it", "Move the samples until a technician checks it.") == []
    assert "relation" in kinds("move samples until tech checks it", "Move the samples until a manager checks it.")


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("get: bread, butter, apples x6, oat milk", "Get:\n- bread\n- butter\n- apples x6\n- oat milk"),
        ("agenda - budget review - hiring plan - q3 goals", "Agenda:\n- Budget review\n- Hiring plan\n- Q3 goals"),
        ("buy: milk, eggs x12. max 40 bucks", "Buy, spending at most $40:\n- milk\n- 12 eggs"),
    ],
)
def test_an_inline_list_laid_out_as_bullets_of_the_same_items_is_an_edit(original, answer):
    assert off_task_reason(original, answer) is None
    assert compare_facts(original, answer) == []


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("get: bread, butter, oat milk", "Get:\n- bread\n- butter\n- oat milk\n- coffee beans"),
        ("agenda - budget review - hiring plan", "1. Open the spreadsheet\n2. Compare actuals\n3. Draft requisitions"),
    ],
)
def test_bullets_with_invented_items_or_steps_are_off_task(original, answer):
    assert off_task_reason(original, answer) is not None


def test_a_bullet_list_with_a_changed_or_lost_item_is_a_changed_fact():
    original = "demo agenda - sso setup - audit logs - api limits"
    assert off_task_reason(original, "Demo agenda:\n- SSO setup\n- Audit logs") is None
    assert "list_item" in kinds(original, "Demo agenda:\n- SSO setup\n- Audit logs")
    assert kinds("agenda - budget review - q3 goals", "Agenda:\n- Budget review\n- Q4 goals")


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("ask for a quiet room away from the elevator", "Ask for a quiet room away from the bar."),
        ("the stairwell door doesnt lock", "The stairwell window doesn't lock."),
        ("bring 2 balls", "Bring two cones."),
    ],
)
def test_an_ordinary_noun_swapped_in_the_same_slot_is_refused(original, answer):
    assert "word" in kinds(original, answer)


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("book the pool party for the kids", "Book the pool party for the children."),
        ("repaint the lobby, no biz hours", "Repaint the lobby, not during business hours."),
        ("the import got slower after the upgrade", "The import became slower after the upgrade."),
        ("ask for a quiet room away from the elevator", "Ask for a quiet room away from the elevators."),
    ],
)
def test_a_synonym_spelling_or_verb_in_a_noun_slot_is_not_a_swapped_noun(original, answer):
    assert "word" not in kinds(original, answer)


def test_drift_is_also_measured_with_abbreviations_spelled_out(loaded_encoder):
    original, answer = "read ch 4-6 by thu", "Read chapters 4 through 6 by Thursday."
    assert guard.check(original=original, suggestion=answer).similarity >= guard.min_similarity()
    with pytest.raises(SuggestionRejected) as caught:
        guard.check(original="tidy up the readme wording", suggestion="The weather is lovely by the sea.")
    assert caught.value.reason == "drift"


def test_tuning_split_reads_the_tuning_files_and_the_read_heldout_sets():
    """heldout2 was read for the third round of rules, heldout3 for the fourth, and so on to heldout9 for the
    tenth, so all eight are tuned on now."""
    files = {name: len(evaluation.load_file(name)) for name in evaluation.SPLIT_FILES["tuning"]}
    expected = {"tuning", "tuning2", "tuning3", "tuning4"} | {f"heldout{n}" for n in range(2, 10)}
    assert set(files) == expected and all(files.values())
    assert len(evaluation.load("tuning")) == sum(files.values())


def test_evaluation_set_has_the_promised_size_and_spread():
    rows = evaluation.load("tuning") + evaluation.load("heldout")
    labels = [row.label for row in rows]
    assert len(rows) >= 200
    assert labels.count("faithful") >= 80 and labels.count("fact_changed") >= 80 and labels.count("off_task") >= 40
    assert len({row.kind for row in rows if row.label == "fact_changed"}) >= 20
    assert len({row.domain for row in rows}) >= 7
    assert all(row.kind for row in rows if row.label == "fact_changed")


def test_heldout2_has_the_promised_size_and_spread():
    """heldout2 was written after the second round of rules was frozen and measured once; the third round was tuned
    on it (it is part of the tuning split now), so its own figures no longer measure unseen text."""
    rows = evaluation.load("heldout2")
    labels = [row.label for row in rows]
    assert len(rows) >= 110
    assert labels.count("faithful") >= 40 and labels.count("fact_changed") >= 48 and labels.count("off_task") >= 21
    assert len({row.kind for row in rows if row.label == "fact_changed"}) >= 25
    assert all(row.kind for row in rows if row.label == "fact_changed")
    earlier = [row for name in ("tuning", "tuning2") for row in evaluation.load_file(name)]
    assert not {row.original for row in rows} & {row.original for row in earlier}


def test_guard_meets_its_floor_on_the_tuning_pairs(loaded_encoder):
    """A regression floor on the pairs the guard was developed against (the held-out figures are in BENCHMARKS.md).

    Round three froze at faithful 0.995 (184/185), fact changes 0.995 (198/199), off task 1.000 (60/60) on the
    444 tuning pairs (tuning, tuning2, tuning3, heldout2). Round four froze at faithful 0.986 (287/291), fact changes
    0.994 (310/312), off task 1.000 (98/98) on the 701 tuning pairs (heldout3 and tuning4 joined). Round six froze at
    faithful 0.987 (451/457), fact changes 0.994 (473/476), off task 1.000 (180/180) on the 1,113 tuning pairs
    (heldout4 and heldout5 joined). Round seven froze at faithful 0.987 (540/547), fact changes 0.993 (559/563), off
    task 1.000 (222/222) on the 1,332 tuning pairs (heldout6 joined). Round eight froze at faithful 0.984 (628/638),
    fact changes 0.992 (644/649), off task 1.000 (264/264) on the 1,551 tuning pairs (heldout7 joined). Round nine
    froze at faithful 0.985 (718/729), fact changes 0.992 (726/732), off task 1.000 (306/306) on the 1,767 tuning
    pairs (heldout8 joined). Round ten froze at faithful 0.979 (797/814), fact changes 0.990 (802/810), off task
    1.000 (346/346) on the 1,970 tuning pairs (heldout9 joined)."""
    report = evaluation.evaluate(evaluation.load("tuning"))
    assert report.rate("faithful") >= 0.97
    assert report.rate("fact_changed") >= 0.97
    assert report.rate("off_task") == 1.0


# --- through the API ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_changed_fact_is_a_503_with_reason_and_changes(auth_client, groq_mock):
    groq_mock.reply("Deploy the hotfix on Friday.")
    response = auth_client.post(URL, {"text": "do not deploy the hotfix on friday"}, format="json")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The suggestion was rejected: it changes facts of the original text.",
        "reason": "facts_changed",
        "changes": [{"kind": "negation", "removed": ["not"], "added": [], "reordered": False}],
    }


@pytest.mark.django_db
def test_off_task_answer_is_a_503_with_reason_and_no_suggestion(auth_client, groq_mock):
    groq_mock.reply("```sql\nALTER TABLE users RENAME TO accounts;\n```")
    response = auth_client.post(URL, {"text": "rename the users table"}, format="json")
    assert response.status_code == 503
    body = response.json()
    assert body["reason"] == "off_task" and "suggestion" not in body and "changes" not in body


@pytest.mark.django_db
def test_drifted_answer_is_a_503_with_reason_drift(auth_client, groq_mock, loaded_encoder):
    groq_mock.reply("The weather is lovely by the sea.")  # no fact of the original changed: only drift
    response = auth_client.post(URL, {"text": "tidy up the readme wording"}, format="json")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The suggestion was rejected: its meaning drifted from the original text.",
        "reason": "drift",
    }


class _StandIn(BaseHTTPRequestHandler):
    """A local stand-in for Groq's OpenAI-compatible endpoint: one scripted answer for every request."""

    answer = ""
    paths: list[str] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        type(self).paths.append(self.path)
        body = json.dumps(completion(type(self).answer)).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.django_db
def test_groq_base_url_is_honoured_and_the_guard_judges_its_answers(auth_client, settings, monkeypatch):
    """An outside evaluation points GROQ_BASE_URL at its own stand-in: the SDK must go there, the guard must judge."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.GROQ_API_KEY = TEST_KEY
        monkeypatch.setenv("GROQ_BASE_URL", f"http://127.0.0.1:{server.server_port}")
        monkeypatch.setattr(provider, "_cached", None)  # the per-process client was built for another base URL
        _StandIn.paths = []
        _StandIn.answer = "Order 50 chairs for Saturday."
        response = auth_client.post(URL, {"text": "order 40 chairs for saturday"}, format="json")
        assert response.status_code == 503
        assert response.json()["changes"] == [
            {"kind": "number", "removed": ["40"], "added": ["50"], "reordered": False}
        ]
        assert _StandIn.paths == ["/openai/v1/chat/completions"]
    finally:
        server.shutdown()
        server.server_close()
        monkeypatch.setattr(provider, "_cached", None)

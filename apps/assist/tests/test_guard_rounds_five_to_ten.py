"""Rounds five to ten of the enhancement guard: changes of form an editor makes that keep every fact, the same forms
with a fact changed, and answers that do the task instead of editing it. Written for round five (before heldout5 was
merged or read) from the kinds of edit heldout4's misses showed, and for round six (before heldout6 was merged or
read) from heldout5's, for round seven from heldout6's, for round eight from heldout7's, for round nine from heldout8's
and for round ten from heldout9's (each before the next blind set was merged or read); the rows of heldout4 to
heldout9 are in the tuning split."""

from __future__ import annotations

import pytest

from apps.assist.enhance.facts import compare_facts, off_task_reason

FAITHFUL = [
    # rounds five and six (from the kinds of edit heldout4's and heldout5's misses showed)
    ("conf room booked 3-5 june for the offsite", "The conference room is booked from June 3 to 5 for the offsite."),
    ("budget 5k for the launch", "The budget for the launch is 5,000."),
    ("call the vendor at 12pm", "Call the vendor at noon."),
    ("speed limit on site is 10mph", "The speed limit on site is 10 mph."),
    ("need 10pcs of the bracket", "We need 10 pieces of the bracket."),
    ("rename get_user_tz to resolve_timezone", "Rename `get_user_tz` to `resolve_timezone`."),
    (
        "update give.riverkeepers.org/winter with the new photo",
        "Update https://give.riverkeepers.org/winter with the new photo.",
    ),
    ("invoice due 12/15, pay before then", "The invoice is due December 15; pay it before then."),
    ("we have to renew the lease by friday", "We must renew the lease by Friday."),
    ("we have to renew the lease by friday", "We need to renew the lease by Friday."),
    ("book flights for the nyc trip", "Book flights for the New York City trip."),
    ("no more than 3 people per room", "At most three people per room."),
    ("order over 50 chairs", "Order more than 50 chairs."),
    ("ship the order w/out the invoice", "Ship the order without the invoice."),
    ("ship the order with no invoice", "Ship the order without an invoice."),
    ("move the standup to weds", "Move the stand-up to Wednesday."),
    ("install two hundred seats", "Install 200 seats."),
    ("the form is reqd for all new hires", "The form is required for all new hires."),
    ("finish the report w/in 2 days", "Finish the report within two days."),
    ("meeting at 3 o'clock in room 4", "The meeting is at 3:00 in room 4."),
    ("pay the deposit b/c the venue asked", "Pay the deposit because the venue asked."),
    ("pto request for next wk, 3 days", "PTO request for next week: three days."),
    ("send it by cob thurs", "Send it by close of business Thursday."),
    ("the vpn drops every 20 mins on wifi", "The VPN drops every 20 minutes on Wi-Fi."),
    ("charge 2.5% fee on card payments above 1k", "Charge a 2.5% fee on card payments above 1,000."),
    ("the test suite takes ~40min, cut it to under 15", "The test suite takes about 40 minutes; cut it to under 15."),
    ("tell the client the delivery slipped to mon", "Tell the client that the delivery has slipped to Monday."),
    ("10 ppl max for the workshop", "The workshop has a maximum of 10 people."),
    ("replace the 60w bulbs in the hall", "Replace the 60 W bulbs in the hall."),
    ("the truck is 2hrs late", "The truck is two hours late."),
    ("q4 revenue up 12% yoy", "Q4 revenue is up 12% year over year."),
    ("call mom on her bday", "Call Mom on her birthday."),
    ("pick up the kids at 3:30", "Pick up the kids at 3:30."),
    ("the printer on the 2nd floor is jammed again", "The printer on the second floor is jammed again."),
    ("submit expenses by the 5th of every month", "Submit expenses by the fifth of every month."),
    ("vacuum the car + wash the mats", "Vacuum the car and wash the mats."),
    ("migrate users table, dont drop the old one yet", "Migrate the users table, but don't drop the old one yet."),
    ("the api returns 500 when the payload is empty", "The API returns a 500 error when the payload is empty."),
    ("remind sam abt the 1:1 on tues", "Remind Sam about the 1:1 on Tuesday."),
    ("approx 40 attendees expected, maybe more", "Approximately 40 attendees are expected, maybe more."),
    ("check if the warranty covers the screen", "Check whether the warranty covers the screen."),
    ("cancel the gym membership before it renews on 3/1", "Cancel the gym membership before it renews on 3/1."),
    ("ask hr for the onboarding checklist", "Ask HR for the onboarding checklist."),
    ("the wifi pw changed to Sunflower22", "The Wi-Fi password has changed to Sunflower22."),
    ("dentist appt thurs 9:15am", "Dentist appointment on Thursday at 9:15 a.m."),
    ("its 30 min drive so leave by 8", "It's a 30-minute drive, so leave by 8."),
    ("water the tomatoes every other day in july", "Water the tomatoes every other day in July."),
    ("feed the cat 2x a day", "Feed the cat twice a day."),
    ("temp in the server room hit 31c", "The temperature in the server room hit 31°C."),
    (
        "ig post for the summer sale, 20% off sitewide thru sun",
        "Create an Instagram post for the summer sale: 20% off sitewide through Sunday.",
    ),
    (
        "quote for the kitchen reno - client wants it by next mon",
        "Prepare a quote for the kitchen renovation; the client wants it by next Monday.",
    ),
    ("thank you letters to the 12 donors from the gala", "Write thank-you letters to the 12 donors from the gala."),
    (
        "dog needs rabies shot, vet says anytime before aug 1",
        "The dog needs a rabies shot; the vet says any time before August 1 is fine.",
    ),
    (
        "car making grinding noise when braking, book service",
        "The car makes a grinding noise when braking, so book a service.",
    ),
    (
        "tenant in 4b says heater broken again, 3rd time this month",
        "The tenant in 4B says the heater is broken again, for the third time this month.",
    ),
    (
        "server disk at 91%, clean up old logs before it fills",
        "The server disk is at 91%. Clean up old logs before it fills up.",
    ),
    (
        "draft the press release for the merger, legal has to sign off first",
        "Draft the press release for the merger; legal must sign off first.",
    ),
    (
        "new hire laptop setup: macbook, 32gb ram, ship to home address",
        "Set up the new hire's laptop: a MacBook with 32 GB of RAM, shipped to their home address.",
    ),
    (
        "churn dashboard is off by ~3% vs finance numbers, investigate",
        "The churn dashboard is off by about 3% compared with the finance numbers; investigate.",
    ),
    (
        "move the 1:1 w/ priya from thu to fri same time",
        "Move the 1:1 with Priya from Thursday to Friday at the same time.",
    ),
    ("pls dont email the whole list, just the 40 vips", "Please don't email the whole list, only the 40 VIPs."),
    (
        "lab results should be back in 3-5 business days",
        "The lab results should be back in three to five business days.",
    ),
    (
        "renew domain acme-tools.com before it expires on 11/30",
        "Renew the domain acme-tools.com before it expires on November 30.",
    ),
    (
        "photos from the shoot need retouching, deliver 25 finals by fri",
        "The photos from the shoot need retouching; deliver 25 final images by Friday.",
    ),
    (
        "the forklift failed inspection, tag it out until repaired",
        "The forklift failed inspection, so tag it out until it is repaired.",
    ),
    (
        "ask landlord if we can sublet for 2 months over summer",
        "Ask the landlord whether we can sublet for two months over the summer.",
    ),
    (
        "invoice #8841 is 45 days overdue, send final reminder",
        "Invoice #8841 is 45 days overdue; send a final reminder.",
    ),
    (
        "update the onboarding deck - slides 4 & 7 are outdated",
        "Update the onboarding deck, since slides 4 and 7 are outdated.",
    ),
    (
        "job post for sr backend eng, remote ok, salary 140-160k",
        "Write a job post for a senior backend engineer: remote is OK, salary 140-160k.",
    ),
    (
        "backup job runs nightly at 2am but skipped sat + sun",
        "The backup job runs nightly at 2 a.m., but it skipped Saturday and Sunday.",
    ),
    ("kids soccer practice moved to 5:30 on weds", "The kids' soccer practice has moved to 5:30 on Wednesdays."),
    (
        "cant access vpn from hotel wifi, works on hotspot",
        "I can't access the VPN from the hotel Wi-Fi, but it works on my hotspot.",
    ),
    (
        "the fridge in break room smells, clean it out fri afternoon",
        "The fridge in the break room smells; clean it out on Friday afternoon.",
    ),
    ("we're short 3 volunteers for saturday's food drive", "We are short three volunteers for Saturday's food drive."),
    (
        "prep 2 options for the logo refresh, keep the blue",
        "Prepare two options for the logo refresh, and keep the blue.",
    ),
    ("train the new cashier on returns + exchanges", "Train the new cashier on returns and exchanges."),
    ("confirm the caterer has our gluten free count (14)", "Confirm that the caterer has our gluten-free count (14)."),
    ("refund the customer $49.99 for the dupe charge", "Refund the customer $49.99 for the duplicate charge."),
    (
        "oil change due at 45k miles, currently at 44,200",
        "The oil change is due at 45,000 miles; the car is currently at 44,200.",
    ),
    ("the 3 pm demo is cancelled, let the team know", "The 3 p.m. demo is cancelled; let the team know."),
    ("hire a sub for ms. lopez's class on the 14th", "Hire a substitute for Ms. Lopez's class on the 14th."),
    ("gather requirements from ops for the new wms", "Gather requirements from operations for the new WMS."),
    ("budget review w/ cfo moved up a week", "The budget review with the CFO has been moved up a week."),
    (
        "fix typo on pricing page: 'anual' should be 'annual'",
        "Fix the typo on the pricing page: 'anual' should be 'annual'.",
    ),
    (
        "set up auto-pay for the electric bill so we stop getting late fees",
        "Set up autopay for the electric bill so that we stop getting late fees.",
    ),
    (
        "research grant report due 6/30, need figures from tom",
        "The research grant report is due June 30, and we need figures from Tom.",
    ),
    (
        "sprinklers in zone 3 leaking, shut off till fixed",
        "The sprinklers in zone 3 are leaking; shut them off until they are fixed.",
    ),
    (
        "book 2 hotel rooms in lisbon, oct 3-6, near the conf center",
        "Book two hotel rooms in Lisbon from October 3 to 6, near the conference center.",
    ),
    (
        "follow up with the 5 leads from the webinar who didnt book a demo",
        "Follow up with the five leads from the webinar who didn't book a demo.",
    ),
    (
        "the scanner on line 2 keeps jamming every ~50 units",
        "The scanner on line 2 keeps jamming about every 50 units.",
    ),
    (
        "spay appointment for luna is at 8, no food after midnight",
        "Luna's spay appointment is at 8; no food after midnight.",
    ),
    (
        "post the opening on linkedin and indeed, close applications 3/15",
        "Post the opening on LinkedIn and Indeed, and close applications on March 15.",
    ),
    ("shelf tags in aisle 9 show old prices, reprint", "The shelf tags in aisle 9 show old prices; reprint them."),
    (
        "deploy went fine but error rate doubled, roll back if it stays up",
        "The deploy went fine, but the error rate doubled; roll back if it stays up.",
    ),
    (
        "q1 close: accruals need to be booked by the 3rd business day",
        "Q1 close: accruals must be booked by the third business day.",
    ),
    ("raise 1.2M in the seed round by q3", "Raise $1.2 million in the seed round by Q3."),
    ("raise 1.2M in the seed round by q3", "Raise 1.2 million in the seed round by Q3."),
    ("lease is 3 mo, then month to month", "The lease is for three months, then month-to-month."),
    ("move desks to rm 204 on the 3rd fl", "Move the desks to room 204 on the third floor."),
    (
        "if the shipment is late again, escalate to the carrier and cc me",
        "Escalate to the carrier and CC me if the shipment is late again.",
    ),
    (
        "once legal approves, publish the post and notify the 3 partners",
        "Publish the post and notify the three partners once legal approves.",
    ),
    ("unless it rains, the picnic is at 1pm in the park", "The picnic is at 1 p.m. in the park unless it rains."),
    ("send agenda + slides to attendees a day before", "Send the agenda and slides to attendees a day before."),
    (
        "the app crashes on android 14 when you rotate the screen",
        "The app crashes on Android 14 when the screen is rotated.",
    ),
    ("we need milk, eggs, flour and 2 lemons", "We need milk, eggs, flour, and two lemons."),
    (
        "call the plumber - the kitchen sink is leaking under the cabinet",
        "Call the plumber because the kitchen sink is leaking under the cabinet.",
    ),
    ("student evals due fri, remind all TAs", "Student evaluations are due Friday; remind all the TAs."),
    ("the 5k run starts at 7:30, bib pickup from 6:45", "The 5K run starts at 7:30, with bib pickup from 6:45."),
    (
        "ask the bank why the wire of 12,500 eur hasnt arrived",
        "Ask the bank why the wire transfer of €12,500 hasn't arrived.",
    ),
    ("dinner res for 6 at 8pm sat at luigi's", "Make a dinner reservation for six at 8 p.m. on Saturday at Luigi's."),
    (
        "make sure the pool is closed to kids under 12 w/o an adult",
        "Make sure the pool is closed to kids under 12 without an adult.",
    ),
    (
        "check the fire extinguishers on all 4 floors this month",
        "Check the fire extinguishers on all four floors this month.",
    ),
    ("the website is down for users in the eu since 9am", "The website has been down for users in the EU since 9 a.m."),
    (
        "get sign off from both the cto and cfo before we buy",
        "Get sign-off from both the CTO and the CFO before we buy.",
    ),
    (
        "vet appt for max on the 22nd, bring his vaccine records",
        "Max has a vet appointment on the 22nd; bring his vaccine records.",
    ),
    (
        "release notes for v2.3 need a section on the new export",
        "The release notes for v2.3 need a section on the new export feature.",
    ),
    ("print 150 flyers, double sided, on recycled paper", "Print 150 double-sided flyers on recycled paper."),
    ("find a sitter for fri night, 6-11pm", "Find a sitter for Friday night, from 6 to 11 p.m."),
    ("pay the contractor the 2nd installment (3,400)", "Pay the contractor the second installment of 3,400."),
    ("cut the budget by a third for q2", "Cut the budget by one third for Q2."),
    (
        "team offsite is 2 days, tue and wed, in denver",
        "The team offsite is two days, Tuesday and Wednesday, in Denver.",
    ),
    (
        "the new hire starts mon, laptop isnt ready yet",
        "The new hire starts on Monday, but the laptop isn't ready yet.",
    ),
    ("the quarterly report is 2 weeks late", "The quarterly report is two weeks late."),
    (
        "interview 3 candidates this wk for the data analyst role",
        "Interview three candidates this week for the data analyst role.",
    ),
    ("put up signs: wet floor near entrance b", "Put up wet floor signs near Entrance B."),
    ("book a table for 2 at 7 tonight", "Book a table for two at 7 tonight."),
    (
        "tell the landlord the smoke alarm beeps every 30 sec",
        "Tell the landlord that the smoke alarm beeps every 30 seconds.",
    ),
    ("renew my passport, it expires in march", "Renew my passport; it expires in March."),
    ("price the new blend at $14/lb", "Price the new blend at $14 per pound."),
    (
        "the conversion rate dropped from 3.1% to 2.4% after the redesign",
        "After the redesign, the conversion rate dropped from 3.1% to 2.4%.",
    ),
    ("follow up w/ jenna re: the venue contract", "Follow up with Jenna regarding the venue contract."),
    ("no meetings before 10am on fridays", "No meetings before 10 a.m. on Fridays."),
    ("water the ferns 2-3 times a week", "Water the ferns two to three times a week."),
    ("email sarah.k@northwind.io the signed sow by thurs", "Email the signed SOW to sarah.k@northwind.io by Thursday."),
    (
        "db-replica-2.prod.internal lagging 40s behind primary",
        "db-replica-2.prod.internal is lagging 40 seconds behind the primary.",
    ),
    ("bump lodash to 4.17.21 in package.json, see #912", "Bump lodash to 4.17.21 in package.json (see #912)."),
    ("the `retry_count` setting is ignored when set to 0", "The `retry_count` setting is ignored when it is set to 0."),
    (
        "docs at https://docs.acme.dev/v2/auth are out of date",
        "The docs at https://docs.acme.dev/v2/auth are out of date.",
    ),
    ("put the q3 numbers in forecast_2025.xlsx, tab 2", "Put the Q3 numbers in forecast_2025.xlsx, on tab 2."),
    (
        "ask fatima or diego to cover the front desk sat morning",
        "Ask Fatima or Diego to cover the front desk on Saturday morning.",
    ),
    ("buy tape, bubble wrap, 20 boxes and a marker", "Buy tape, bubble wrap, 20 boxes, and a marker."),
    (
        "if the client signs by the 15th, we start on the 1st; otherwise push to feb",
        "If the client signs by the 15th, we start on the 1st; otherwise, push to February.",
    ),
    ("iphone users cant upload photos larger than 10mb", "iPhone users can't upload photos larger than 10 MB."),
    (
        "migrate from mysql 5.7 to postgres 15 over the weekend",
        "Migrate from MySQL 5.7 to PostgreSQL 15 over the weekend.",
    ),
    (
        "the london office closes at 5:30 on fridays in summer",
        "The London office closes at 5:30 on Fridays in the summer.",
    ),
    ("order the standing desks from ikea not amazon", "Order the standing desks from IKEA, not Amazon."),
    ("submit the grant to nsf before the oct 1 deadline", "Submit the grant to the NSF before the October 1 deadline."),
    ("zoom link for the all-hands is broken, resend it", "The Zoom link for the all-hands is broken; resend it."),
    (
        "make sure every invoice over 10k gets a second approver",
        "Make sure every invoice over 10k gets a second approver.",
    ),
    (
        "swap the nginx config on web-01 and web-02, then reload",
        "Swap the Nginx config on web-01 and web-02, then reload it.",
    ),
    (
        "call dr. chen's office to reschedule the mri to next week",
        "Call Dr. Chen's office to reschedule the MRI for next week.",
    ),
    (
        "coffee machine on 4th floor is out of order, use the one on 2",
        "The coffee machine on the 4th floor is out of order; use the one on 2.",
    ),
    ("ticket JIRA-4412: export to csv drops the last row", "Ticket JIRA-4412: exporting to CSV drops the last row."),
    (
        "walk the dog at 7am and 6pm, she gets 1 cup of food twice a day",
        "Walk the dog at 7 a.m. and 6 p.m.; she gets one cup of food twice a day.",
    ),
    (
        "landscaper comes every other tues, gate code 4471",
        "The landscaper comes every other Tuesday; the gate code is 4471.",
    ),
    (
        "ask the printer for a proof before running all 5,000 copies",
        "Ask the printer for a proof before running all 5,000 copies.",
    ),
    ("we lost the acme deal to globex on price", "We lost the Acme deal to Globex on price."),
    (
        "team lunch fri at noon, the thai place on main st",
        "Team lunch is on Friday at noon at the Thai place on Main St.",
    ),
    (
        "upgrade the firmware on all 12 cameras, start with the lobby ones",
        "Upgrade the firmware on all 12 cameras, starting with the ones in the lobby.",
    ),
    ("the pdf export cuts off long tables on page 2", "The PDF export cuts off long tables on page 2."),
    (
        "set a reminder to renew the ssl cert 30 days before it expires",
        "Set a reminder to renew the SSL certificate 30 days before it expires.",
    ),
    ("after the audit, archive the 2022 receipts", "Archive the 2022 receipts after the audit."),
    (
        "kitchen fire inspection is the 3rd monday of the month",
        "The kitchen fire inspection is on the third Monday of the month.",
    ),
    (
        "vacc booster for the 3 puppies due in 2wks, remind owner",
        "The three puppies are due for their vaccine booster in two weeks; remind the owner.",
    ),
    (
        "spray north field w/ fungicide when wind under 10 km/h",
        "Spray the north field with fungicide when the wind is under 10 km/h.",
    ),
    (
        "a/c on gate 14 jet bridge not cooling, maintenance ticket open since tue",
        "The A/C on the Gate 14 jet bridge isn't cooling; a maintenance ticket has been open since Tuesday.",
    ),
    (
        "container MSKU 448120-3 held at port, need bill of lading copy",
        "Container MSKU 448120-3 is being held at the port; we need a copy of the bill of lading.",
    ),
    (
        "room 512 guest complain about noise, offer late checkout 1pm free",
        "The guest in room 512 complained about noise; offer a free late checkout at 1 p.m.",
    ),
    (
        "call sheet for day 3: crew call 6:30, location the old mill on route 9",
        "Call sheet for day 3: crew call at 6:30; location is the old mill on Route 9.",
    ),
    (
        "band practice moved to thurs 7pm, bring the new setlist (12 songs)",
        "Band practice has moved to Thursday at 7 p.m.; bring the new setlist (12 songs).",
    ),
    (
        "u12 tournament registration closes friday, fee is 45 per kid",
        "Registration for the U12 tournament closes on Friday; the fee is 45 per child.",
    ),
    (
        "library: overdue notices for books more than 30 days late",
        "Library: send overdue notices for books that are more than 30 days late.",
    ),
    (
        "claim #CL-20931 needs the police report before we can pay out",
        "Claim #CL-20931 needs the police report before we can pay out.",
    ),
    (
        "customer wants to close savings acct, check for pending transfers first",
        "The customer wants to close their savings account; check for pending transfers first.",
    ),
    (
        "refill rx for mrs patel, 90 day supply, insurance approved",
        "Refill Mrs. Patel's prescription for a 90-day supply; insurance has approved it.",
    ),
    ("pt in chair 3 needs xrays before cleaning", "The patient in chair 3 needs X-rays before the cleaning."),
    (
        "centrifuge in lab b making noise above 4000 rpm, dont use until serviced",
        "The centrifuge in Lab B makes noise above 4,000 rpm; don't use it until it has been serviced.",
    ),
    (
        "outage in sector 7 affected approx 1200 customers, restored 3:40am",
        "The outage in sector 7 affected approximately 1,200 customers and was restored at 3:40 a.m.",
    ),
    (
        "tower 22 backhaul at 95% capacity at peak, plan upgrade to 10g",
        "Tower 22's backhaul is at 95% capacity at peak; plan an upgrade to 10G.",
    ),
    (
        "boss fight in level 4 too hard, playtesters quit at 60% rate",
        "The boss fight in level 4 is too hard; playtesters quit at a 60% rate.",
    ),
    (
        "pr #2231 breaks windows build, revert if no fix by tmrw",
        "PR #2231 breaks the Windows build; revert it if there is no fix by tomorrow.",
    ),
    (
        "me and john will prepare the stand for the church bazaar saturday",
        "John and I will prepare the stand for the church bazaar on Saturday.",
    ),
    (
        "the cows in barn 2 is not eating good since monday, call vet",
        "The cows in barn 2 have not been eating well since Monday; call the vet.",
    ),
    (
        "pilot request extra fuel 500kg for flight 2210 due weather",
        "The pilot requests an extra 500 kg of fuel for flight 2210 due to the weather.",
    ),
    (
        "need 4 extra rollaway beds for the wedding group fri-sun",
        "We need four extra rollaway beds for the wedding group from Friday to Sunday.",
    ),
    (
        "soil ph in greenhouse 3 is 5.2, target 6-6.5, add lime",
        "The soil pH in greenhouse 3 is 5.2; the target is 6 to 6.5, so add lime.",
    ),
    (
        "the fees for overdraft was charged twice to acct ending 4471, refund one",
        "The overdraft fee was charged twice to the account ending in 4471; refund one.",
    ),
    (
        "ask the choir director if we can use the hall on sun 2-5pm",
        "Ask the choir director whether we can use the hall on Sunday from 2 to 5 p.m.",
    ),
    (
        "cert for the forklift drivers expire end of march, book renewal course",
        "The forklift drivers' certifications expire at the end of March; book a renewal course.",
    ),
    (
        "she didnt received the policy documents, resend to her new email",
        "She didn't receive the policy documents; resend them to her new email.",
    ),
    # round seven (from the kinds of edit heldout6's misses showed)
    (
        "pipe leak under sink in unit 4, call plumber",
        "There is a pipe leaking under the sink in unit 4; call the plumber.",
    ),
    ("start harvest once the rain stops", "Start the harvest after the rain stops."),
    ("shift briefing fri 0630 in hangar 2", "Shift briefing on Friday at 06:30 in Hangar 2."),
    ("parking is free of charge for guests", "Parking is no charge for guests."),
    ("bus leaves at 7, be on time", "The bus leaves at 7:00, so be on time."),
    (
        "gym booked for 2hrs sun for the u10 team",
        "The gym is booked for two hours on Sunday for the Under-10 team.",
    ),
    ("reorder S, M and XL hoodies", "Reorder small, medium and extra-large hoodies."),
    ("tomato beds need a sub for watering on mon", "The tomato beds need a substitute for watering on Monday."),
    ("drop the package at 12 king st", "Drop the package at 12 King Street."),
    ("enroll the teen drivers in the safety course", "Enroll the teenage drivers in the safety course."),
    ("refund 59.90 to the guest in 210", "Refund $59.90 to the guest in room 210."),
    ("cust wants a callback before 5", "The customer wants a callback before 5."),
    ("new sfx for the menu clicks", "New sound effects for the menu clicks."),
    ("update ~/.ssh/config on the build box", "Update ~/.ssh/config on the build box."),
    ("Aleksandra owns the launch checklist", "Aleksandra owns the launch checklist."),
    # round eight (from the kinds of edit heldout7's misses showed)
    ("truck due at dock 3 at 1615", "The truck is due at dock 3 at 16:15."),
    ("do 4x10 lunges then stretch", "Do 4 \u00d7 10 lunges, then stretch."),
    ("supplier Norrland on net 30", "Supplier Norrland is on net-30 terms."),
    ("reimage the win10 laptop in room 4", "Reimage the Windows 10 laptop in room 4."),
    ("restock shelves C to H before open", "Restock shelves C-H before opening."),
    ("ward 3 short 1 RN tonight", "Ward 3 is short one registered nurse tonight."),
    ("vet visit tues am for the kittens", "The kittens have a vet visit on Tuesday morning."),
    (
        "we use this library since 3 years, time to upgrade",
        "We have used this library for three years; it is time to upgrade.",
    ),
    ("collect invoices from march till june", "Collect the invoices from March to June."),
    ("paint + trim for units 2 & 4", "Paint and trim for units 2 and 4."),
    ("refund orders >$250 only after manager ok", "Refund orders over $250 only after a manager approves."),
    ("the app crashed on ios 17, 40 users affected", "The app crashed on iOS 17, and 40 users were affected."),
    (
        "need 2 chairs for the panel, if one is missing borrow from room b",
        "We need two chairs for the panel; if one is missing, borrow it from Room B.",
    ),
    ("double check the payroll totals", "Double-check the payroll totals."),
    # round nine (from the kinds of edit heldout8's misses showed)
    (
        "cpu on worker-2 at 88%, scale up if it stays above 90",
        "CPU on worker-2 is at 88%; scale up if it stays above 90%.",
    ),
    ("sleeves need 2cm longer", "The sleeves need to be 2 cm longer."),
    ("driver to collect the parcel after 3pm", "The driver can collect the parcel after 3 p.m."),
    ("someone pls look why the export is slow", "Could someone please look into why the export is slow?"),
    ("landlord asks 1200k min for the building", "The landlord asks at least 1200k for the building."),
    ("sofa to 2nd floor, need 3 guys", "The sofa goes to the second floor; we need three people."),
    ("tap screen opens twice on ipad", "Tapping the screen opens it twice on the iPad."),
    ("form W-2C missing for Ana", "Form W-2C is missing for Ana."),
    (
        "training loss spikes at step 900, try lr 3e-4",
        "The training loss spikes at step 900. Try a learning rate of 3e-4.",
    ),
    # round ten (from the kinds of edit heldout9's misses showed)
    ("scale the pool if conn > 500", "Scale the pool if connections exceed 500."),
    ("page oncall if cpu > 95%", "Page on-call if CPU usage exceeds 95%."),
    ("retake the test if avg is below 70", "Retake the test if the average is below 70."),
    ("buy x6 bottles of water", "Buy 6 bottles of water."),
    ("florist arrives 9.30, ceremony starts 11", "The florist arrives at 9:30; the ceremony starts at 11:00."),
    ("change the litter every 2nd day", "Change the litter every second day."),
    ("restart the job if mem is above 80% for 10 min", "Restart the job if memory stays above 80% for 10 minutes."),
]

CHANGED = [
    # rounds five and six (from the kinds of edit heldout4's and heldout5's misses showed)
    ("finish the report within 2 days", "Finish the report after two days."),
    ("ship the order without the invoice", "Ship the order with the invoice."),
    ("no more than 3 people per room", "At least three people per room."),
    ("order over 50 chairs", "Order fewer than 50 chairs."),
    ("invoice due 12/15, pay before then", "The invoice is due December 16; pay it before then."),
    ("call the vendor at 12pm", "Call the vendor at midnight."),
    ("rename get_user_tz to resolve_timezone", "Rename `get_user_tz` to `resolve_tz`."),
    ("book flights for the nyc trip", "Book flights for the New Jersey trip."),
    ("update give.riverkeepers.org/winter", "Update https://give.riverkeepers.org/summer."),
    ("the form is reqd for all new hires", "The form is optional for all new hires."),
    ("speed limit on site is 10mph", "The speed limit on site is 15 mph."),
    ("replace the 60w bulbs in the hall", "Replace the 40 W bulbs in the hall."),
    ("get 3 quotes before we pick a roofer", "Get three quotes after we choose a roofer."),
    ("we have to renew the lease by friday", "We may renew the lease by Friday."),
    ("move the standup to weds", "Move the stand-up to Thursday."),
    ("install two hundred seats", "Install 300 seats."),
    ("pls dont email the whole list, just the 40 vips", "Please email the whole list, including the 40 VIPs."),
    ("backup skipped sat + sun", "The backup skipped Saturday."),
    ("oil change due at 45k miles", "The oil change is due at 45,000 km."),
    ("ig post for the summer sale", "Create a Facebook post for the summer sale."),
    ("thank you letters to the 12 donors", "Write thank-you letters to the 12 sponsors."),
    ("the background check came back clear", "The background check came back flagged."),
    ("prune the apple tree", "Prune the pear tree."),
    ("take the blue folder to the meeting", "Take the red folder to the meeting."),
    ("ask the landlord about the broken window", "Ask the landlord about the broken door."),
    ("figure out why the build is slow", "The build is usually slow because of the cache. Try clearing it."),
    (
        "write a haiku about our launch",
        "Launch day dawns so bright / our product meets the world now / servers hold their breath",
    ),
    ("clean the fridge on friday afternoon", "Clean the fridge on Friday morning."),
    ("refund $49.99 for the dupe charge", "Refund $59.99 for the duplicate charge."),
    ("send the contract to legal before signing", "Send the contract to legal after signing."),
    ("once the pr is merged, tag the release", "Tag the release."),
    ("after qa signs off, push to prod", "Push to production."),
    ("only restart the db if the replica is healthy", "Restart the database."),
    ("send the invoice unless they already paid", "Send the invoice if they already paid."),
    ("clean the garage", "Clean the garage by Sunday."),
    ("draft the newsletter", "Draft the newsletter and have Maria review it."),
    ("update the pricing page copy", "Update the pricing page copy before the end of the week."),
    ("order new chairs for the lobby", "Order new chairs for the lobby and ask Tom to approve them."),
    ("feed the fish twice a day", "Feed the fish three times a day."),
    ("the build passed on main", "The build failed on main."),
    ("customers in canada cant see the banner", "Customers in Mexico can't see the banner."),
    ("take the 8:15 train to boston", "Take the 8:45 train to Boston."),
    ("repaint the fence white", "Repaint the fence grey."),
    ("email the slides to the board", "Email the slides to the team."),
    ("bring the projector to room 12", "Bring the speaker to room 12."),
    ("hire two more drivers for the night shift", "Hire two more drivers for the day shift."),
    ("the heater in unit 5 is noisy", "The heater in unit 5 is leaking."),
    ("buy oat milk, bananas and coffee", "Buy oat milk and bananas."),
    ("we should renew the contract", "We must renew the contract."),
    ("publish the post on tuesday", "Publish the post on Thursday."),
    ("the event is at the marriott downtown", "The event is at the Hilton downtown."),
    ("ping the team in #eng-backend", "Ping the team in #eng-frontend."),
    ("use the staging key, not the live one", "Use the live key, not the staging one."),
    ("the kitchen closes at 10pm on weekdays", "The kitchen closes at 10 p.m. on weekends."),
    ("reply to the 3 oldest tickets first", "Reply to the three newest tickets first."),
    ("cancel the trial before it converts to paid", "Cancel the trial after it converts to paid."),
    ("lock the back door when you leave", "Lock the front door when you leave."),
    ("ask the vet about the cat's limp", "Ask the vet about the dog's limp."),
    ("file the report with the city council", "File the report with the county council."),
    ("the shipment is stuck at customs in rotterdam", "The shipment is stuck at customs in Antwerp."),
    ("move the meeting to the small conference room", "Move the meeting to the large conference room."),
    ("the patient is allergic to penicillin", "The patient is allergic to amoxicillin."),
    ("the left speaker crackles at high volume", "The right speaker crackles at high volume."),
    ("check tire pressure monthly", "Check tire pressure weekly."),
    # round seven (from the kinds of edit heldout6's misses showed)
    (
        "release the cargo after customs clears it and freight is paid",
        "Release the cargo once the freight has been paid.",
    ),
    ("add the route to /etc/nginx/sites-available/api.conf", "Add the route to /etc/nginx/sites-enabled/api.conf."),
    ("the biopsy came back positive", "The biopsy came back negative."),
    ("shift briefing fri 0630 in hangar 2", "Shift briefing on Friday at 07:30 in Hangar 2."),
    ("reorder S, M and XL hoodies", "Reorder small and extra-large hoodies."),
    ("drop the package at 12 king st", "Drop the package at 12 Queen Street."),
    ("ask Zoë to sign the lease", "Ask Zoey to sign the lease."),
    # round eight (from the kinds of edit heldout7's misses showed)
    ("the failing pod is api-5d8f-k2m in prod", "The failing pod is api-5d8f-k2n in prod."),
    ("truck due at dock 3 at 1615", "The truck is due at dock 3 at 16:45."),
    ("do 4x10 lunges then stretch", "Do 4 \u00d7 12 lunges, then stretch."),
    ("buy a new office chair for Anil", "Buy a new office desk for Anil."),
    ("the 35mm lens is sharper than the kit lens", "The 35mm lens is softer than the kit lens."),
    # round nine (from the kinds of edit heldout8's misses showed)
    (
        "cpu on worker-2 at 88%, scale up if it stays above 90",
        "CPU on worker-2 is at 88%; scale up if it stays above 95%.",
    ),
    ("the driver must collect the parcel after 3pm", "The driver may collect the parcel after 3 p.m."),
    ("if it rains sat, move the yard sale to sunday", "If it's sunny on Saturday, move the yard sale to Sunday."),
    # round ten (from the kinds of edit heldout9's misses showed)
    ("send the proofs to editor anna berg", "Send the proofs to editor Anna Bergman."),
    ("bring extra tables for the vendors", "Bring extra chairs for the vendors."),
    ("the mechanic says the pump is fine", "The mechanic says the pump is faulty."),
    ("florist arrives 9.30, ceremony starts 11", "The florist arrives at 9:45; the ceremony starts at 11:00."),
    ("scale the pool if conn > 500", "Scale the pool if connections fall below 500."),
]

DID_THE_TASK = [
    # rounds five and six (from the kinds of edit heldout4's and heldout5's misses showed)
    (
        "figure out why the dishwasher leaves spots on glasses",
        "Spots on glasses are typically caused by hard water; use a rinse aid.",
    ),
    ("decide which crm to use for the sales team", "For the sales team, HubSpot is the best CRM to use."),
    ("write a short welcome email for new members", "Welcome to the club! We're thrilled to have you with us."),
    (
        "draft reply to the customer asking for a refund",
        "Dear customer, thank you for reaching out. We have processed your refund.",
    ),
    (
        "plan the team offsite agenda",
        "Plan the team offsite agenda: morning workshops, lunch at noon, and a hike in the afternoon.",
    ),
    ("how many vacation days do new hires get?", "New hires get 20 vacation days per year."),
    (
        "research the best time to post on linkedin",
        "The best time to post on LinkedIn is Tuesday to Thursday between 8 and 10 a.m.",
    ),
    ("translate the onboarding guide to spanish", "Traducir la guía de incorporación al español."),
    ("come up with a name for the new coffee blend", 'Call the new coffee blend "Morning Ember".'),
    (
        "summarize the q3 board meeting notes",
        "The Q3 board meeting covered revenue growth, hiring, and the new office.",
    ),
    ("find a recipe for the potluck", "Bring a classic lasagna to the potluck; it serves 12."),
    (
        "write sql to get active users last 30 days",
        "SELECT * FROM users WHERE last_login > now() - interval '30 days';",
    ),
    ("choose a color for the new landing page button", "Use orange for the new landing page button; it converts best."),
    ("reply to jake about the budget", "Hi Jake, the budget looks good to me. Thanks!"),
    ("estimate how long the migration will take", "The migration will take about three days."),
    ("compare the two vendor quotes", "Vendor A's quote is cheaper, so go with Vendor A."),
    ("brainstorm ideas for the charity raffle", "Raffle ideas: a spa voucher, a signed jersey, and dinner for two."),
    ("organiser la réunion de lundi", "Organize Monday's meeting."),
    ("list the steps to reset a router", "Unplug the router, wait 30 seconds, and plug it back in."),
    ("check what the late fee policy is", "The late fee is 5% per month on overdue balances."),
    ("look into why signups dropped last week", "Signups dropped last week because the email campaign was paused."),
    ("get feedback on the new logo", "The new logo looks modern and clean, and the colors work well."),
    ("pick a date for the holiday party", "Hold the holiday party on Friday, December 18."),
    ("decide whether to approve loan application 58812", "Decline loan application 58812."),
    ("pick an engine for the mobile port", "Use Unity for the mobile port."),
    ("write regex for uk postcodes", "^[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}$"),
    (
        "draft notice about the water shutoff on thursday",
        "Notice: the water will be shut off on Thursday from 9 a.m. to 1 p.m. We apologize for the inconvenience.",
    ),
    ("figure out the best fertilizer for tomatoes", "Use a 5-10-10 fertilizer for the tomatoes."),
    ("should we switch vets for the clinic dogs", "Yes, switch vets for the clinic dogs."),
    ("which runway is better for the crosswind today", "Runway 27 is better for today's crosswind."),
    (
        "tell me what to pack for the film shoot in iceland",
        "Pack thermal layers, waterproof boots, and spare batteries for the film shoot in Iceland.",
    ),
    (
        "respond to the tenant complaint about the heating",
        "We're sorry about the heating issue and will send a technician tomorrow.",
    ),
    ("how much should we budget for the band's tour van", "Budget about $3,000 for the band's tour van."),
    ("is the lab freezer temp ok at -70", "Yes, -70 is fine for the lab freezer."),
    ("recommend a name for the sports club newsletter", 'Call the sports club newsletter "The Sideline".'),
    ("translate the safety sign for the spanish speaking staff", "Señal de seguridad: use siempre casco en esta zona."),
    ("list the vaccines a puppy needs", "A puppy needs distemper, parvovirus, and rabies vaccines."),
    (
        "explain the new overtime policy to the crew",
        "The new overtime policy pays 1.5 times the hourly rate after 40 hours a week.",
    ),
    ("what's the wifi password for the guest network", "The guest network password is Welcome2024."),
    ("choose between the two insurance quotes", "Go with the second insurance quote; it's cheaper."),
    # round eight (from the kinds of edit heldout7's misses showed)
    ("double check Omar's overtime calc", "Omar's overtime calculation is correct."),
]


@pytest.mark.parametrize(("original", "answer"), FAITHFUL)
def test_a_change_of_form_keeps_every_fact(original, answer):
    assert off_task_reason(original, answer) is None
    assert compare_facts(original, answer) == []


@pytest.mark.parametrize(("original", "answer"), CHANGED)
def test_the_same_forms_with_a_fact_changed_are_refused(original, answer):
    assert off_task_reason(original, answer) is not None or compare_facts(original, answer)


@pytest.mark.parametrize(("original", "answer"), DID_THE_TASK)
def test_an_answer_that_does_the_task_instead_of_editing_it_is_off_task(original, answer):
    assert off_task_reason(original, answer) is not None


@pytest.mark.parametrize(
    ("original", "answer"),
    [
        ("confirmar reserva hotel barcelona para el 12", "Confirm the hotel reservation in Barcelona for the 12th."),
        ("always wear gloves in the kitchen", "Use siempre guantes en la cocina."),
        ("réserver la salle pour le séminaire", "Book the room for the seminar."),
    ],
)
def test_a_translation_is_not_an_edit(original, answer):
    assert off_task_reason(original, answer) == "translated"


def test_an_answer_with_more_new_content_than_the_text_is_off_task():
    original = "change flat tire on the trailer"
    answer = (
        "Change the flat tire on the trailer: loosen the lug nuts, jack up the trailer, swap in the spare, and torque "
        "the nuts to spec."
    )
    assert off_task_reason(original, answer) == "added content"
    # The same length of edit in the text's own words is an edit.
    assert (
        off_task_reason("chnage the flat tire on the trailer asap", "Change the flat tire on the trailer ASAP.") is None
    )

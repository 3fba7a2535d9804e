"""A seeded, reproducible world for the sandbox: a HubSpot portal, an overlapping
Salesforce org, offline lead files, and drift between sync cycles.

Usage::

    from datetime import UTC, datetime
    from syncd_sandbox.world import build_world, drift

    world = build_world(seed=7, contacts=200, now=datetime(2026, 11, 25, 12, tzinfo=UTC))
    hubspot = HubSpotState.from_seed(world.hubspot)
    salesforce = SalesforceState.from_seed(world.salesforce)
    summary = drift(hubspot, salesforce, seed=7, step=0, now=...)

The same (seed, contacts, now, activity) always gives identical dicts and file bytes
(every random draw comes from ``random.Random`` streams named after the seed; uuids are
drawn from them; the XLSX carries fixed dates). ``world.truth`` says what really is:
the persona of each HubSpot contact, which records are the same person, which offline
rows are which person.

Personas (``PERSONAS``; shares are exact up to rounding):

==================  =====  ==============================================================
passive_subscriber  30 %   newsletter opens, the odd click, a blog view; no hand-raise
engaged_learner     18 %   ebook/webinar/newsletter forms, blog and docs page views
active_evaluator    10 %   "Demo request" or "Contact sales" form in the last 3 weeks,
                           pricing views, trial started, meetings (some booked ahead),
                           email replies; 60 % have an SF Lead "Open - Not Contacted"
sales_working        8 %   calls, meetings, sales emails, notes, tasks; SF Lead
                           "Working - Contacted", some with an open Opportunity
customer            10 %   SF Contact on an Account with a closed-won Opportunity (70 %
                           via a converted Lead); docs views, feature events, QBRs
churned_customer     4 %   HubSpot still "customer"; renewal closed-lost; quiet 4+ months
recycled             7 %   HubSpot still SQL; SF Lead "Nurture"; last activity 5–9 months
disqualified         5 %   SF Lead "Unqualified"; students, free-mail addresses
bounced              4 %   hard bounce on the first send, never mailed again
unsubscribed         4 %   opened a few, then unsubscribed (a quarter via a spam report)
==================  =====  ==============================================================

HubSpot: 8 owners (the same people are Salesforce users, emails match); forms "Demo
request" and "Contact sales" (hand-raise), "Newsletter signup", "Ebook download",
"Webinar registration"; 8 email campaigns over the 270 days before ``now`` (SENT,
DELIVERED, OPEN, CLICK with url, BOUNCE, STATUSCHANGE, SPAMREPORT); page views as events
v3 ``e_visited_page`` with ``hs_url`` (pricing, blog, docs, careers); custom events
``pe4000123_product_trial_started`` and ``pe4000123_feature_activated``; sales
engagements (emails with INCOMING_EMAIL replies, calls, meetings, notes, tasks). Contacts
carry names (nickname-prone first names, some accented), company emails matching the
company website, some free-mail and role (info@, sales@) addresses, 2 % without email,
phones in mixed formats, and ``lifecyclestage`` as a high-water mark. 1 % of people signed
up twice (a second contact with a free-mail address): ``truth["hubspot_duplicates"]``.

Salesforce: Leads, Contacts, Accounts, Opportunities per persona as above; 5 % of people
with records have a duplicate (a second Lead, or a stale Lead beside their Contact; email
in other case, nickname, other phone format); 20 % carry ``HubSpot_Id__c``; 6 % extra
people exist only in Salesforce (persona ``salesforce_only``).

Offline files (``offline_rows``/``offline_files``): a trade-show CSV (UTF-8 BOM, ``;``),
a webinar XLSX and business cards in cp1252 with accented names; existing and new people,
nicknames, typos, missing emails, odd case, trailing whitespace, in-file duplicates, blank
rows and rows to reject (no name, no email). ``truth["offline"][file]`` describes each row.

``truth`` keys: ``personas`` (HubSpot id → persona), ``hubspot_person`` (HubSpot id →
person key), ``hubspot_duplicates`` ([first id, second id] per person who signed up twice),
``people`` (person key → persona, canonical email, names, company, ``hubspot_ids``,
``salesforce_ids``; persona ``salesforce_only`` or ``offline_new`` for people HubSpot does
not know), ``salesforce_person`` (Lead/Contact id → person key), ``salesforce_duplicates``
(groups of live records of one person), ``converted_leads`` (Lead id → Contact id),
``offline`` (file → one entry per row: ``row``, ``kind`` existing/new/duplicate/reject/
blank, ``person``, ``email``, ``hubspot_id``, ``salesforce_ids``, ``duplicate_of``,
``mess``), ``forms`` (name → guid), ``hand_raise_forms`` and ``campaigns``.

Volume: ``activity`` scales campaigns and page views; at 1.0 a contact averages ~15
engagement records (50,000 contacts → ~780,000 records).
"""

from .drift import drift
from .personas import PERSONAS, Persona
from .world import World, build_world

__all__ = ["PERSONAS", "Persona", "World", "build_world", "drift"]

"""The understanding step: what is recognised, what kind of question it is, and how the
answer respects what the protocol says — including where it says nothing.

The phrasings here are this file's own, not the benchmark corpus's (benchmarks/understanding.py
measures that); they pin the mechanism: recognition of every kind of thing a protocol
names, the kind decided from the question's form and cues, places, follow-ups, search.
"""

from __future__ import annotations

import pytest

from bot.language.concepts import concepts_in
from bot.language.conversation import ConversationStore, Turn
from bot.language.normalise import tokens
from bot.language.places import gazetteer
from bot.language.understand import understand
from bot.messages import Actor, Request


def _u(knowledge, text, area="buckinghamshire"):
    return understand(text, knowledge, area_slug=area)


async def ask(services, text, *, area="buckinghamshire", conversation=None, roles=frozenset()):
    from bot.router import handle

    actor = Actor.holding("console", "console", "tester", "tester", area=area, roles=roles)
    return await handle(Request(text=text, actor=actor, area=area, conversation=conversation), services)


@pytest.fixture
def services(knowledge):
    from bot.services import Services

    return Services(knowledge=knowledge)


# --------------------------------------------------------------------------- recognition


@pytest.mark.parametrize(("area", "text", "kind", "key"), [
    ("buckinghamshire", "tell me what the safer stronger bucks lot do", "board", "ssbpb"),
    ("central-bedfordshire", "is the AD ops on the community safety partnership", "role", "ad_operations_cbc"),
    ("central-bedfordshire", "what does the director of adult social care do", "role", "director_adult_social_care_cbc"),
    ("central-bedfordshire", "what is Ogley's role", "person", "chair:sab"),
    ("central-bedfordshire", "the neglect group, what is it for", "subgroup", "lscb:10"),
    ("buckinghamshire", "where does the safer bucks plan go", "report", "safer bucks plan"),
    ("suffolk", "after the resolution meeting", "rung", "resolution_meeting"),
    ("central-bedfordshire", "is healthwatch on it", "org", "healthwatch"),
    ("lancashire", "do we swap minutes", "item", "minutes"),
    ("buckinghamshire", "officers meeting attendance", "meeting", "officers_quarterly"),
])
def test_everything_a_protocol_names_is_recognised(knowledge, area, text, kind, key):
    u = _u(knowledge, text, area)
    assert (kind, key) in {(e.type, e.key) for e in u.entities}, u.entities


def test_spelling_slips_are_corrected_towards_the_area_s_own_words(knowledge):
    u = _u(knowledge, "who leads on femail genital mutilaton")
    assert u.theme == "fgm"


@pytest.mark.parametrize(("area", "text", "kept", "not_"), [
    ("suffolk", "is the police and crime commissioner on any of the boards", "police", "policy"),
    ("buckinghamshire", "who leads on voice of children and families?", "voice", "vice"),
    ("central-bedfordshire", "what does the final step of the challenge route involve", "final", None),
])
def test_a_real_word_is_not_taken_for_a_slip_of_another(knowledge, area, text, kept, not_):
    u = _u(knowledge, text, area)
    assert kept in u.tokens and (not_ is None or not_ not in u.tokens), u.tokens


def test_a_plural_is_still_brought_to_the_protocol_s_form(knowledge):
    u = _u(knowledge, "who leads on safeguarding policies", "buckinghamshire")
    assert "policy" in u.tokens and "police" not in u.tokens, u.tokens


def test_a_longer_word_is_not_a_slip_for_a_shorter_one(knowledge):
    # "prevention" is not a misspelt "Prevent": suicide prevention is not the Prevent duty
    u = _u(knowledge, "which board has the lead on suicide prevention")
    assert u.theme != "prevent"


def test_a_modifier_makes_a_different_theme(knowledge):
    u = _u(knowledge, "who leads on knife crime", "central-bedfordshire")
    assert u.theme_how in ("related", "unknown") and u.theme_phrase == "knife crime"


def test_a_theme_only_another_area_names_is_still_recognised(knowledge):
    u = _u(knowledge, "who is the lead for forced marriage", "suffolk")
    assert u.theme == "forced_marriage_hbv" and u.theme not in knowledge.area("suffolk").themes


# --------------------------------------------------------------------------- situations


@pytest.mark.parametrize(("text", "phrase"), [
    ("my pupil says an older boy is grooming her on snapchat", "child sexual exploitation"),
    ("a lad of 15 is being made to carry drugs for a gang", "county lines"),
    ("her husband hits her when he is drunk", "domestic abuse"),
    ("the family plan to marry their daughter off abroad", "forced marriage"),
    ("a resident in a care home is having money taken", "safeguarding adults"),
    ("the lads at the car wash are made to work for nothing", "human trafficking"),
    ("the man next door keeps shouting at his wife and she has bruises", "domestic abuse"),
    ("a dad is leaving his kids home alone all night", "neglect"),  # not a children's home
    ("a 23 year old is being abused by her family", "safeguarding adults"),  # 18 or over is an adult
    ("a 14 year old is being abused by her family", "safeguarding children"),
    ("a vulnerable man has had his flat taken over by dealers", "mate crime"),
])
def test_a_situation_points_to_the_theme_protocols_use(text, phrase):
    assert concepts_in(tokens(text))[0].phrase == phrase


def test_a_situation_is_answered_with_the_area_s_most_specific_theme(knowledge):
    u = _u(knowledge, "a 13 year old was groomed by men she met online, where does this go?")
    assert u.kind == "lead" and u.theme == "cse"


# --------------------------------------------------------------------------- what is asked


@pytest.mark.parametrize(("text", "kind"), [
    ("which partnership owns hate crime", "lead"),
    ("who's in the chair at the SSBPB", "chair"),
    ("is the director of public health on the health and wellbeing board", "membership"),
    ("how frequently do the business managers get together", "meeting"),
    ("which season does the BSAB annual report go to the BSCB", "report"),
    ("the HWB has ignored our letter, what now", "challenge"),
    ("are our minutes circulated to the other boards", "sharing"),
    ("has the protocol expired", "protocol"),
    ("which act puts the safeguarding adults board on a statutory footing", "other"),
    # a theme "sits" where it belongs (who leads on it); a post or a board sits on a board
    ("where does domestic abuse sit", "lead"),
    ("where does the director of public health sit", "membership"),
    ("someone keeps posting racist abuse about a family online, whose area is that", "lead"),
    ("we wrote to the ssbpb chair, is there anything else we can do", "challenge"),
    ("who wrote the protocol", "protocol"),
    ("who are the signatories", "protocol"),
    ("a woman is kept in a flat and made to work for nothing. which partnership should be steering the response", "lead"),
    ("who's got the brief when a woman is made to work for nothing", "lead"),
    ("who is heading up the bscb", "chair"),
    ("who is heading up work on hate crime", "lead"),
    # people in a case are no board's members
    ("a member of staff at the care home took money from a resident, which board takes that on", "lead"),
])
def test_the_kind_of_question_is_decided_from_its_form_and_cues(knowledge, text, kind):
    assert _u(knowledge, text).kind == kind


def test_yes_no_questions_are_told_apart(knowledge):
    assert _u(knowledge, "does the BSAB lead on hate crime?").yesno
    assert not _u(knowledge, "who leads on hate crime?").yesno
    # asked back of what the words before named, in a clause of its own
    assert _u(knowledge, "hate crime - is that the BSAB?").yesno
    assert _u(knowledge, "the hwb chair, is it a councillor").yesno
    assert not _u(knowledge, "hi, who leads on hate crime").yesno
    assert not _u(knowledge, "a child-protection query: who leads").yesno
    # after a few words set apart
    assert _u(knowledge, "quick q, does the bscb lead on cse").yesno
    assert not _u(knowledge, "quick q, who leads on cse").yesno
    # a tag, and the last of several sentences
    assert _u(knowledge, "cse is the bscb's, isn't it?").yesno
    assert _u(knowledge, "thanks for that. is fgm led by the hwb?").yesno
    assert not _u(knowledge, "thanks for that. who leads on fgm?").yesno
    assert _u(knowledge, "am I right that the hwb leads on fgm").yesno
    # "we're" is not "were"
    assert not _u(knowledge, "we're worried about a pupil sharing extremist videos, which board").yesno
    assert _u(knowledge, "were the minutes shared with the hwb").yesno


# --------------------------------------------------------------------------- places


def test_places_need_the_place_of_a_place_in_the_sentence():
    g = gazetteer()
    assert [m.place.name for m in g.find(tokens("who leads on DA in Kent"), "who leads on DA in Kent")] == ["Kent"]
    # a place name that is also a word counts only with its capital letter
    assert g.find(tokens("who leads on it in reading"), "who leads on it in reading") == []
    assert g.find(tokens("who leads on it in Reading"), "who leads on it in Reading")[0].place.name == "Reading"
    assert g.find(tokens("is the sab shared with bedford borough"), "is the sab shared with bedford borough") == []
    # a place the question goes on to ask of, by "their boards" or "over there"
    text = "we share a border with Kent - which of their boards leads on CSE?"
    assert [m.place.name for m in g.find(tokens(text), text)] == ["Kent"]
    text = "I'm moving to Devon next month. who leads on prevent over there?"
    assert [m.place.name for m in g.find(tokens(text), text)] == ["Devon"]
    text = "we work with Kent police on this - who leads here?"
    assert g.find(tokens(text), text) == []
    # the owner of what is asked is a place where it is written so
    text = "how often does Devon's safeguarding adults board meet?"
    assert [m.place.name for m in g.find(tokens(text), text)] == ["Devon"]
    assert g.find(tokens("how often does devon board meet"), "how often does devon board meet") == []


def test_a_town_inside_an_area_is_answered_for_that_area(knowledge):
    u = _u(knowledge, "who leads on looked after children in Lowestoft", "buckinghamshire")
    assert u.area == "suffolk" and u.place is None and "Lowestoft is in Suffolk" in u.place_note


async def test_a_place_with_no_protocol_is_said_so_whatever_the_question(services):
    for question in ("who chairs the safeguarding adults board in Norfolk?", "how often does Devon's HWB meet? in Devon"):
        reply = await ask(services, question)
        assert "boardbot has no protocol for" in reply.text
        assert reply.data["leads"] == []


# --------------------------------------------------------------------------- answers


async def test_traps_never_name_a_lead(services):
    for area, question in (("suffolk", "who leads on CSE?"), ("lancashire", "which board covers modern slavery"),
                           ("buckinghamshire", "who is in charge of loneliness"), ("central-bedfordshire", "who leads on gambling harm"),
                           # a carer is no harm: support for carers is a theme this protocol names no lead for
                           ("buckinghamshire", "which board leads on support for family carers?")):
        reply = await ask(services, question, area=area)
        assert reply.data["leads"] == [], (area, question, reply.text)
        assert "doesn't name a lead" in reply.text or "names no" in reply.text or "doesn't say" in reply.text


async def test_a_narrow_question_gets_a_few_lines_not_a_profile(services):
    reply = await ask(services, "who chairs the community safety partnership?", area="central-bedfordshire")
    assert "Marcel Coiffait" in reply.text
    assert len(reply.text) < 500
    assert "Chair: Chair" not in reply.text
    assert reply.data["kind"] == "chair" and reply.data["more"] == "board CSP"
    assert any(b.label == "More" and b.value["q"] == "board CSP" for b in reply.buttons)


async def test_silence_is_said_plainly(services):
    reply = await ask(services, "how often does the SSAB meet?", area="suffolk")
    assert "doesn't say how often" in reply.text


async def test_a_part_not_entered_yet_is_not_called_silence(knowledge):
    from bot.knowledge import Knowledge
    from bot.services import Services
    from storage.protocol.schema import Protocol

    class Covered(Protocol):  # the coverage field the schema is gaining, for this test
        coverage: dict[str, str] = {}

    area = knowledge.area("suffolk")
    wrapped = Knowledge([Covered.model_validate({**area.protocol.model_dump(), "coverage": {"boards": "not_transcribed"}})])
    assert not wrapped.areas["suffolk"].transcribed("boards") and wrapped.areas["suffolk"].transcribed("themes")
    reply = await ask(Services(knowledge=wrapped), "how often does the SSAB meet?", area="suffolk")
    assert "hasn't been entered into boardbot yet" in reply.text and "doesn't say" not in reply.text


async def test_what_no_kind_fits_is_searched_in_the_cited_facts(services):
    reply = await ask(services, "who pays for the arrangements?", area="central-bedfordshire")
    assert "Funding" in reply.text or "funding" in reply.text
    assert reply.data["source"]["clause"]


async def test_json_keeps_its_keys_and_adds_what_was_understood(services):
    reply = await ask(services, "does the HWB lead on FGM?")
    for key in ("theme", "leads", "supporting", "source", "text", "kind", "entities", "confidence"):
        assert key in reply.data
    assert reply.data["kind"] == "lead" and reply.text.startswith("Yes")
    assert {"type": "board", "key": "hwb", "text": "hwb"} in reply.data["entities"]


# --------------------------------------------------------------------------- the conversation


async def test_follow_ups_keep_the_conversation(services):
    c = "test:conversation:1"
    await ask(services, "who leads on transition to adulthood?", area="central-bedfordshire", conversation=c)
    reply = await ask(services, "who chairs the adults one?", area="central-bedfordshire", conversation=c)
    assert "Julie Ogley" in reply.text
    reply = await ask(services, "and in Suffolk?", area="central-bedfordshire", conversation=c)
    assert "SSAB" in reply.text  # the same question, about the same kind of board, there
    # another conversation has no such context
    other = await ask(services, "and in Suffolk?", area="central-bedfordshire", conversation="test:conversation:2")
    assert "Julie Ogley" not in other.text


async def test_a_follow_up_after_thanks_or_pointing_back_at_the_place(services):
    c = "test:conversation:thanks"
    await ask(services, "who has the lead on honour based violence?", conversation=c)
    reply = await ask(services, "ta. same q for central beds?", conversation=c)
    assert reply.data["kind"] == "lead" and "Central Bedfordshire Safeguarding Children Board" in reply.text
    c = "test:conversation:there"
    await ask(services, "who leads on CSE in suffolk?", conversation=c)
    reply = await ask(services, "who chairs the HWB there?", conversation=c)
    assert "Suffolk" in reply.text and "Buckinghamshire" not in reply.text


async def test_the_other_board_of_two_is_the_one_not_asked_of_last(services):
    c = "test:conversation:other"
    await ask(services, "who is the chair of the HWB?", area="lancashire", conversation=c)
    reply = await ask(services, "what about the other board?", area="lancashire", conversation=c)
    assert "Jane Booth" in reply.text and "Azhar Ali" not in reply.text, reply.text


async def test_a_chair_s_signature_asked_after_who_chairs_is_the_protocol_s(services):
    c = "test:conversation:signature"
    await ask(services, "who's the LSCB chair?", area="lancashire", conversation=c)
    reply = await ask(services, "and did she put a date on her signature?", area="lancashire", conversation=c)
    assert reply.data["kind"] == "protocol" and "blank" in reply.text, reply.text


async def test_a_group_named_after_a_meeting_question_asks_of_its_meeting(services):
    c = "test:conversation:meetings"
    first = await ask(services, "how often do the officers meet", conversation=c)
    assert "quarterly" in first.text
    reply = await ask(services, "what about the chairs", conversation=c)
    assert reply.data["kind"] == "meeting" and "annual" in reply.text.lower()
    # a question of its own in the same place is still one: who chairs it
    await ask(services, "when does the hwb meet", area="suffolk", conversation="test:conversation:hwb2")
    reply = await ask(services, "and who chairs it?", area="suffolk", conversation="test:conversation:hwb2")
    assert reply.data["kind"] == "chair"


async def test_a_board_named_as_the_owner_of_the_last_report_asks_of_its_report(services):
    c = "test:conversation:reports"
    await ask(services, "when does the BSCB annual report go to the HWB?", conversation=c)
    reply = await ask(services, "and the BSAB one?", conversation=c)
    assert "BSAB Annual Report" in reply.text and "HWB" in reply.text and "winter" in reply.text
    # a board alone is where the same report goes
    c = "test:conversation:reports2"
    await ask(services, "when does the BSCB annual report go to the HWB?", conversation=c)
    reply = await ask(services, "and the BSAB?", conversation=c)
    assert "BSCB Annual Report" in reply.text and "BSAB" in reply.text


async def test_more_typed_in_the_conversation_gives_the_full_entry(services):
    c = "test:conversation:3"
    short = await ask(services, "who leads on CSE?", conversation=c)
    full = await ask(services, "more", conversation=c)
    assert "prevention, disruption" in full.text and "prevention, disruption" not in short.text


async def test_the_asker_s_own_board_answers_our(services):
    reply = await ask(services, "who do we present our annual report to?", roles=frozenset({"business_manager:bsab"}))
    assert "BSAB Annual Report" in reply.text and "winter" in reply.text


def test_the_conversation_store_is_bounded_in_size_and_time():
    now = [0.0]
    store = ConversationStore(size=2, ttl=10, clock=lambda: now[0])
    for i in range(3):
        store.put(f"c{i}", Turn(area="suffolk", kind="lead"))
    assert store.get("c0") is None and store.get("c2") is not None
    now[0] = 11.0
    assert store.get("c2") is None


def test_indexes_for_understanding_are_built_on_first_use(protocols):
    from bot.knowledge import Knowledge

    k = Knowledge(protocols)
    area = k.area("lancashire")
    assert "vocabulary" not in area.__dict__ and "facts" not in area.__dict__
    understand("who chairs the LSCB?", k, area_slug="lancashire")
    assert "vocabulary" in area.__dict__ and "facts" not in area.__dict__  # no search was needed


# --------------------------------------------------------------------------- generalising


def test_situation_words_meet_in_any_form_of_the_verb():
    assert "county lines" in [c.phrase for c in concepts_in(tokens("he is made to sell drugs"))]
    assert "mate crime" in [c.phrase for c in concepts_in(tokens("men befriending a young man to use his flat"))]


def test_the_board_word_before_a_theme_is_not_part_of_the_theme(knowledge):
    u = _u(knowledge, "whats the lead board for anti social behaviour", "central-bedfordshire")
    assert u.kind == "lead" and u.theme == "asb"


def test_a_harm_told_in_a_sentence_outweighs_a_group_named_in_passing(knowledge):
    # "elderly" names the frail older people theme, but the case told is abuse of an adult
    u = _u(knowledge, "an elderly resident in a care home has unexplained bruises, which board leads", "central-bedfordshire")
    assert u.theme == "adult_safeguarding"


def test_chatter_is_not_taken_for_a_theme(knowledge):
    u = _u(knowledge, "we got into a debate about a group of men befriending a young man with autism, who would lead, any ideas?")
    assert u.theme == "hate_crime"


async def test_yes_or_no_to_a_yearly_review(services):
    reply = await ask(services, "is the protocol reviewed every year", area="lancashire")
    assert reply.text.startswith("Yes")


async def test_a_deadline_the_protocol_does_not_set_is_said_plainly(services):
    reply = await ask(services, "what's the deadline for the SSAB annual report", area="suffolk")
    assert "doesn't say by when" in reply.text and "It does say" in reply.text


# Yes or no, told from what the protocol says: (area, question, how the answer opens: "Yes", "No"
# or None for neither, words it must hold)
_YES_OR_NO = [
    # asked back after a dash
    ("buckinghamshire", "hate crime - is that the BSAB?", "No", ["SSBPB"]),
    # a post's seats on any board
    ("lancashire", "does the chief exec sit on any of the boards", "No", ["no seat"]),
    ("lancashire", "does the dcs sit on any board", "Yes", ["LSCB"]),
    # who attends a meeting; attendees named only in general ("the business managers of the Boards") are no "no"
    ("suffolk", "is the ssab chair at the annual chairs meeting", "No", ["SSAB", "Chair of the HWB"]),
    ("suffolk", "does the hwb chair go to the annual chairs meeting", "Yes", []),
    ("buckinghamshire", "is the hwb lead officer part of the officers meeting", "Yes", ["HWB lead officer"]),
    ("central-bedfordshire", "is the lscb business manager at the business managers meeting", "Yes", []),
    # whether the route has a step (a default ladder is none of the protocol's), who attends one;
    # where a step stands is another question
    ("suffolk", "is there a resolution meeting in the escalation process", "Yes", ["Resolution Meeting"]),
    ("lancashire", "does lancashire have a resolution meeting stage", "No", ["names no steps"]),
    ("suffolk", "does the dcs have to be at a resolution meeting", "Yes", ["Director of Children's Services"]),
    ("suffolk", "is the resolution meeting the last step", None, ["Step 5"]),
    # what the protocol calls a chair, and who chairs what
    ("lancashire", "hwb chair - is it a councillor?", "Yes", ["Azhar Ali"]),
    ("lancashire", "is the lscb chair a councillor", None, ["doesn't say"]),
    ("lancashire", "is jane booth the hwb chair", "No", ["LSCB", "Azhar Ali"]),
    ("lancashire", "is jane booth the lscb chair", "Yes", []),
    # a report in the season asked
    ("buckinghamshire", "does the SSBPB see the BSAB annual report in the autumn?", "No", ["winter"]),
    ("buckinghamshire", "does the SSBPB see the BSAB annual report in the winter?", "Yes", []),
    # asked of the document: where it says nothing, no; asked of the world, it only says it doesn't say
    ("central-bedfordshire", "does the protocol tell us how often the SAB meets?", "No", ["doesn't say"]),
    ("central-bedfordshire", "does the protocol give the date it was agreed?", "No", ["doesn't say"]),
    ("central-bedfordshire", "does the SAB meet monthly?", None, []),
    # a board's "job", and a lead shared when asked whether one board has it alone
    ("central-bedfordshire", "is transition to adulthood solely the LSCB's job?", "No", ["joint lead", "SAB"]),
    ("central-bedfordshire", "is transition to adulthood the SAB's job?", "Yes", ["joint lead"]),
    ("buckinghamshire", "is the BSAB in the driving seat on domestic abuse?", "No", ["SSBPB"]),
    # one board above another: the protocol's words on hierarchy, or a board's independence
    ("lancashire", "does the HWB outrank the LSCB?", "No", ["not hierarchical"]),
    ("lancashire", "are the two boards on a level, equals?", "Yes", ["not hierarchical"]),
    ("suffolk", "is the LSCB subordinate to the HWB?", "No", ["independent"]),
    ("buckinghamshire", "are the HWB and the BSAB equals?", None, ["doesn't say how"]),
    ("lancashire", "do the HWB and the LSCB overlap in what they're responsible for?", "No", ["mutually exclusive"]),
    ("suffolk", "could the SSAB be merged into the HWB as a sub-group?", "No", ["subordinate"]),
    ("lancashire", "kids keep lighting fires on the hills above Colne. has either of the two boards got the lead on arson?",
     "No", ["doesn't name a lead for arson"]),
    # the chairs of the boards as a group that meets, and "an annual"
    ("lancashire", "do the chairs of both boards have an annual meeting?", "No", ["an annual meeting"]),
    ("buckinghamshire", "do the chairs of the four boards have an annual meeting?", "Yes", ["Chair of the SSBPB"]),
    # a statement put to be confirmed, and a yes or no in a clause before the last comma
    ("buckinghamshire", "given who the victims are, surely hate crime belongs with the adults board?", "No", ["SSBPB"]),
    ("buckinghamshire", "correct me if I'm wrong, but forced marriage sits with the SSBPB?", "Yes", []),
    ("lancashire", "the ICB asked me to check: in Lancs, is it the LSCB that does the multi-agency training, audits and so on?",
     "Yes", ["LSCB"]),
    # whom a chair answers to, asked of a post
    ("buckinghamshire", "does the BSCB chair answer to the director of children's services?", "No", ["Chief Executive"]),
    ("buckinghamshire", "is the BSCB chair accountable to the chief exec?", "Yes", []),
    # a passage that only names the board asked of answers nothing
    ("lancashire", "is it the LSCB then?", None, []),
    ("lancashire", "is that the HWB?", None, []),
    # who approved it, asked of a body
    ("buckinghamshire", "did the adults board approve the protocol?", "Yes", ["BSAB"]),
    ("buckinghamshire", "was the protocol approved by the ICET?", "No", ["BSCB"]),
    # the signatures' dates
    ("lancashire", "is the signature page dated?", "No", ["blank"]),
    # whether any board leads, no board named
    ("buckinghamshire", "does one of the boards lead on forced marriage?", "Yes", ["SSBPB"]),
    ("suffolk", "does one of the boards lead on forced marriage?", "No", []),
    # asked after the place it is asked of
    ("buckinghamshire", "in Lancs is safer recruitment overseen by the LSCB?", "Yes", ["Lancashire"]),
    ("buckinghamshire", "over in suffolk is the lscb the lead for domestic abuse?", "No", ["Suffolk"]),
]


@pytest.mark.parametrize(("area", "text", "opens", "holds"), _YES_OR_NO)
async def test_yes_or_no_is_told_from_what_the_protocol_says(services, area, text, opens, holds):
    reply = await ask(services, text, area=area)
    if opens is None:
        assert not reply.text.startswith(("Yes", "No")), reply.text
    else:
        assert reply.text.startswith(f"{opens} \u2014"), reply.text
    for words in holds:
        assert words in reply.text, (words, reply.text)


async def test_a_theme_named_in_the_question_after_a_case_is_the_one_asked_of(services):
    # the case (an adult at risk) is told first; the question names a harm the protocol names no lead for
    reply = await ask(services, "We are helping a 23 year old who fled her family because they arranged a wedding she "
                                "never agreed to. Is forced marriage something any Suffolk board leads on?", area="suffolk")
    assert reply.data["leads"] == [] and "forced marriage" in reply.text.lower()


async def test_a_meeting_of_another_cadence_is_not_a_yes(services):
    reply = await ask(services, "is there a quarterly officers meeting in suffolk", area="suffolk")
    assert reply.text.startswith("No") and "annual" in reply.text
    # whatever words for how often the protocol uses, and slips of them
    for text in ("does the officers group meet montly", "is the officers meeting weekly"):
        reply = await ask(services, text)
        assert reply.text.startswith("No"), text
    assert (await ask(services, "is the officers meeting quartely")).text.startswith("Yes")


async def test_what_the_protocol_says_about_a_topic_it_never_mentions(services):
    reply = await ask(services, "does the protocol say anything about data protection", area="suffolk")
    assert "doesn't say anything about data protection" in reply.text


async def test_tell_me_about_a_board_is_its_profile(services):
    reply = await ask(services, "tell me about the corporate parenting board", area="suffolk")
    assert reply.text.startswith("Suffolk Corporate Parenting Board (CPB)") and "Purpose:" in reply.text


async def test_a_post_holder_asking_in_the_first_person_is_asked_of_their_post(services, knowledge):
    from bot.identity import roles_for

    roles = roles_for(knowledge.area("central-bedfordshire"), "AD Adult Social Care")
    reply = await ask(services, "which boards do I sit on?", area="central-bedfordshire", roles=roles)
    assert "LSCB" in reply.text and "SAB" in reply.text, reply.text
    roles = roles_for(knowledge.area("lancashire"), "Lead Member for Health and Wellbeing")
    reply = await ask(services, "should I be on the LSCB too?", area="lancashire", roles=roles)
    assert reply.text.startswith("No \u2014") and "HWB" in reply.text, reply.text


async def test_a_chair_asking_of_themself_is_asked_of_their_office(services):
    reply = await ask(services, "who am I answerable to, exactly?", area="suffolk", roles=frozenset({"chair:ssab"}))
    assert "Director of Adult and Community Services" in reply.text, reply.text
    reply = await ask(services, "who am I answerable to, exactly?", area="suffolk", roles=frozenset({"chair:lscb"}))
    assert "Chief Executive" in reply.text, reply.text


async def test_our_board_is_the_asker_s_own(services):
    roles = frozenset({"chair:bscb"})
    members = await ask(services, "who sits on our board", roles=roles)
    assert "Posts on the Buckinghamshire Safeguarding Children Board" in members.text
    themes = await ask(services, "what do we lead on", roles=roles)
    assert "(BSCB) leads on" in themes.text and not themes.data.get("leads")


async def test_a_named_harm_without_a_lead_is_not_the_general_safeguarding_lead(services):
    reply = await ask(services, "a teenager is being radicalised by extremist material, which board leads", area="lancashire")
    assert not reply.data.get("leads")
    assert "doesn't name a lead" in reply.text and "Safeguarding children" in reply.text  # shown as near, not as the lead


async def test_a_board_s_sub_groups_are_listed_or_said_to_be_none(services):
    listed = await ask(services, "what sub groups does the LSCB have", area="central-bedfordshire")
    assert "Practice and Performance Group" in listed.text
    none = await ask(services, "does the CSP have any subgroups", area="central-bedfordshire")
    assert none.text.startswith("No") and "names no sub-groups" in none.text


async def test_a_theme_in_a_pair_of_its_own_words_is_that_theme(services):
    reply = await ask(services, "which of the boards deals with drink and drugs", area="central-bedfordshire")
    # the protocol names no lead (section 7); the CSP's statutory duty (section 6) is shown beside it
    assert reply.data["theme_key"] == "substance_misuse"
    assert reply.data["leads"] == [] and "csp" in {b["key"] for b in reply.data["supporting"]}


@pytest.mark.parametrize("text", ["who reviews the death of a child", "who looks at the deaths of all children in the county"])
async def test_who_reviews_a_theme_is_its_lead_not_the_protocol_s_review(services, text):
    reply = await ask(services, text)
    assert reply.data["kind"] == "lead" and [b["key"] for b in reply.data["leads"]] == ["bscb"], reply.text
    # the protocol's own review is still its own
    reply = await ask(services, "who reviews the protocol")
    assert reply.data["kind"] == "protocol"


async def test_which_board_does_a_kind_of_review_is_a_lead_question(services):
    reply = await ask(services, "probation asked me which lancs board gets domestic homicide reviews done", area="lancashire")
    assert reply.data["kind"] == "lead" and reply.data["leads"] == [] and "doesn't name a lead" in reply.text, reply.text


@pytest.mark.parametrize(("text", "topic"), [
    ("apologies if this is obvious - which of the partnerships has taken on young people who are NEET?", "NEET"),
    ("a councillor asked me which partnership heads up school admissions appeals. any idea?", "school admissions appeals"),
    ("fuel poverty among pensioners - has any board got that on its plate?", "fuel poverty"),
])
async def test_which_board_does_something_the_protocol_never_mentions(services, text, topic):
    reply = await ask(services, text)
    assert reply.data["leads"] == [] and f"doesn't name a lead for {topic}" in reply.text, reply.text


async def test_whether_any_board_leads_is_not_the_answer_to_another_yes_or_no(services):
    first = await ask(services, "does a board lead on forced marriage?")
    other = await ask(services, "is forced marriage covered?")
    assert first.text.startswith("Yes \u2014") and not other.text.startswith("Yes \u2014"), other.text


async def test_a_theme_s_work_asked_yes_or_no_is_its_lead_not_the_protocol_s_signing(services):
    reply = await ask(services, "was the better care fund approved by the SSBPB?")
    assert reply.data["kind"] == "lead" and reply.text.startswith("No \u2014") and "HWB" in reply.text, reply.text


@pytest.mark.parametrize("text", [
    "a colleague reckons the HWB has a view on fracking. does it?",
    "what's the HWB's position on fracking in central beds?",
])
async def test_what_the_protocol_is_silent_on_is_the_topic_asked_not_the_story_or_the_place(services, text):
    reply = await ask(services, text, area="central-bedfordshire")
    assert "doesn't say anything about fracking." in reply.text, reply.text


async def test_when_the_protocol_was_last_reviewed_is_not_its_rule_for_the_next(services):
    reply = await ask(services, "when did the protocol last get reviewed?", area="lancashire")
    assert reply.text.startswith("Lancashire's protocol doesn't say when it was last reviewed.") and "annually" in reply.text
    reply = await ask(services, "when does the protocol get reviewed?", area="lancashire")
    assert "doesn't say" not in reply.text and "annually" in reply.text


async def test_who_appoints_a_chair_the_protocol_only_names_is_said_not_to_be_said(services):
    reply = await ask(services, "who picked Jane Booth to chair the LSCB?", area="lancashire")
    assert reply.text.startswith("Lancashire's protocol doesn't say who appoints") and "Jane Booth" in reply.text
    reply = await ask(services, "who appoints the SSAB chair?", area="suffolk")
    assert "Director of Adult and Community Services appoints" in reply.text


@pytest.mark.parametrize(("text", "says"), [
    ("they keep deferring our item on the HWB agenda. what's the next rung?", "Step 3, Meeting of Chairs"),
    ("what is step two of the ladder?", "Step 2, Item on another partnership's agenda"),
    ("we have doubts about how the SSBPB commissions DA services. what's the first move under the protocol?",
     "1. Written request to another partnership"),
])
async def test_the_ladder_in_its_own_words_and_steps_counted_in_words(services, text, says):
    reply = await ask(services, text)
    assert reply.data["kind"] == "challenge" and says in reply.text, reply.text


async def test_a_kind_of_theme_is_that_theme(services):
    reply = await ask(services, "is the SSBPB the lead for this type of domestic abuse?")
    assert reply.text.startswith("Yes \u2014") and "SSBPB" in reply.text, reply.text


async def test_what_is_asked_after_the_lead_ends_with_its_sentence(services):
    text = ("Drafting our honour based violence leaflet and it has to name the board with the lead across the"
            " county. Could you tell me which one?")
    reply = await ask(services, text)
    assert [b["key"] for b in reply.data["leads"]] == ["ssbpb"], reply.text


async def test_a_yes_or_no_opens_the_answer_before_a_town_s_note(services):
    reply = await ask(services, "in Chorley is the LSCB the lead on child deaths?", area="lancashire")
    assert reply.text.startswith("Yes \u2014") and "(Chorley is in Lancashire.)" in reply.text, reply.text


async def test_which_of_the_two_boards_is_there_for_a_case_told_is_its_lead(services):
    text = "People in parts of Preston die younger than in the Fylde. Which of the two boards is there to tackle that?"
    reply = await ask(services, text, area="lancashire")
    assert [b["key"] for b in reply.data["leads"]] == ["hwb"], reply.text


async def test_which_board_after_a_case_told_asks_the_lead_of_the_theme_it_names(services):
    text = ("Three agencies each knew something about a toddler in Lowestoft and nobody put it together. "
            "Which suffolk board would get a serious case review going?")
    reply = await ask(services, text, area="suffolk")
    assert [b["key"] for b in reply.data["leads"]] == ["lscb"], reply.text


async def test_who_runs_a_board_is_its_chair(services):
    reply = await ask(services, "who runs the lscb", area="lancashire")
    assert "Jane Booth" in reply.text


async def test_a_report_with_no_date_says_so_and_what_the_protocol_does_say(services):
    reply = await ask(services, "when do we need to get the JSNA to the BSCB")
    assert "doesn't say when" in reply.text and "every 4 years" in reply.text


async def test_a_board_asked_about_something_the_protocol_never_mentions(services):
    reply = await ask(services, "what's the HWB's view on fracking")
    assert "doesn't say anything about fracking" in reply.text and not reply.data.get("leads")


async def test_no_vice_chair_is_said_plainly(services):
    reply = await ask(services, "is there a vice chair of the BSAB")
    assert "names no co-chair or vice chair" in reply.text


async def test_an_agenda_request_is_the_protocol_s_own_step_and_how_to_make_one(services):
    reply = await ask(services, "can our chair ask for something to go on the HWB agenda", area="central-bedfordshire")
    assert reply.text.startswith("Yes") and "agenda request HWB" in reply.text


async def test_after_an_agenda_item_got_nowhere_comes_the_next_step(services):
    reply = await ask(services, "we asked for an item on their agenda and nothing happened, what now", area="central-bedfordshire")
    assert "Meeting between Board Chairs" in reply.text


async def test_a_young_carer_is_a_child_and_the_protocol_names_no_lead(services):
    reply = await ask(services, "a young carer is missing school to look after mum - who leads", area="suffolk")
    assert not reply.data.get("leads") and "young carers" in reply.text


def test_an_abbreviation_that_is_also_a_word_counts_only_in_capitals(knowledge):
    assert _u(knowledge, "who leads on SEND", "suffolk").theme_phrase.startswith("special educational need")
    assert _u(knowledge, "who do we send the cpb report to", "suffolk").kind == "report"


def test_a_pronoun_s_contraction_is_spelled_out_not_read_as_another_word():
    # with the apostrophe dropped, "we're" would be "were" (a yes-or-no opener) and "I'll" "ill"
    assert tokens("we're worried") == ("we", "are", "worried")
    assert tokens("I\u2019ll ask again") == ("i", "will", "ask", "again")
    assert tokens("who's the lead") == ("whos", "the", "lead")  # "'s" is left to the cues that read it


def test_kids_are_children():
    assert tokens("commissioning for kids") == tokens("commissioning for children")


@pytest.mark.parametrize(("typed", "meant"), [
    ("who chairs the helth and wellbeing board", "who chairs the health and wellbeing board"),
    ("who chairs the comunity saftey partnership", "who chairs the community safety partnership"),
    ("is healthwach on the hwb", "is healthwatch on the hwb"),
])
def test_one_slip_of_the_keys_is_corrected(knowledge, typed, meant):
    a, b = _u(knowledge, typed, "central-bedfordshire"), _u(knowledge, meant, "central-bedfordshire")
    assert (a.kind, [(e.type, e.key) for e in a.entities]) == (b.kind, [(e.type, e.key) for e in b.entities])


def test_an_area_is_known_by_its_initials_unless_another_shares_them(protocols):
    from bot.knowledge import Knowledge

    knowledge = Knowledge(protocols)
    assert knowledge.area_in(tokens("who chairs the SAB in CB?"))[0] == "central-bedfordshire"
    bucks = next(p for p in protocols if p.area.slug == "buckinghamshire")
    twin = bucks.model_copy(update={"area": bucks.area.model_copy(update={"slug": "cambridge-borough", "name": "Cambridge Borough"})})
    assert Knowledge([*protocols, twin]).area_in(tokens("who chairs the SAB in CB?")) is None


def test_a_place_is_never_corrected_to_a_protocol_word(knowledge):
    u = _u(knowledge, "who chairs the HWB in Leeds", "suffolk")
    assert u.place is not None and u.place.name == "Leeds"

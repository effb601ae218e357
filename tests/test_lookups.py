"""Lookups in the words members use, for every seed area, checked against the seeds."""

from __future__ import annotations

import pytest

# (area, question, expected lead short names, expected supporting short names or None to skip)
LEADS = [
    ("buckinghamshire", "who leads on CSE?", ["BSCB"], ["SSBPB", "BSAB", "HWB"]),
    ("buckinghamshire", "Who leads on child sexual exploitation", ["BSCB"], None),
    ("buckinghamshire", "who is responsible for child sexual exploitaton?", ["BSCB"], None),
    ("buckinghamshire", "which board is responsible for modern slavery?", ["SSBPB"], None),
    ("buckinghamshire", "lead for FGM", ["HWB"], None),
    ("buckinghamshire", "who leads on female genital mutiliation", ["HWB"], None),
    ("buckinghamshire", "who leads on domestic violence", ["SSBPB"], None),
    ("buckinghamshire", "who's responsible for DV?", ["SSBPB"], None),
    ("buckinghamshire", "who takes the lead on prevent", ["SSBPB"], None),
    ("buckinghamshire", "which partnership handles radicalisation?", ["SSBPB"], None),
    ("buckinghamshire", "who leads on hate crimes", ["SSBPB"], None),
    ("buckinghamshire", "forced marriage lead", ["SSBPB"], None),
    ("buckinghamshire", "who do I contact about honour based violence?", ["SSBPB"], None),
    ("buckinghamshire", "who leads on human trafficking", ["SSBPB"], None),
    ("central-bedfordshire", "who leads on domestic abuse?", ["CSP"], None),
    ("central-bedfordshire", "who leads on mental health", ["HWB"], None),
    ("central-bedfordshire", "who leads on transition to adulthood?", ["LSCB", "SAB"], None),
    ("central-bedfordshire", "who leads on safeguarding adults", ["SAB"], None),
    ("central-bedfordshire", "who leads on re-offending", ["CSP"], None),
    ("suffolk", "who leads on looked after children?", ["CPB"], None),
    ("suffolk", "who leads on children in care", ["CPB"], None),
    ("suffolk", "who leads on the family focus programme", ["CTJCG", "HWB"], None),
    ("suffolk", "who leads on the JSNA", ["HWB"], None),
    ("suffolk", "who leads on adult safeguarding", ["SSAB"], None),
    ("lancashire", "who leads on safeguarding children", ["LSCB"], ["HWB"]),
    ("lancashire", "who leads on the joint strategic needs assessment", ["HWB"], ["LSCB"]),
    # a different area named in the question wins over the one asked from
    ("lancashire", "who leads on domestic violence in Buckinghamshire?", ["SSBPB"], None),
    ("suffolk", "who leads on CSE in Bucks?", ["BSCB"], None),
]


@pytest.mark.parametrize(("area", "question", "leads", "supporting"), LEADS)
async def test_lead_lookups_name_the_protocols_lead(bot, area, question, leads, supporting):
    reply = await bot(question, area=area)
    assert reply.ok, reply.text
    assert [b["short_name"] for b in reply.data["leads"]] == leads
    if supporting is not None:
        assert [b["short_name"] for b in reply.data["supporting"]] == supporting
    assert reply.data["source"]["file"].endswith(".txt")
    assert reply.data["source"]["clause"]
    assert reply.data["source"]["clause"] in reply.text or reply.data["source"]["file"] in reply.text


async def test_joint_leads_are_given_as_joint(bot):
    reply = await bot("who leads on transition to adulthood?", area="central-bedfordshire")
    assert reply.data["joint"] is True
    assert reply.text.startswith("Joint lead:")


@pytest.mark.parametrize(
    ("area", "question", "theme_word"),
    [
        ("suffolk", "who leads on CSE?", "exploitation"),
        ("lancashire", "who leads on FGM?", "genital"),
        ("lancashire", "who leads on domestic abuse", "domestic"),
        ("suffolk", "who leads on prevent?", "prevent"),
    ],
)
async def test_no_lead_named_is_said_plainly_and_never_guessed(bot, area, question, theme_word):
    reply = await bot(question, area=area)
    assert reply.ok
    assert reply.data["leads"] == []
    assert theme_word in reply.data["theme"].lower()
    assert "names no lead" in reply.text
    # says what the protocol says to do about such a theme, with its clause
    assert reply.data["source"]["clause"] in reply.text


@pytest.mark.parametrize(("area", "question", "name"), [
    ("lancashire", "is there a board that deals with radicalisation?", "Lancashire"),
    ("suffolk", "does anyone lead on self neglect?", "Suffolk"),
    ("central-bedfordshire", "is the CSP the lead on workforce sufficiency?", "Central Bedfordshire"),
])
async def test_a_yes_no_question_with_no_lead_says_no_and_keeps_the_areas_name(bot, area, question, name):
    reply = await bot(question, area=area)
    assert reply.text.startswith(f"No \u2014 {name}'s protocol"), reply.text


async def test_an_explicit_no_single_lead_theme_quotes_the_protocol(bot):
    reply = await bot("who leads on workforce sufficiency?", area="central-bedfordshire")
    assert reply.data["leads"] == []
    assert "no single lead" in reply.text
    assert "statutory responsibility" in reply.text


async def test_unknown_theme_offers_did_you_mean(bot):
    reply = await bot("who leads on safeguarding?", area="buckinghamshire")
    assert not reply.ok
    assert reply.data["theme"] is None
    assert "Did you mean" in reply.text
    assert any("children" in s.lower() for s in reply.data["suggestions"])
    assert any("adult" in s.lower() for s in reply.data["suggestions"])


async def test_short_abbreviations_are_never_fuzzed_into_another(bot):
    # CSP is a board, not a theme: one letter from CSE, it must not be read as CSE
    reply = await bot("who leads on csp?", area="buckinghamshire")
    assert reply.data.get("theme") != "Child sexual exploitation (CSE)"


async def test_boards_lists_parties_and_linked_groups(bot):
    reply = await bot("boards", area="buckinghamshire")
    shorts = [b["short_name"] for b in reply.data["boards"] if b["party"]]
    assert shorts == ["BSCB", "BSAB", "HWB", "SSBPB"]
    assert "Linked groups" in reply.text


async def test_board_card_has_chair_manager_cadence_and_public_meetings(bot):
    reply = await bot("board BSCB", area="buckinghamshire")
    assert reply.data["board"]["short_name"] == "BSCB"
    for label in ("Purpose:", "Statutory basis:", "Chair:", "Business manager / lead officer:", "Meets:", "Meets in public:"):
        assert label in reply.text
    assert "Independent Chair" in reply.text


async def test_who_chairs_the_adults_board(bot):
    reply = await bot("who chairs the adults board?", area="central-bedfordshire")
    assert reply.data["board"]["short_name"] == "SAB"
    assert "Julie Ogley" in reply.text or "Director" in reply.text


async def test_who_sits_on_the_hwb(bot):
    reply = await bot("who sits on the HWB?", area="lancashire")
    titles = {p["title"] for p in reply.data["posts"]}
    assert "Director of Public Health" in titles
    assert any("Children" in t for t in titles)


async def test_which_boards_does_the_dcs_sit_on(bot):
    reply = await bot("which boards does the Director of Children's Services sit on?", area="central-bedfordshire")
    shorts = {b["short_name"] for b in reply.data["boards"]}
    # joint protocol, common membership: LSCB, the Children's Trust and the HWB
    assert {"LSCB", "HWB"} <= shorts
    assert len(shorts) == 3


async def test_common_membership_of_two_boards(bot):
    reply = await bot("who sits on both the HWB and the LSCB?", area="lancashire")
    assert "Director of Public Health" in reply.data["posts"]


async def test_protocol_gives_version_review_and_history(bot):
    reply = await bot("protocol", area="buckinghamshire")
    assert reply.data["version"] == "V3.0"
    assert reply.data["review"]["next_due"] == "2018-01"
    assert [v["version"] for v in reply.data["history"]] == ["V1.0", "V2.0", "V2.1", "V3.0"]
    assert "January 2018" in reply.text


async def test_protocol_review_rule_where_no_date_is_given(bot):
    reply = await bot("when is the protocol due for review?", area="lancashire")
    assert reply.data["review"]["rule"] == "annual"
    assert "national guidance" in reply.text


async def test_lancashire_challenge_route_is_the_labelled_default(bot):
    reply = await bot("how do I challenge another board?", area="lancashire")
    assert reply.data["default_ladder"] is True
    assert "default ladder" in reply.text


async def test_suffolk_ladder_has_the_chief_executive_step(bot):
    reply = await bot("escalation route", area="suffolk")
    assert len(reply.data["rungs"]) == 5
    assert "Chief Executive" in reply.text


async def test_help_lists_commands_with_examples(bot):
    reply = await bot("help", area=None)
    assert "who leads on CSE?" in reply.text
    assert "e.g." in reply.text


async def test_question_without_any_area_asks_which(bot):
    reply = await bot("who leads on CSE?", area=None)
    assert not reply.ok
    assert "Which area" in reply.text
    assert "suffolk" in reply.text


async def test_nonsense_gets_a_helpful_message(bot):
    reply = await bot("purple elephants dancing", area="suffolk")
    assert not reply.ok
    assert "help" in reply.text


@pytest.mark.parametrize(
    ("area", "question", "theme_key"),
    [
        # a longer phrase another area's protocol knows beats a short generic one of this area
        ("central-bedfordshire", "hate and mate crime", "hate_crime"),
        ("suffolk", "who leads on the pharmaceutical needs assessment?", "pharmaceutical_needs_assessment"),
        ("central-bedfordshire", "who leads on corporate parenting?", "looked_after_children"),
        ("buckinghamshire", "who leads on adult safeguarding reviews?", "safeguarding_adults_reviews"),
        # a spelling slip is forgiven even where this area names no lead
        ("lancashire", "who leads on domestic abuce?", "domestic_abuse"),
    ],
)
async def test_the_best_matching_theme_wins(bot, area, question, theme_key):
    reply = await bot(question, area=area)
    assert reply.data["theme_key"] == theme_key, reply.text


async def test_each_clause_names_its_own_document_where_an_area_has_two(bot):
    # Central Bedfordshire's LSCB is described in the joint protocol (000) and the 2018 arrangements (003)
    reply = await bot("board LSCB", area="central-bedfordshire")
    sources = reply.text.splitlines()[-1]
    assert "000_6088000c00995659.txt" in sources and "003_68feb11e5b6c7078.txt" in sources


@pytest.mark.parametrize(("area", "question", "theme_word", "leads"), [
    ("suffolk", "which board looks after county lines stuff?", "county lines", []),  # the verb, not "looked after"
    ("buckinghamshire", "who looks after prevent?", "prevent", ["SSBPB"]),
    ("suffolk", "who looks after children in care?", "looked after", ["CPB"]),
    ("suffolk", "which board looks after looked after children", "looked after", ["CPB"]),
])
async def test_looks_after_asks_who_leads_and_is_not_the_looked_after_children_theme(bot, area, question, theme_word, leads):
    reply = await bot(question, area=area)
    assert theme_word in reply.data["theme"].lower(), reply.text
    assert [b["short_name"] for b in reply.data["leads"]] == leads, reply.text


@pytest.mark.parametrize(("area", "question", "said"), [
    ("suffolk", "does the protocol mention air quality?", "No \u2014 Suffolk's protocol doesn't say anything about air quality."),
    ("lancashire", "Does the protocol say anything about climate change?",
     "No \u2014 Lancashire's protocol doesn't say anything about climate change."),
    ("lancashire", "does the protocol talk about potholes", "No \u2014 Lancashire's protocol doesn't say anything about potholes."),
    ("suffolk", "anything in the protocol about county lines?", "Suffolk's protocol doesn't say anything about county lines."),
])
async def test_asking_whether_the_protocol_mentions_something_it_never_does_is_answered_plainly(bot, area, question, said):
    reply = await bot(question, area=area)
    assert reply.ok and reply.text.startswith(said), reply.text


async def test_asking_what_the_protocol_says_about_a_theme_or_its_own_review_still_answers_that(bot):
    lead = await bot("does the protocol say anything about domestic abuse?", area="buckinghamshire")
    assert [b["short_name"] for b in lead.data["leads"]] == ["SSBPB"]
    review = await bot("what does the protocol say about its review?", area="buckinghamshire")
    assert "review" in review.text.lower() and "doesn't say anything about" not in review.text


@pytest.mark.parametrize(("area", "question", "said"), [
    ("suffolk", "what does CTJCG stand for", "CTJCG stands for Suffolk Children's Trust Joint Commissioning Group."),
    ("central-bedfordshire", "what does DCS stand for?", "DCS is the Director of Children's Services."),
    ("buckinghamshire", "what does CSE stand for", "CSE: Child sexual exploitation"),
    ("lancashire", "what is FGM short for?", "FGM: Female genital mutilation"),  # a theme only other areas name
])
async def test_letters_are_spelled_out(bot, area, question, said):
    reply = await bot(question, area=area)
    assert reply.text.startswith(said), reply.text


@pytest.mark.parametrize(("area", "question", "kind"), [
    ("buckinghamshire", "who's the boss of the children's partnership", "chair"),
    ("buckinghamshire", "who is the head of the BSAB?", "chair"),
    ("central-bedfordshire", "what's the process for raising a concern with another board", "challenge"),
])
async def test_everyday_words_for_a_chair_and_a_challenge(bot, area, question, kind):
    reply = await bot(question, area=area)
    assert reply.data.get("kind") == kind, (reply.data.get("kind"), reply.text)


async def test_an_older_person_harmed_by_a_son_or_daughter_is_an_adult_at_risk(bot):
    reply = await bot("an elderly neighbour is being financially abused by her son - who leads", area="buckinghamshire")
    assert [b["short_name"] for b in reply.data["leads"]] == ["BSAB"], reply.text
    child = await bot("my son is being groomed online, which board?", area="buckinghamshire")
    assert [b["short_name"] for b in child.data["leads"]] == ["BSCB"], child.text


async def test_a_board_named_by_the_themes_own_words_is_not_the_board_asked_about(bot):
    # "safeguarding children" names the LSCB as well as the theme: the board asked about is the HWB
    reply = await bot("is the HWB responsible for safeguarding children?", area="lancashire")
    assert reply.text.startswith("No \u2014 the lead on safeguarding children is the Lancashire Safeguarding Children Board"), reply.text


async def test_how_many_boards_lists_them(bot):
    reply = await bot("how many boards are there", area="buckinghamshire")
    assert reply.ok and "BSCB" in reply.text and "SSBPB" in reply.text


async def test_a_theme_no_protocol_names_is_said_back_as_typed(bot):
    reply = await bot("who is meant to look at teenage pregnancy?", area="central-bedfordshire")
    assert "doesn't name a lead for teenage pregnancy" in reply.text, reply.text


@pytest.mark.parametrize(("question", "title"), [
    ("what are the themes?", "Themes"), ("what are the boards", "Boards"), ("what are the shared priorities", "Themes"),
    ("which themes does the protocol cover?", "Themes"), ("what boards are in the protocol", "Boards"),
    ("how many themes are there", "Themes"),
])
async def test_the_lists_asked_for_in_plain_words(bot, question, title):
    reply = await bot(question, area="lancashire")
    assert reply.title.startswith(title), (reply.title, reply.text)


async def test_what_are_the_areas_lists_them(bot):
    reply = await bot("what are the areas?", area="suffolk")
    assert reply.ok and "Lancashire" in reply.text and "Central Bedfordshire" in reply.text


@pytest.mark.parametrize(("question", "title"), [
    ("show me the reporting calendar", "Reporting"), ("what reports are due this year?", "Reporting"),
    ("what meetings are there", "Meetings"), ("what are the meetings?", "Meetings"), ("show me the challenge route", "Mutual challenge"),
])
async def test_the_calendars_and_the_route_asked_for_in_plain_words(bot, question, title):
    reply = await bot(question, area="suffolk")
    assert reply.title.startswith(title), (reply.title, reply.text)


async def test_asking_what_boardbot_can_do_gives_the_help(bot):
    for question in ("what help can you give me?", "how can you help?", "what do you do"):
        reply = await bot(question, area="suffolk")
        assert reply.title == "boardbot help", (question, reply.text)


async def test_posts_on_several_boards_are_listed_with_each_board(bot):
    reply = await bot("which posts are on several boards?", area="buckinghamshire")
    assert reply.text.startswith("Posts on more than one board: Director of Children's Services (HWB: member, BSCB: member)"), reply.text
    two = await bot("who is on multiple boards", area="lancashire")  # two boards: the posts both share
    assert two.text.startswith("Posts on both the HWB and the LSCB"), two.text

"""The shortcuts a question's reading takes (one table for two theme searches, names looked for
only where one may start, stems remembered) find exactly what the plain searches find, and
forget nothing they should when the protocols change."""

from __future__ import annotations

import pytest

from bot.knowledge import LIGHT_FILLER, Knowledge
from bot.language import concepts
from bot.language.concepts import concepts_in, stem, stems
from bot.language.match import Match
from bot.language.normalise import tokens
from bot.language.places import gazetteer

SENTENCES = [
    "who leads on child sexual exploitation in schools?",
    "which board is responsible for the safeguarding of adults and domestic abuse",
    "who is the lead for the joint strategic needs assessment please",
    "who leads on cse and fgm?",
    "a pupil has been groomed online, which board",
    "an elderly neighbour is being pressured into handing over money by her son",
    "who owns county lines in ipswich",
    "the the of on",
    "who leads on modern slavery and human trafficking and exploitation",
    "what about mental health for children in care moving to adult services",
    "",
]


def _spans(matches: list[Match]) -> list[tuple[str, int, int]]:
    return [(m.key, m.start, m.end) for m in matches]


@pytest.mark.parametrize("text", SENTENCES)
def test_one_table_finds_what_the_two_theme_searches_find(knowledge, text):
    t = tokens(text)
    for area in knowledge.areas.values():
        own, anywhere = knowledge.themes_named(area, t)
        assert own == _spans(area.themes_in(t))
        assert anywhere == _spans(knowledge.themes_in(t))


def test_every_theme_name_is_found_by_the_table_as_by_the_searches(knowledge):
    for area in knowledge.areas.values():
        for theme in area.protocol.themes:
            for name in (theme.name, *theme.aliases):
                t = tokens(f"who leads on {name} in the area?")
                assert knowledge.themes_named(area, t) == (_spans(area.themes_in(t)), _spans(knowledge.themes_in(t)))


def test_a_protocol_imported_again_is_searched_with_its_own_names(protocols):
    """Each index holds its own tables: a theme's new alias is found by the index built after it
    was added, and the index before it keeps answering from what it was built from."""
    before = Knowledge(protocols)
    area = before.areas["suffolk"]
    t = tokens("who leads on wobbly widgets")
    assert before.themes_named(area, t) == ([], [])
    changed = []
    for p in protocols:
        if p.area.slug == "suffolk":
            first = p.themes[0].model_copy(update={"aliases": [*p.themes[0].aliases, "wobbly widgets"]})
            p = p.model_copy(update={"themes": [first, *p.themes[1:]]})
        changed.append(p)
    after = Knowledge(changed)
    key = changed[[p.area.slug for p in changed].index("suffolk")].themes[0].key
    assert after.themes_named(after.areas["suffolk"], t) == ([(key, 3, 5)], [(key, 3, 5)])
    assert before.themes_named(area, t) == ([], [])
    # another area's index finds the alias only as any area's theme
    other = after.areas["buckinghamshire"]
    assert after.themes_named(other, t) == ([], [(key, 3, 5)])


def test_filler_words_are_left_out_and_the_spans_are_the_sentence_s(knowledge):
    area = knowledge.areas["buckinghamshire"]
    t = tokens("who leads on the child sexual exploitation of the young")
    own, _ = knowledge.themes_named(area, t)
    assert own and all(w not in LIGHT_FILLER for k, s, e in own for w in (t[s], t[e - 1]))


def _places_plainly(t: tuple[str, ...], original: str) -> list[tuple[str, int, int]]:
    """The gazetteer's search as first written: every length at every position."""
    g = gazetteer()
    found, i = [], 0
    longest = max(len(k) for k in g._by_tokens)
    while i < len(t):
        hit = next(((g._by_tokens[t[i:i + n]], n) for n in range(min(longest, len(t) - i), 0, -1)
                    if t[i:i + n] in g._by_tokens), None)
        if hit and g._expected(t, i, i + hit[1]) and g._written(hit[0], original, t[i:i + hit[1]]):
            found.append((hit[0].name, i, i + hit[1]))
            i += hit[1]
        else:
            i += 1
    return found


@pytest.mark.parametrize("text", [
    "who leads on domestic abuse in Kent?", "and Milton Keynes?", "does Devon have a protocol", "who leads on CSE in Reading",
    "who leads on cse in reading", "what about Bury St Edmunds", "in Newcastle upon Tyne who chairs the board", "who leads",
])
def test_places_are_found_as_by_looking_at_every_position(text):
    t = tokens(text)
    assert [(m.place.name, m.start, m.end) for m in gazetteer().find(t, text)] == _places_plainly(t, text)


def _concepts_plainly(t: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """The situation triggers as first searched: every length, longest first, at every position."""
    table, _ = concepts._triggers()
    st = tuple(stem(w) for w in t)
    longest = max(len(k) for k in table)
    used, found = [False] * len(st), []
    for n in range(min(longest, len(st)), 0, -1):
        for i in range(len(st) - n + 1):
            span = st[i:i + n]
            if any(used[i:i + n]) or span not in table:
                continue
            if span in concepts._AS_WRITTEN and t[i:i + n] != concepts._AS_WRITTEN[span]:
                continue
            found.append((table[span][1], i, table[span][0], i + n))
            used[i:i + n] = [True] * n
    first: dict[str, tuple[str, int, int]] = {}  # one of each phrase, the most specific
    for _rank, i, phrase, end in sorted(found):
        first.setdefault(phrase, (phrase, i, end))
    return list(first.values())


@pytest.mark.parametrize("text", SENTENCES + [
    "which board looks after county lines", "a looked after child is being sexually exploited and groomed",
    "her partner keeps hitting her and forced marriage", "a 14 year old is selling drugs for a gang",
])
def test_situations_are_found_as_by_trying_every_length(text):
    t = tokens(text)
    assert [(c.phrase, c.start, c.end) for c in concepts_in(t) if c.rank < 3] == _concepts_plainly(t)


def test_stems_are_remembered_within_a_bound():
    words = tuple(f"wordings{i}" for i in range(10))
    assert stems(words) == tuple(stem(w) for w in words)
    assert len(concepts._STEMS) <= concepts._STEMS_MAX


@pytest.mark.parametrize("phrase", ["domestic abuse", "knife crime", "children in care", "abuse of older people", "wobbly", ""])
def test_related_themes_are_those_sharing_a_word_in_the_protocol_s_order(knowledge, phrase):
    from types import SimpleNamespace

    from bot.commands.answers.leads import _related_themes

    words = set(tokens(phrase)) - {"and", "of", "the", "on", "for"}
    for area in knowledge.areas.values():
        plain = list(dict.fromkeys(n for n, own in area.theme_words if words and not words.isdisjoint(own)))[:3]
        u = SimpleNamespace(theme=None, suggestions=(), theme_phrase=phrase)
        assert _related_themes(area, u) == plain


def test_the_no_lead_guidance_is_each_index_s_own(protocols):
    from bot.commands.answers.leads import _no_lead

    first, again = Knowledge(protocols), Knowledge(protocols)
    a, b = first.areas["suffolk"], again.areas["suffolk"]
    assert _no_lead(a) is _no_lead(a)
    assert _no_lead(a) is not _no_lead(b) and _no_lead(a) == _no_lead(b)

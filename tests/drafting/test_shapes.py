"""Lead, chair and party shapes real protocols use, each drafted from a few lines of Markdown."""

from __future__ import annotations

from drafting.assemble import draft
from drafting.readers import read
from drafting.writer import render
from storage.protocol.loader import parse_protocol

HEAD = ("# Protocol between the Southwick Safeguarding Children Partnership (SSCP), the Southwick Safeguarding "
        "Adults Board (SSAB) and the Southwick Community Safety Partnership (SCSP)\n\n")


def drafted(tmp_path, body: str):
    p = tmp_path / "southwick.md"
    p.write_text(HEAD + body, encoding="utf-8")
    return parse_protocol(render(draft([read(p)]), [p.name])[0], p.name).protocol


def leads(p) -> dict[str, list[str]]:
    return {t.name: (sorted(t.leads) or ["none"]) for t in p.themes}


def test_lead_sentences_of_several_shapes(tmp_path):
    p = drafted(tmp_path, "## Leads\n\n"
                "Responsibility for violence against women and girls sits with the SCSP. "
                "The SSCP and the SSAB will share leadership of transitional safeguarding. "
                "The lead for hoarding transferred from the SCSP to the SSAB in 2022. "
                "There is no single lead for cuckooing. "
                "Knife crime is led by the SCSP.\n\n"
                "## Priorities\n\n- **Scams** — the SSAB takes the lead.\n- **Neglect** — SSCP\n")
    got = leads(p)
    assert got["Violence against women and girls"] == ["scsp"]
    assert got["Transitional safeguarding"] == ["ssab", "sscp"]
    assert got["Hoarding"] == ["ssab"]  # the current lead, after the transfer
    assert got["Cuckooing"] == ["none"]
    assert got["Knife crime"] == ["scsp"]
    assert got["Scams"] == ["ssab"] and got["Neglect"] == ["sscp"]


def test_a_future_change_of_lead_keeps_the_current_lead(tmp_path):
    p = drafted(tmp_path, "## Themes\n\n| Theme | Lead |\n|---|---|\n| Domestic abuse | SSAB (from April 2099: SCSP) |\n")
    assert leads(p)["Domestic abuse"] == ["ssab"]
    assert any("2099" in n.text for n in p.themes[0].notes)


def test_co_chairs_and_a_named_independent_chair(tmp_path):
    p = drafted(tmp_path, "## Chairs\n\nSCSP Co-Chairs: Superintendent Kate Lowe and Councillor Ben Adams. "
                "The SSAB is chaired by an Independent Chair, Ms Grace Okafor.\n")
    boards = {b.short_name: b for b in p.boards}
    assert boards["SSAB"].chair.name == "Ms Grace Okafor" and boards["SSAB"].chair.title == "Independent Chair"
    assert boards["SCSP"].chair.name == "Superintendent Kate Lowe"
    assert [c.name for c in boards["SCSP"].chairs] == ["Superintendent Kate Lowe", "Councillor Ben Adams"]


def test_a_body_the_protocol_says_is_not_a_party_is_never_a_board(tmp_path):
    p = drafted(tmp_path, "## Parties\n\nThis protocol is agreed by the SSCP, the SSAB and the SCSP. The Southwick Health and "
                "Wellbeing Board is kept informed but is not a party to this protocol.\n\n"
                "## Signatures\n\n| Board | Name | Role |\n|---|---|---|\n"
                "| Southwick Health and Wellbeing Board | Dr Ann Lee | Chair |\n")
    assert sorted(b.short_name for b in p.boards) == ["SCSP", "SSAB", "SSCP"]

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
    assert [c.name for c in boards["SCSP"].chairs] == ["Superintendent Kate Lowe", "Councillor Ben Adams"]


def test_a_body_the_protocol_says_is_not_a_party_is_never_a_board(tmp_path):
    p = drafted(tmp_path, "## Parties\n\nThis protocol is agreed by the SSCP, the SSAB and the SCSP. The Southwick Health and "
                "Wellbeing Board is kept informed but is not a party to this protocol.\n\n"
                "## Signatures\n\n| Board | Name | Role |\n|---|---|---|\n"
                "| Southwick Health and Wellbeing Board | Dr Ann Lee | Chair |\n")
    assert sorted(b.short_name for b in p.boards) == ["SCSP", "SSAB", "SSCP"]


def test_a_lead_matrix_and_lead_label_lines(tmp_path):
    p = drafted(tmp_path, "## Lead and support\n\n| Theme | SSCP | SSAB | SCSP |\n|---|---|---|---|\n"
                "| Online safety | L | | S |\n| Elder abuse | | Lead | Support |\n| Hidden harm | L | | L |\n\n"
                "## Shared work\n\n- Street drinking. Lead: SCSP. Support: SSAB.\n"
                "- Dementia-friendly communities. Lead: SSAB and SCSP jointly.\n"
                "- Fire safety: no one board leads; each considers it in its own plan.\n\n"
                "Falls prevention is led by the SSAB, with the SCSP contributing. "
                "The SCSP oversees work on tobacco control.\n")
    got = leads(p)
    assert got["Online safety"] == ["sscp"] and got["Elder abuse"] == ["ssab"]
    assert got["Hidden harm"] == ["scsp", "sscp"]  # two marked leads: a joint lead
    assert got["Street drinking"] == ["scsp"]
    assert got["Dementia-friendly communities"] == ["scsp", "ssab"]
    assert got["Fire safety"] == ["none"]
    assert got["Falls prevention"] == ["ssab"]  # a contributing board does not lead
    assert got["Tobacco control"] == ["scsp"]


def test_chair_lines_under_board_headings_and_membership_lists(tmp_path):
    p = drafted(tmp_path, "## The boards\n\n### Southwick Safeguarding Adults Board (SSAB)\n\n**Chair:** Independent Chair, Mr Colin Okafor\n\n"
                "### Southwick Community Safety Partnership (SCSP)\n\n**Co-Chairs:** Superintendent Ruth Kemp and Councillor Sara Ali\n\n"
                "## Membership\n\n- the Independent Scrutineer of the SSCP (currently Ms Hana Ito);\n")
    boards = {b.short_name: b for b in p.boards}
    assert (boards["SSAB"].chair.name, boards["SSAB"].chair.title) == ("Mr Colin Okafor", "Independent Chair")
    assert [c.name for c in boards["SCSP"].chairs] == ["Superintendent Ruth Kemp", "Councillor Sara Ali"]
    assert all(c.title == "Co-Chair" for c in boards["SCSP"].chairs)
    assert (boards["SSCP"].chair.name, boards["SSCP"].chair.title) == ("Ms Hana Ito", "Independent Scrutineer")


def test_an_escalation_table_is_the_ladder_with_its_windows(tmp_path):
    p = drafted(tmp_path, "## When things need to be escalated\n\n| Stage | Action | Timescale |\n|---|---|---|\n"
                "| One | Business managers try to resolve the issue informally | 10 working days |\n"
                "| Two | The raising chair writes to the other chair | Reply within 15 working days |\n"
                "| Three | The issue is tabled on the other board's agenda | Next meeting |\n"
                "| Four | Referral to the Chief Executive for a resolution meeting | Within a month |\n")
    assert [r.kind for r in p.challenge.ladder] == ["written_request", "written_request", "agenda_item", "resolution_meeting"]
    assert "15 working days" in p.challenge.ladder[1].text


def test_boards_of_two_councils_keep_their_place_in_the_short_name(tmp_path):
    path = tmp_path / "two.md"
    path.write_text("# Partnership protocol\n\nThis protocol is agreed by the Linmouth Health and Wellbeing Board (Linmouth HWB), "
                    "the Carrow Health and Wellbeing Board (Carrow HWB) and the Linmouth and Carrow Safeguarding Adults Board (LCSAB).\n\n"
                    "## Leads\n\n| Priority area | Lead partnership |\n|---|---|\n| Coastal deprivation | Carrow HWB |\n"
                    "| Immunisation | Linmouth HWB and Carrow HWB |\n", encoding="utf-8")
    p = parse_protocol(render(draft([read(path)]), [path.name])[0], path.name).protocol
    shorts = {b.short_name: b.key for b in p.boards}
    assert set(shorts) == {"Linmouth HWB", "Carrow HWB", "LCSAB"}
    got = leads(p)
    assert got["Coastal deprivation"] == [shorts["Carrow HWB"]]
    assert got["Immunisation"] == sorted([shorts["Carrow HWB"], shorts["Linmouth HWB"]])


def test_parties_named_only_by_an_opening_section_and_lettered_clauses(tmp_path):
    path = tmp_path / "tor.md"
    path.write_text("# Partnership Executive: terms of reference\n\n## 1. Purpose\n\n1.1 The Executive is where the Kelby Safeguarding "
                    "Children Partnership (KSCP), the Kelby Safeguarding Adults Board (KSAB) and the Kelby Children's Partnership (KCP) "
                    "coordinate their work.\n\n1.2 The Kelby Safeguarding Children Board receives the minutes but is not a member.\n\n"
                    "## 2. Chairing\n\n(c) The KSAB is chaired by an Independent Chair, Mrs Ellen Marsh.\n", encoding="utf-8")
    p = parse_protocol(render(draft([read(path)]), [path.name])[0], path.name).protocol
    party = sorted(b.short_name for b in p.boards if b.party)
    assert party == ["KCP", "KSAB", "KSCP"]  # the children's partnership is not the excluded children's board
    ksab = next(b for b in p.boards if b.short_name == "KSAB")
    assert ksab.chair.name == "Mrs Ellen Marsh" and "(c)" in ksab.chair.source.clause


def test_leads_on_lists_chaired_by_lines_and_ordinal_steps_under_board_headings(tmp_path):
    p = drafted(tmp_path, "## Roles\n\n### Southwick Safeguarding Adults Board\n\nThe Board is chaired by Mrs Priti Anand, its Independent Chair.\n\n"
                "Leads on:\n\n- self-neglect and hoarding\n\n### Southwick Community Safety Partnership\n\n"
                "Chaired by the Leader of the Council, Councillor Dina Shah.\n\nLeads on:\n\n- hate crime\n\n"
                "## Escalation\n\nFirst, the chair raising the concern writes to the other chair. Second, if that does not resolve "
                "the matter, the chairs meet. Finally, unresolved matters are referred to the Chief Executive for a resolution meeting.\n\n"
                "## Reporting\n\nEach partnership's annual report is presented to the SSCP in the autumn.\n\n"
                "## Review\n\nThis protocol will be reviewed every two years from the date of signature.\n")
    boards = {b.short_name: b for b in p.boards}
    assert (boards["SSAB"].chair.name, boards["SSAB"].chair.title) == ("Mrs Priti Anand", "Independent Chair")
    assert boards["SCSP"].chair.name == "Councillor Dina Shah"
    got = leads(p)
    assert got["Self-neglect and hoarding"] == ["ssab"] and got["Hate crime"] == ["scsp"]
    assert [r.kind for r in p.challenge.ladder] == ["written_request", "chairs_meeting", "resolution_meeting"]
    assert sorted(r.from_board for r in p.reports if "sscp" in r.to_boards) == ["scsp", "ssab"]
    review = p.protocol.review  # every two years from the signing, not 'annual from signing'
    assert (review.rule, review.every_years) == ("every_years_from_signing", 2) and "two years" in review.text


def test_defined_terms_definition_lists_and_reports_to(tmp_path):
    path = tmp_path / "mh.html"
    path.write_text("<h1>Children's partnerships agreement</h1><p>This agreement is made between the Kelby Corporate Parenting Panel "
                    "(the Panel) and the Kelby Safeguarding Children Partnership (KSCP).</p><h2>Who chairs what</h2><dl>"
                    "<dt>Panel</dt><dd>Chair: Cllr Naomi Grant (Lead Member for Children)</dd></dl><h2>Shared</h2><table>"
                    "<tr><th>Issue</th><th>Lead partnership</th></tr><tr><td>Placement sufficiency</td><td>the Panel (with the KSCP)</td></tr>"
                    "</table><h2>Working together</h2><p>The KSCP reports annually to the Panel on children in care. "
                    "A joint meeting of the two partnerships takes place annually.</p>", encoding="utf-8")
    p = parse_protocol(render(draft([read(path)]), [path.name])[0], path.name).protocol
    panel = next(b for b in p.boards if b.kind == "corporate_parenting")
    assert panel.short_name == "Panel"
    assert (panel.chair.name, panel.chair.title) == ("Cllr Naomi Grant", "Lead Member for Children")
    assert leads(p)["Placement sufficiency"] == [panel.key]
    assert [(r.from_board, r.to_boards) for r in p.reports] == [("kscp", [panel.key])]
    assert [m.cadence for m in p.meetings] == ["annual"]


def test_a_who_is_covered_table_names_the_parties(tmp_path):
    path = tmp_path / "t.md"
    path.write_text("# Safeguarding and wellbeing protocol\n\n## Who is covered\n\n| Partnership | Abbreviation | Chair |\n|---|---|---|\n"
                    "| Tanby Safeguarding Adults Board | TSAB | Ms Ruth Ogden (Independent) |\n"
                    "| Tanby Community Safety Partnership | TCSP | Chief Inspector Asha Kaur |\n\n"
                    "The Tanby Housing Forum is consulted where relevant; it is not a party.\n", encoding="utf-8")
    p = parse_protocol(render(draft([read(path)]), [path.name])[0], path.name).protocol
    assert sorted(b.short_name for b in p.boards if b.party) == ["TCSP", "TSAB"]
    assert {b.short_name: b.chair.name for b in p.boards if b.chair} == {"TSAB": "Ms Ruth Ogden", "TCSP": "Chief Inspector Asha Kaur"}


def test_lettered_party_lists_inline_stages_and_a_place_alone_names_no_board(tmp_path):
    path = tmp_path / "bw.md"
    path.write_text("# KELBY PARTNERSHIP AGREEMENT\n\n## 1. Introduction\n\n1.1 This protocol applies to:\n\n"
                    "a) the Kelby Safeguarding Adults Board (KSAB);\n\nb) the Kelby Health & Wellbeing Board (HWB); and\n\n"
                    "c) the Kelby Community Safety Partnership (KCSP).\n\n1.2 Together the boards aim to reduce crime and improve wellbeing.\n\n## 2. Governance\n\n"
                    "2.1 KSAB — Chair: Mrs Hilary Dunne (Independent); Vice Chair: Director of Adult Social Care.\n\n"
                    "## 3. Escalation\n\n3.1 Stage 1 – informal discussion between business managers → Stage 2 – letter from chair "
                    "to chair → Stage 3 – meeting of the chairs → Stage 4 – referral to the Chief Executive for a resolution meeting.\n",
                    encoding="utf-8")
    p = parse_protocol(render(draft([read(path)]), [path.name])[0], path.name).protocol
    assert sorted(b.short_name for b in p.boards) == ["HWB", "KCSP", "KSAB"]
    ksab = next(b for b in p.boards if b.short_name == "KSAB")
    assert (ksab.chair.name, ksab.chair.title) == ("Mrs Hilary Dunne", "Independent Chair")
    assert [r.kind for r in p.challenge.ladder] == ["written_request", "written_request", "chairs_meeting", "resolution_meeting"]
    assert not p.themes  # the title "Kelby Partnership Agreement" is no board's section


def test_themes_as_headings_chairs_in_brackets_and_reports_between_two_boards(tmp_path):
    path = tmp_path / "rv.md"
    path.write_text("# Think Family Protocol\n\nBetween the Redby Safeguarding Adults Board (SAB) and the Redby Safeguarding Children "
                    "Partnership (SCP)\n\n## Purpose\n\nBoth boards have independent chairs: Ms Alison Tate (SAB) and Mr Gareth Lowe (SCP).\n\n"
                    "## Shared themes\n\n### Parental mental health\n\nLead: SAB.\n\n### Domestic abuse\n\nNo lead board has been agreed.\n\n"
                    "## Working together\n\nBoth boards will share their annual reports with each other each autumn.\n\n"
                    "- Strategic plan: SCP to SAB (March)\n", encoding="utf-8")
    p = parse_protocol(render(draft([read(path)]), [path.name])[0], path.name).protocol
    assert {b.short_name: (b.chair.name, b.chair.title) for b in p.boards} == {
        "SAB": ("Ms Alison Tate", "Independent Chair"), "SCP": ("Mr Gareth Lowe", "Independent Chair")}
    assert leads(p) == {"Parental mental health": ["sab"], "Domestic abuse": ["none"]}
    got = sorted((r.from_board, tuple(r.to_boards), r.season) for r in p.reports)
    assert got == [("sab", ("scp",), "autumn"), ("scp", ("sab",), "autumn"), ("scp", ("sab",), "spring")]


def test_board_names_written_in_lower_case_and_co_chairs_with_their_organisations(tmp_path):
    p = drafted(tmp_path, "## Chairing\n\nSSCP Co-Chairs: Ms Tara Quinn (Council) and Chief Superintendent Alan Burt (Police). "
                "The southwick community safety partnership's chair is Councillor Imran Qadir.\n\n"
                "## Leads\n\nThe southwick safeguarding adults board takes the lead on hoarding.\n")
    boards = {b.short_name: b for b in p.boards}
    assert [c.name for c in boards["SSCP"].chairs][:2] == ["Ms Tara Quinn", "Chief Superintendent Alan Burt"]
    assert boards["SCSP"].chair.name == "Councillor Imran Qadir"
    assert leads(p)["Hoarding"] == ["ssab"]


def test_a_table_of_what_each_board_leads_on(tmp_path):
    p = drafted(tmp_path, "## Roles and responsibilities\n\n| Partnership | Leads on | Contributes to |\n|---|---|---|\n"
                "| SSAB | Self-neglect; financial abuse | Domestic abuse |\n| SSCP | Child exploitation; neglect | Serious violence |\n"
                "| SCSP | Domestic abuse, serious violence | Child exploitation |\n")
    assert leads(p) == {"Self-neglect": ["ssab"], "Financial abuse": ["ssab"], "Child exploitation": ["sscp"],
                        "Neglect": ["sscp"], "Domestic abuse": ["scsp"], "Serious violence": ["scsp"]}


def test_a_chair_whose_title_says_and_is_one_person(tmp_path):
    p = drafted(tmp_path, "## Chairing\n\n| Partnership | Chair |\n|---|---|\n"
                "| SSCP | Independent Scrutineer and Chair: Mrs Ruth Adeyemi |\n"
                "| SSAB | Councillor Joe Harker, Lead Member for Children and Families |\n"
                "| SCSP | Superintendent Kate Lowe and Councillor Ben Adams |\n")
    boards = {b.short_name: b for b in p.boards}
    assert [(c.title, c.name) for c in boards["SSCP"].chairs] == [("Independent Scrutineer and Chair", "Mrs Ruth Adeyemi")]
    assert [(c.title, c.name) for c in boards["SSAB"].chairs] == [("Lead Member for Children and Families", "Councillor Joe Harker")]
    assert [c.name for c in boards["SCSP"].chairs] == ["Superintendent Kate Lowe", "Councillor Ben Adams"]


def test_chairs_listed_under_the_board_s_name(tmp_path):
    p = drafted(tmp_path, "## Chairs\n\n- SSCP: Independent Chair, Dr Priya Nand\n- SSAB: Independent Chair, Mr Alan Rees\n"
                "- SCSP: Chief Superintendent Sarah Cole\n")
    boards = {b.short_name: b for b in p.boards}
    assert (boards["SSCP"].chair.title, boards["SSCP"].chair.name) == ("Independent Chair", "Dr Priya Nand")
    assert boards["SSAB"].chair.name == "Mr Alan Rees"
    assert boards["SCSP"].chair.name == "Chief Superintendent Sarah Cole"


def test_two_themes_in_one_lead_sentence_and_a_lead_shared_by_all_the_boards(tmp_path):
    p = drafted(tmp_path, "## Who leads\n\nThe SSAB will take the lead on self-neglect and on financial abuse of adults. "
                "The three boards jointly lead on the health of people who are homeless.\n")
    got = leads(p)
    assert got["Self-neglect"] == ["ssab"] and got["Financial abuse of adults"] == ["ssab"]
    assert got["Health of people who are homeless"] == ["scsp", "ssab", "sscp"]
    # self-neglect is not neglect: it is not given the key other areas' neglect is answered by
    assert next(t.key for t in p.themes if t.name == "Self-neglect") != "neglect"


def test_a_count_of_boards_that_is_not_every_party_names_no_lead(tmp_path):
    p = drafted(tmp_path, "## Who leads\n\nThe two boards jointly lead on the health of people who are homeless.\n")
    assert "Health of people who are homeless" not in leads(p)

"""Who sits on a board, which boards a post sits on, and what two boards share, answered narrowly."""

from __future__ import annotations

from bot.commands.answers.asked import (
    board_for,
    own_boards,
    which_board,
)
from bot.commands.replies import (
    CAPACITY,
    join_names,
    narrow,
    search_reply,
    silent,
    yes_no,
)
from bot.context import Context
from bot.language.normalise import tokens
from bot.messages import Reply


def membership_answer(ctx: Context, u) -> Reply:
    area = ctx.here
    boards = [e.key for e in u.all("board")]
    roles = [e.key for e in u.all("role") if e.key in area.roles]
    orgs = u.all("org")
    if not boards and not roles and not orgs and u.ours:
        mine = sorted(own_boards(ctx))
        if len(mine) == 1:
            boards = mine  # "who sits on our board?"
    if roles and area.vocabulary.role_office.get(roles[0]) and len(boards) == 1 and u.first("role").start < u.first("board").start:
        pass  # "is the LSCB chair on the Children's Trust?": the post, then the board
    if roles and boards:
        r = area.roles[roles[0]]
        target = [b for b in boards if not any(s.board == b and s.capacity == "chairs" for s in r.seats)] or boards
        bkey = target[-1]
        b = area.boards[bkey]
        seat = next((s for s in r.seats if s.board == bkey), None)
        if seat is None:
            on = join_names(area.boards[s.board].short_name for s in r.seats)
            rest = f"the protocol doesn't give the {r.title} a seat on the {b.short_name}" + (f"; it sits on the {on}." if on else ".")
            return narrow(area, "membership", [yes_no(False if u.yesno else None, rest)], [area.cite(s.source) for s in r.seats],
                          more=f"board {b.short_name}", focus=bkey, data={"role": r.title, "board": area.board_ref(bkey)})
        capacity = CAPACITY[seat.capacity]
        full = u.has("full member", "voting member", "voting", "full")
        if full:
            yes = seat.capacity in ("member", "chairs")
        else:
            yes = True
        how = {"member": "is a member of", "chairs": "chairs", "attends": "attends", "participant_observer": "is a participant observer of",
               "invited": "is invited to"}[seat.capacity]
        rest = f"the {r.title} {how} the {b.name} ({b.short_name})."
        if full and not yes:
            rest = f"the {r.title} is a {capacity} of the {b.short_name}, not a full member."
        return narrow(area, "membership", [yes_no(yes if u.yesno or full else None, rest)], [area.cite(seat.source)],
                      more=f"board {b.short_name}", focus=bkey, data={"role": r.title, "board": area.board_ref(bkey), "capacity": seat.capacity})
    if orgs and boards:
        b = area.boards[boards[0]]
        members = b.membership.members if b.membership else []
        wanted = set(tokens(orgs[0].text))
        hit = next((m for m in members if wanted <= set(tokens(m))), None)
        if hit:
            rest = f"{hit} is on the {b.name} ({b.short_name})."
            return narrow(area, "membership", [yes_no(True if u.yesno else None, rest)], [area.cite(b.membership.source)],
                          more=f"who sits on the {b.short_name}", focus=b.key)
    if orgs and not boards:
        wanted = set(tokens(orgs[0].text))
        on = [(b, m) for b in area.protocol.boards if b.membership for m in b.membership.members if wanted <= set(tokens(m))]
        if on:
            lines = [f"{orgs[0].text.title()} is represented on: " + join_names(b.short_name for b, _ in on) + "."]
            return narrow(area, "membership", lines, [area.cite(b.membership.source) for b, _ in on])
    if roles and not boards:
        r = area.roles[roles[0]]
        if r.seats:
            parts = [f"the {area.boards[s.board].short_name} ({CAPACITY[s.capacity]})" for s in r.seats]
            lines = [f"The {r.title} sits on " + join_names(parts) + "."]
        else:
            lines = [f"{area.name}'s protocol gives the {r.title} no seat on the boards."]
            if r.responsibilities:
                lines.append(r.responsibilities[0].text)
        return narrow(area, "membership", lines, [area.cite(s.source) for s in r.seats] or [area.cite(x.source) for x in r.responsibilities[:1]],
                      more=f"which boards does the {r.title} sit on", data={"role": r.title,
                      "boards": [{**area.board_ref(s.board), "capacity": s.capacity} for s in r.seats]})
    if len(boards) >= 2 or (u.facet == "both" and len(boards) <= 1):
        pair = boards[:2]
        if len(pair) < 2:
            party = [b.key for b in area.protocol.boards if b.party]
            pair = party if len(party) == 2 else pair
        if len(pair) == 2:
            return _both_answer(ctx, pair[0], pair[1])
    if u.facet in ("organisations", "reference") or not boards:
        found = search_reply(area, u, kind="membership", sections=frozenset({"boards", "roles"}))
        if found and (not boards or u.facet in ("organisations", "reference")):
            if not (boards and u.facet == "organisations" and area.boards[boards[0]].membership):
                return found
    key = board_for(ctx, u)
    if key is None:
        found = search_reply(area, u, kind="membership")
        if found:
            return found
        return which_board(ctx, "membership", "who sits on the {board}?")
    b = area.boards[key]
    seated = [m for m in area.members.get(key, []) if m.capacity != "chairs"]
    cites = [area.cite(m.source) for m in seated]
    lines = []
    if seated:
        lines.append(f"Posts on the {b.name} ({b.short_name}): " + "; ".join(
            f"{m.role.title} ({CAPACITY[m.capacity]})" for m in seated) + ".")
    if b.membership:
        members = b.membership.members
        shown = members if len(members) <= 10 or u.facet == "organisations" else members[:10]
        lines.append("Organisations represented: " + "; ".join(shown) + ("; …" if len(shown) < len(members) else "") + ".")
        cites.append(area.cite(b.membership.source))
    if not lines:
        ref = next((f.text for f in b.accountability if "membership" in f.text.lower()), "")
        lines.append(silent(area, "membership", f"who sits on the {b.name} ({b.short_name})"))
        if ref:
            lines.append(ref)
        return narrow(area, "membership", lines, cites, more=f"board {b.short_name}", focus=key, silent_=True,
                      data={"board": area.board_ref(key), "posts": [], "organisations": []})
    return narrow(area, "membership", lines, cites, more=f"who sits on the {b.short_name} in full" if False else f"board {b.short_name}",
                  focus=key, data={"board": area.board_ref(key), "posts": [{"title": m.role.title, "capacity": m.capacity} for m in seated],
                                   "organisations": list(b.membership.members) if b.membership else []})


def _both_answer(ctx: Context, a_key: str, b_key: str) -> Reply:
    area = ctx.here
    a, b = area.boards[a_key], area.boards[b_key]
    on_a = {m.role.key: m for m in area.members.get(a_key, [])}
    common = [(m, on_a[m.role.key]) for m in area.members.get(b_key, []) if m.role.key in on_a]
    cites = [area.cite(x.source) for pair in common for x in pair]
    if common:
        lines = [f"Posts on both the {a.short_name} and the {b.short_name}: " + "; ".join(
            f"{mb.role.title} ({a.short_name}: {CAPACITY[ma.capacity]}; {b.short_name}: {CAPACITY[mb.capacity]})" for mb, ma in common) + "."]
    else:
        lines = [f"{area.name}'s protocol names no post that sits on both the {a.short_name} and the {b.short_name}."]
    return narrow(area, "membership", lines, cites, data={"boards": [area.board_ref(a_key), area.board_ref(b_key)],
                                                          "posts": [mb.role.title for mb, _ in common]})

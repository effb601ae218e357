"""Who sits on a board, which boards a post sits on, and what two boards share, answered narrowly."""

from __future__ import annotations

import re

from bot.commands.answers.asked import (
    board_for,
    own_boards,
    own_posts,
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
from bot.language.kinds import body_on_board
from bot.language.normalise import tokens
from bot.messages import Reply


def membership_answer(ctx: Context, u) -> Reply:
    """Who sits where: the first kind of membership question that fits, else the board's members."""
    area = ctx.here
    boards = [e.key for e in u.all("board")]
    roles = [e.key for e in u.all("role") if e.key in area.roles]
    orgs = u.all("org")
    if not roles and not orgs:
        roles = own_posts(ctx, u)  # "am I meant to have a seat on the LSCB?", asked by a post holder
    if not boards and not roles and not orgs and u.ours:
        mine = sorted(own_boards(ctx))
        if len(mine) == 1:
            boards = mine  # "who sits on our board?"
    post = next((e for e in u.all("role") if e.get("elsewhere") == "1"), None)
    if post is not None and not roles and not orgs:
        return _post_not_named(ctx, u, post, boards)
    for part in (_post_on_board, _body_on_board, _organisation_on_board, _organisation_anywhere, _post_seats, _on_both,
                 _what_the_protocol_says):
        reply = part(ctx, u, boards, roles, orgs)
        if reply is not None:
            return reply
    return _board_members(ctx, u, boards, roles, orgs)


def _post_not_named(ctx: Context, u, post, boards: list[str]) -> Reply:
    """"Is the PCC on any of the boards?" where the protocol names no such post: it gives it no
    seat, said plainly (yes or no first where asked), with the boards it does have."""
    area = ctx.here
    title = post.get("title") or post.text
    if boards:
        where = join_names(f"the {area.boards[b].short_name}" for b in boards if b in area.boards)
        line = f"{area.name}'s protocol names no seat for the {title} on {where}: the post is not among those it names."
    else:
        listed = join_names(b.short_name for b in area.protocol.boards)
        line = (f"{area.name}'s protocol names no seat for the {title} on any of its boards ({listed}): "
                "the post is not among those it names.")
    return narrow(area, "membership", [yes_no(False if u.yesno else None, line)], [], silent_=True,
                  more=f"board {area.boards[boards[0]].short_name}" if boards and boards[0] in area.boards else "boards",
                  data={"role": title, "boards": []})


def _post_on_board(ctx: Context, u, boards: list[str], roles: list[str], orgs: list) -> Reply | None:
    """"Is the DPH on the LSCB?": a post and a board, its seat there (yes or no first where asked)."""
    area = ctx.here
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
    return None


def _organisation_on_board(ctx: Context, u, boards: list[str], roles: list[str], orgs: list) -> Reply | None:
    """"Is the police on the CSP?": an organisation among a board's members."""
    area = ctx.here
    if orgs and boards:
        b = area.boards[boards[0]]
        members = b.membership.members if b.membership else []
        wanted = set(tokens(orgs[0].text))
        hit = next((m for m in members if wanted <= set(tokens(m))), None)
        if hit:
            rest = f"{hit} is on the {b.name} ({b.short_name})."
            return narrow(area, "membership", [yes_no(True if u.yesno else None, rest)], [area.cite(b.membership.source)],
                          more=f"who sits on the {b.short_name}", focus=b.key)
    return None


def _organisation_anywhere(ctx: Context, u, boards: list[str], roles: list[str], orgs: list) -> Reply | None:
    """"Where is the ICB represented?": the boards an organisation sits on."""
    area = ctx.here
    if orgs and not boards:
        wanted = set(tokens(orgs[0].text))
        on = [(b, m) for b in area.protocol.boards if b.membership for m in b.membership.members if wanted <= set(tokens(m))]
        if on:
            lines = [f"{orgs[0].text.title()} is represented on: " + join_names(b.short_name for b, _ in on) + "."]
            return narrow(area, "membership", lines, [area.cite(b.membership.source) for b, _ in on])
    return None


def _post_seats(ctx: Context, u, boards: list[str], roles: list[str], orgs: list) -> Reply | None:
    """"Which boards does the DCS sit on?": a post's seats."""
    area = ctx.here
    if roles and not boards:
        r = area.roles[roles[0]]
        asked = bool(r.seats) if u.yesno else None  # "does the chief exec sit on any of the boards?"
        if r.seats:
            parts = [f"the {area.boards[s.board].short_name} ({CAPACITY[s.capacity]})" for s in r.seats]
            lines = [yes_no(asked, f"The {r.title} sits on " + join_names(parts) + ".")]
        else:
            lines = [yes_no(asked, f"{area.name}'s protocol gives the {r.title} no seat on the boards.")]
            if r.responsibilities:
                lines.append(r.responsibilities[0].text)
        return narrow(area, "membership", lines, [area.cite(s.source) for s in r.seats] or [area.cite(x.source) for x in r.responsibilities[:1]],
                      more=f"which boards does the {r.title} sit on", data={"role": r.title,
                      "boards": [{**area.board_ref(s.board), "capacity": s.capacity} for s in r.seats]})
    return None


def _body_on_board(ctx: Context, u, boards: list[str], roles: list[str], orgs: list) -> Reply | None:
    """"Does the PCC sit on the HWB?", "is the SAB represented on the CSP?", "is the PCC on any
    of the boards?": one body the protocol describes, asked of as a member of another board (or of
    any). Answered from the boards' membership lists, and only from them: a body described as a
    partner is not thereby seated anywhere."""
    area = ctx.here
    named = u.all("board")  # ``boards`` may be the asker's own ("our board"), named nowhere in the words
    if roles or not named or u.facet == "both" or named[0].key not in area.boards:
        return None
    spans = {i for e in named for i in range(e.start, e.end)}
    if any(not spans.issuperset(range(o.start, o.end)) for o in orgs):  # an organisation of its own is asked about
        return None
    asked = body_on_board(u.tokens, named)
    if asked is None:
        return None
    other = asked[1]
    if other is None:  # "…on any of the boards?", "which boards is it on?"
        targets = [b.key for b in area.protocol.boards if b.key != named[0].key]
    elif other.key in area.boards:
        targets = [other.key]
    else:
        return None
    body = area.boards[named[0].key]
    listed = [area.boards[k] for k in targets if area.boards[k].membership]
    on = [(b, m) for b in listed for m in b.membership.members if _names_body(m, body)]
    cites = [area.cite(b.membership.source) for b, _ in on]
    data = {"board": area.board_ref(body.key), "on": [area.board_ref(b.key) for b, _ in on]}
    if on:
        lines = [yes_no(True if u.yesno else None, f"The {body.short_name} is listed among the members of " + join_names(
            f"the {b.short_name} (“{m}”)" for b, m in on) + ".")]
        return narrow(area, "membership", lines, cites, focus=on[0][0].key, more=f"who sits on the {on[0][0].short_name}",
                      data=data)
    if len(targets) == 1:
        b = area.boards[targets[0]]
        if b.membership:
            line = yes_no(False if u.yesno else None,
                          f"The protocol's list of the {b.short_name}'s members doesn't include the {body.short_name}.")
            return narrow(area, "membership", [line], [area.cite(b.membership.source)], focus=b.key,
                          more=f"who sits on the {b.short_name}", data=data)
        what = f"whether the {body.short_name} sits on the {b.short_name}: it names no organisations as its members"
        return narrow(area, "membership", [silent(area, "boards", what)], [], silent_=True,
                      more=f"board {body.short_name}", data=data)
    if listed:
        line = (f"{area.name}'s protocol lists the members of the " + join_names(b.short_name for b in listed)
                + f", and the {body.short_name} is not among them; it names no organisations as members of its other"
                f" boards, so it doesn't say whether the {body.short_name} sits on those.")
        cites = [area.cite(b.membership.source) for b in listed]
    else:
        line = (f"{area.name}'s protocol lists no board's members, so it doesn't say whether the {body.short_name}"
                " sits on any of them.")
        cites = []
    described = body.purpose or (body.functions[0] if body.functions else None)
    lines = [line] + ([f"What it says of the {body.short_name}: {described.text}"] if described is not None else [])
    if described is not None:
        cites.append(area.cite(described.source))
    return narrow(area, "membership", lines, cites, silent_=not cites, more=f"board {body.short_name}", data=data)


def _names_body(member: str, body) -> bool:
    """Whether a membership list's entry names ``body`` (by its full name, an alias, or its abbreviation)."""
    words = set(tokens(member))
    for name in (body.name, *body.aliases):
        t = set(tokens(name))
        if len(t) >= 2 and t <= words:
            return True
    return body.short_name.isupper() and re.search(rf"\b{re.escape(body.short_name)}\b", member) is not None


def _on_both(ctx: Context, u, boards: list[str], roles: list[str], orgs: list) -> Reply | None:
    """"Who sits on both the HWB and the LSCB?": the posts two boards share."""
    area = ctx.here
    if len(boards) >= 2 or (u.facet == "both" and len(boards) <= 1):
        pair = boards[:2]
        if len(pair) < 2:
            party = [b.key for b in area.protocol.boards if b.party]
            pair = party if len(party) == 2 else pair
        if len(pair) == 2:
            return _both_answer(ctx, pair[0], pair[1])
        if not boards and u.tokens[:1] in (("who",), ("whos",), ("which",)):  # "who sits on several boards?"
            return _several_answer(ctx)
    return None


def _several_answer(ctx: Context) -> Reply:
    """ "Who sits on more than one board?" where there are more than two: each post seated on two or more."""
    area = ctx.here
    seats: dict[str, list] = {}
    for key, seated in area.members.items():
        for m in seated:
            if m.capacity != "chairs":
                seats.setdefault(m.role.key, []).append((key, m))
    shared = [(v[0][1].role, v) for v in seats.values() if len({k for k, _ in v}) >= 2]
    if not shared:
        return narrow(area, "membership", [f"{area.name}'s protocol names no post that sits on more than one board."], [],
                      silent_=True)
    lines = ["Posts on more than one board: " + "; ".join(
        f"{role.title} ({', '.join(f'{area.boards[k].short_name}: {CAPACITY[m.capacity]}' for k, m in v)})"
        for role, v in shared) + "."]
    cites = [area.cite(m.source) for _, v in shared for _, m in v]
    return narrow(area, "membership", lines, cites, data={"posts": [role.title for role, _ in shared]})


def _what_the_protocol_says(ctx: Context, u, boards: list[str], roles: list[str], orgs: list) -> Reply | None:
    """Which organisations, or where membership is set out: what the protocol says that fits."""
    area = ctx.here
    if u.facet in ("organisations", "reference") or not boards:
        found = search_reply(area, u, kind="membership", sections=frozenset({"boards", "roles"}))
        if found and (not boards or u.facet in ("organisations", "reference")):
            if not (boards and u.facet == "organisations" and area.boards[boards[0]].membership):
                return found
    return None


def _board_members(ctx: Context, u, boards: list[str], roles: list[str], orgs: list) -> Reply:
    """Who sits on the board asked about (or the asker's own): its posts and organisations."""
    area = ctx.here
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
    return narrow(area, "membership", lines, cites, more=f"board {b.short_name}",
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

"""The protocol itself: version and review dates, the challenge route, meetings, reports, sharing."""

from __future__ import annotations

from bot.commands.registry import command
from bot.commands.replies import cited, human_date, sources_line
from bot.context import Context
from bot.messages import Citation, Reply, Section


@command("protocol")
async def protocol(ctx: Context) -> Reply:
    """The protocol's title, version, approval and review dates, with its history.

    Examples:
      protocol
      when is the protocol due for review?
      protocol in {other_area}
    """
    area = ctx.here
    p = area.protocol.protocol
    cites: list[Citation] = [area.cite(p.source), *([area.cite(p.review.source)] if p.review else [])]
    lines = [p.title]
    if p.version:
        lines.append(f"Version: {p.version}" + (f" ({human_date(p.version_date)})" if p.version_date else ""))
    if p.created:
        lines.append(f"First created: {human_date(p.created)}")
    if p.agreed:
        lines.append(f"Agreed: {human_date(p.agreed)}")
    if p.approved_by:
        lines.append("Approved by: " + ", ".join(p.approved_by))
    if p.signatories:
        lines.append("Signed by: " + "; ".join(f"{s.name} ({s.title})" for s in p.signatories))
    if p.review is None:
        lines.append(f"Review: {area.not_entered('review')}")
    else:
        from bot.workflows.protocol_review import review_now

        status = await review_now(ctx.services, area.slug)
        moved = status.since_recorded() if status is not None else ""  # a recorded review or signing has moved the date
        review = {
            "annual_from_signing": "yearly from the date of signing",
            "annual": "annually",
            "every_years": f"every {p.review.years} years",
            "every_years_from_signing": f"every {p.review.years} years from the date of signing",
            "on_date": (f"the protocol gave {human_date(p.review.next_due)} as its next review" if moved
                        else f"next review due {human_date(p.review.next_due)}"),
            "unspecified": "the protocol states no review date",
        }[p.review.rule]
        if p.review.next_due and p.review.rule != "on_date":
            review += (f"; it gave {human_date(p.review.next_due)} as its next review" if moved
                       else f"; next due {human_date(p.review.next_due)}")
        if p.review.also_when:
            review += "; sooner when " + " or ".join(p.review.also_when)
        lines.append(f"Review: {review}.")
        if moved:
            lines.append(f"  {moved}")
        lines.append(f"  \u201c{p.review.text}\u201d ({p.review.source.clause})")
    if p.history:
        lines.append("History:")
        for v in p.history:
            lines.append(f"• {v.version}" + (f", {human_date(v.date)}" if v.date else "") + f": {v.change}")
        cites.append(area.cite(p.history[0].source))
    store = ctx.services.store
    if store is not None:
        from storage.revisions import revisions

        async with store.session() as s:
            revs = await revisions(s, area.slug)
        if revs:
            cur = next((r for r in revs if r.is_current), revs[-1])
            lines.append(
                f"Loaded in boardbot: revision {cur.revision} of {len(revs)}, "
                f"{'bundled with boardbot' if cur.origin == 'bundled' else 'imported from ' + cur.source_name}, "
                f"{cur.imported_at:%d %b %Y}."
            )
    if not area.transcribed("history") and not p.history:
        lines.append(f"History: {area.not_entered('history')}")
    lines.extend(f"Note: {n.text}" for n in p.notes)
    cites.extend(area.cite(n.source) for n in p.notes)
    lines.extend(f"Read it: {d.title} — {d.url}" for d in area.protocol.documents if d.url)
    lines.append(f"Source: {(area.cite(p.review.source) if p.review else cites[0]).label()}.")
    text = "\n".join(lines)
    data = {
        "intent": "protocol",
        "area": area.slug,
        "title": p.title,
        "version": p.version,
        "version_date": p.version_date,
        "approved_by": p.approved_by,
        "review": ({"rule": p.review.rule, "next_due": p.review.next_due, "also_when": p.review.also_when}
                   if p.review else None),
        "not_transcribed": [s for s in ("review", "history", "signatories") if not area.transcribed(s)],
        "history": [v.model_dump(exclude={"source"}) for v in p.history],
        "documents": [{"key": d.key, "title": d.title, "url": d.url} for d in area.protocol.documents],
        "text": text,
    }
    return Reply(text=text, title=f"Protocol — {area.name}", citations=tuple(cites), data=cited(data, cites[1:] + cites[:1]))


@command("route")
async def route(ctx: Context) -> Reply:
    """How one board formally challenges another, rung by rung, as the area's protocol sets out.

    Examples:
      how do I challenge another board?
      escalation route
    """
    area = ctx.here
    ch = area.protocol.challenge
    cites: list[Citation] = []
    lines = [f"Mutual challenge in {area.name}:"]
    if ch.who_may_raise:
        lines.append(f"Who may raise it: {ch.who_may_raise.text}")
        cites.append(area.cite(ch.who_may_raise.source))
    if ch.on_behalf:
        from storage.protocol.schema import DELEGATE_WORDS

        lines.append("On a chair's behalf: " + ", ".join(DELEGATE_WORDS[k] for k in ch.on_behalf) + ".")
    if ch.statement:
        lines.append(ch.statement.text)
        cites.append(area.cite(ch.statement.source))
    if area.ladder_is_default:
        lines.append("The protocol names no steps, so boardbot uses its default ladder (not part of the protocol):")
    for i, rung in enumerate(area.ladder, 1):
        who = f" Attending: {', '.join(rung.attendees)}." if rung.attendees else ""
        note = f" (Note: {rung.note})" if rung.note else ""
        lines.append(f"{i}. {rung.title} — {rung.text}{note}{who}")
        if not area.ladder_is_default:
            cites.append(area.cite(rung.source))
    if cites:
        lines.append(sources_line(cites, keep_order=True))
    text = "\n".join(lines)
    data = {"intent": "route", "area": area.slug, "default_ladder": area.ladder_is_default,
            "rungs": [{"key": r.key, "title": r.title, "attendees": r.attendees} for r in area.ladder], "text": text}
    return Reply(text=text, title=f"Mutual challenge — {area.name}", citations=tuple(cites), data=cited(data, cites))


@command("meetings")
async def meetings(ctx: Context) -> Reply:
    """The meetings the protocol commits people to: officers' quarterly, chairs' annual and others.

    Examples:
      meetings
      when do the chairs meet?
    """
    area = ctx.here
    ms = area.protocol.meetings
    who = ctx.args.get("who")
    if who:
        from bot.language.normalise import tokens

        wanted = set(tokens(who)) - {"the", "board", "of"}
        picked = [m for m in ms if wanted & set(tokens(m.title + " " + " ".join(m.attendees)))]
        if not picked:
            found = area.find_board(who).match
            if found and area.boards[found.key].meets:
                b = area.boards[found.key]
                cite = area.cite(b.meets.source)  # type: ignore[union-attr]
                text = f"The {b.name} meets {b.meets.text}. Source: {cite.label()}."  # type: ignore[union-attr]
                return Reply(text=text, citations=(cite,), data=cited({"intent": "meetings", "area": area.slug, "text": text}, [cite]))
        ms = picked or ms
    if not ms:
        text = f"{area.name}'s protocol commits the boards to no recurring meetings between them."
        return Reply(text=text, data={"intent": "meetings", "area": area.slug, "meetings": [], "text": text})
    cites = [area.cite(m.source) for m in ms]
    lines = [f"Meetings in {area.name}'s protocol:"]
    for m in ms:
        when = f" — {m.when}" if m.when else ""
        lines.append(f"• {m.title} ({m.cadence.replace('_', ' ')}{when}). Attending: {', '.join(m.attendees)}. [{m.source.clause}]")
    text = "\n".join(lines)
    data = {"intent": "meetings", "area": area.slug,
            "meetings": [{"title": m.title, "cadence": m.cadence, "attendees": m.attendees} for m in ms], "text": text}
    return Reply(text=text, title=f"Meetings — {area.name}", citations=tuple(cites), data=cited(data, cites))


@command("reports")
async def reports(ctx: Context) -> Reply:
    """The reporting calendar: which report goes to whom, how, and in which season.

    Examples:
      reports
      reporting calendar in Buckinghamshire
    """
    area = ctx.here
    rs = area.protocol.reports
    if not rs:
        text = f"{area.name}'s protocol sets out no reporting arrangements."
        return Reply(text=text, data={"intent": "reports", "area": area.slug, "reports": [], "text": text})
    lines = [f"Reporting arrangements in {area.name}'s protocol:"]
    for r in rs:
        to = ", ".join([area.boards[k].short_name for k in r.to_boards] + list(r.to_others))
        when = []
        if r.season:
            when.append(r.season)
        if r.every_years > 1:
            when.append(f"every {r.every_years} years")
        frm = area.boards[r.from_board].short_name if r.from_board else r.by
        target = f"{r.action} to {to}" if to else f"{r.action}; the protocol names no recipient"
        lines.append(f"• {r.report} ({frm}) — {target}" + (f" ({', '.join(when)})" if when else "") + f" [{r.source.clause}]")
    cites = [area.cite(r.source) for r in rs]
    text = "\n".join(lines)
    data = {"intent": "reports", "area": area.slug, "reports": [r.model_dump(exclude={"source"}) for r in rs], "text": text}
    return Reply(text=text, title=f"Reporting — {area.name}", citations=tuple(cites[:1]), data=cited(data, cites))


@command("sharing")
async def sharing(ctx: Context) -> Reply:
    """Information-sharing arrangements: who receives whose agendas, minutes and reports.

    Examples:
      information sharing
      who gets the minutes?
    """
    area = ctx.here
    rules = area.protocol.information_sharing
    if not rules:
        text = f"{area.name}'s protocol sets out no information-sharing arrangements."
        return Reply(text=text, data={"intent": "sharing", "area": area.slug, "text": text})
    lines = [f"Information sharing in {area.name}'s protocol:"] + [f"• {r.text} [{r.source.clause}]" for r in rules]
    cites = [area.cite(r.source) for r in rules]
    text = "\n".join(lines)
    return Reply(text=text, title=f"Information sharing — {area.name}", citations=tuple(cites[:1]),
                 sections=(Section("\n".join(f"• {r.text}" for r in rules)),),
                 data=cited({"intent": "sharing", "area": area.slug, "text": text}, cites))


@command("areas", needs_area=False)
async def areas(ctx: Context) -> Reply:
    """The areas whose protocols are loaded.

    Examples:
      areas
    """
    names = ctx.knowledge.area_names()
    first = next(iter(ctx.knowledge.areas.values())).name if ctx.knowledge.areas else "<area>"
    text = "Areas: " + "; ".join(names) + f'.\nName one in a question ("who leads on CSE in {first}?").'
    return Reply(text=text, data={"intent": "areas", "areas": [a for a in ctx.knowledge.areas], "text": text})

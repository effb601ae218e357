"""The protocol document itself, answered narrowly: its review, versions, signatories, approval and where to read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.replies import (
    first_sentences,
    human_date,
    join_names,
    narrow,
    search_reply,
    silent,
    yes_no,
)
from bot.context import Context
from bot.language.normalise import tokens
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.review import ReviewStatus


async def protocol_answer(ctx: Context, u) -> Reply:
    """The one fact asked about the protocol document, each kind of question tried in turn.

    Whether it is out of date is where its review stands today, from the reviews and signings
    recorded too (:func:`bot.workflows.protocol_review.review_now`, what the overdue note says),
    read before the parts are tried; so is the next due date beside the review rule once a
    review or signing is recorded."""
    from bot.workflows.protocol_review import review_now

    status = await review_now(ctx.services, ctx.here.slug)
    def outdated_or_review(ctx: Context, u) -> Reply | None:
        return _outdated_or_review(ctx, u, status)

    for part in (_review_not_entered, _where_to_read, _party_to, outdated_or_review, _history, _authors, _signed,
                 _approved, _dated, _previous, _version):
        reply = part(ctx, u)
        if reply is not None:
            return reply
    return _about(ctx, u, status)


def _asks_outdated(u) -> bool:
    """Is it out of date? When is it due for review? (Not: how often is it reviewed?)"""
    return u.facet == "outdated" or (u.facet == "review" and u.has("due", "overdue")) and not u.has("how often")


def _review_not_entered(ctx: Context, u) -> Reply | None:
    area = ctx.here
    p = area.protocol.protocol
    if p.review is None and (u.facet in ("outdated", "review") or u.has("review")):
        return narrow(area, "protocol", [area.not_entered("review")], [area.cite(p.source)], silent_=True, more="protocol")
    return None


def _where_to_read(ctx: Context, u) -> Reply | None:
    """"Where can I read it?": the documents' web addresses."""
    if not u.has("read", "link", "copy of", "online", "website", "web address", "url", "download", "published"):
        return None
    area = ctx.here
    docs = area.protocol.documents
    linked = [d for d in docs if d.url]
    if linked:
        return narrow(area, "protocol", [f"{d.title}: {d.url}" for d in linked], [area.cite(area.protocol.protocol.source)],
                      more="protocol")
    return narrow(area, "protocol", [f"boardbot holds no web address for {area.name}'s protocol; its documents: "
                                     + "; ".join(d.title for d in docs) + "."], [], silent_=True, more="protocol")


def _party_to(ctx: Context, u) -> Reply | None:
    """"Is the SAB a party to the children's protocol?", where one document sets out several."""
    area = ctx.here
    board = u.first("board")
    if not (area.protocol.agreements and board is not None and u.has("party", "parties", "signed up", "part of")):
        return None
    b = area.boards[board.key]
    named = [a for a in area.protocol.agreements if set(tokens(a.title)) & set(u.content()) - {"protocol"}]
    asked = named or area.protocol.agreements
    ins = [a for a in asked if b.key in a.parties]
    outs = [a for a in asked if b.key not in a.parties]
    lines = [yes_no(bool(ins) and not outs if named else bool(ins),
                    (f"the {b.short_name} is a party to {join_names([a.title for a in ins])}" if ins else
                     f"the {b.short_name} is not a party to {join_names([a.title for a in outs])}")
                    + (f", not to {join_names([a.title for a in outs])}" if ins and outs else "") + ".")]
    return narrow(area, "protocol", lines, [area.cite(a.source) for a in asked], more=f"board {b.short_name}")


def _outdated_or_review(ctx: Context, u, status: ReviewStatus | None) -> Reply | None:
    """Whether it is out of date, or how and when it is reviewed."""
    facet = u.facet
    if _asks_outdated(u):
        return _outdated(ctx, u, status)
    if not (facet == "review" or (facet is None and u.has("review"))):
        return None
    area = ctx.here
    review = area.protocol.protocol.review
    lines = [_review_rule(area, status)]
    t = u.tokens
    past = (("last" in t or "previous" in t) and "next" not in t and any(w.startswith("review") for w in t)
            or u.has("was it reviewed", "was reviewed", "been reviewed"))
    if past and not (status is not None and status.since_recorded()):
        # "when was it last reviewed?": the protocol gives its rule, not a review that happened
        lines[0] = f"{area.name}'s protocol doesn't say when it was last reviewed. {lines[0]}"
    if review.text and review.text not in lines[0]:
        lines.append(f"\u201c{review.text}\u201d")
    yearly = u.has("every year", "each year", "yearly", "annually", "annual", "once a year", "every 12 months")
    if u.yesno and yearly:
        lines[0] = yes_no(review.rule in ("annual", "annual_from_signing"), lines[0])
    elif u.yesno and review.also_when:
        wanted = set(u.content())
        hit = any(wanted & set(tokens(w)) for w in review.also_when)
        lines[0] = yes_no(hit, lines[0])
    return narrow(area, "protocol", lines, [area.cite(review.source)], more="protocol",
                  silent_=review.rule == "unspecified" or lines[0].startswith(f"{area.name}'s protocol doesn't say"))


def _history(ctx: Context, u) -> Reply | None:
    """Its versions: the latest, or those the question names."""
    area = ctx.here
    p = area.protocol.protocol
    facet = u.facet
    if not (facet in ("history", "updated", "previous") and p.history):
        return None
    words = set(u.content()) - {"protocol", "version", "changed", "change", "changes", "history", "when", "added", "updated"}
    picked = [v for v in p.history if words and words & (set(tokens(v.version)) | set(tokens(v.change)))]
    if facet == "updated":
        picked = picked or [p.history[-1]]
        latest = picked[-1]
        lines = [f"The latest version it records is {latest.version}" + (f", {human_date(latest.date)}" if latest.date else "")
                 + f": {latest.change}"]
    else:
        shown = picked or p.history
        lines = [f"\u2022 {v.version}" + (f", {human_date(v.date)}" if v.date else "") + f": {v.change}" for v in shown[:6]]
    return narrow(area, "protocol", lines, [area.cite(v.source) for v in (picked or p.history)[:3]], more="protocol")


def _authors(ctx: Context, u) -> Reply | None:
    if u.facet != "authors":
        return None
    area = ctx.here
    p = area.protocol.protocol
    if p.authors:
        return narrow(area, "protocol", [f"The protocol's authors: {p.authors}."], [area.cite(p.source)], more="protocol")
    return narrow(area, "protocol", [silent(area, "history", "who wrote it")], [], silent_=True, more="protocol")


def _signed(ctx: Context, u) -> Reply | None:
    """Who signed it (or when: the dates are blank)."""
    area = ctx.here
    p = area.protocol.protocol
    if not (u.facet == "signed" or u.facet == "agreed" and not p.agreed and u.has("signed")):
        return None
    if u.has("when", "what date", "date", "dated", "undated", "dates"):
        return narrow(area, "protocol", [silent(area, "signatories", "when it was signed") + (" Its signature dates are blank."
                      if p.signatories else "")], [area.cite(p.source)], silent_=True, more="protocol")
    if p.signatories:
        return narrow(area, "protocol", ["Signed by: " + "; ".join(f"{s.name} ({s.title})" for s in p.signatories) + "."],
                      [area.cite(p.signatories[0].source)], more="protocol")
    return narrow(area, "protocol", [silent(area, "signatories", "who signed it")], [], silent_=True, more="protocol")


def _approved(ctx: Context, u) -> Reply | None:
    if not (u.facet == "approved" or u.facet == "agreed" and not u.has("when", "what date", "date")):
        return None
    area = ctx.here
    p = area.protocol.protocol
    if p.approved_by:
        line = "Approved by: " + join_names(p.approved_by) + "."
        asked = {e.key for e in u.all("board")}
        if u.yesno and asked:
            # "was the OPCC one of the bodies that approved it?": each board asked of, by any of its names
            approvers = {m.key for a in p.approved_by for m in area.board_matcher.find_all(tokens(a))}
            line = yes_no(asked <= approvers, line)
        return narrow(area, "protocol", [line], [area.cite(p.source)], more="protocol")
    return narrow(area, "protocol", [silent(area, "history", "who approved it")], [], silent_=True, more="protocol")


def _dated(ctx: Context, u) -> Reply | None:
    """When it was first created, or agreed."""
    facet = u.facet
    if facet not in ("created", "agreed"):
        return None
    area = ctx.here
    p = area.protocol.protocol
    value = p.created if facet == "created" else p.agreed
    if value:
        return narrow(area, "protocol", [f"{'First created' if facet == 'created' else 'Agreed'}: {human_date(value)}."],
                      [area.cite(p.source)], more="protocol")
    return narrow(area, "protocol", [silent(area, "history", "when it was " + ("created" if facet == "created" else "agreed"))
                                     + _dates_note(area)], [area.cite(p.source)], silent_=True, more="protocol")


def _previous(ctx: Context, u) -> Reply | None:
    if u.facet != "previous":
        return None
    area = ctx.here
    return narrow(area, "protocol", [silent(area, "history", "whether there was an earlier protocol")], [], silent_=True)


def _version(ctx: Context, u) -> Reply | None:
    if not (u.facet == "version" or u.has("version")):
        return None
    area = ctx.here
    p = area.protocol.protocol
    if p.version:
        line = f"{p.title.split('(')[0].strip()}: version {p.version}" + (f" ({human_date(p.version_date)})" if p.version_date else "") + "."
        return narrow(area, "protocol", [line], [area.cite(p.source)], more="protocol")
    return narrow(area, "protocol", [silent(area, "history", "which version it is") + " It carries no version number."],
                  [area.cite(p.source)], silent_=True, more="protocol")


def _about(ctx: Context, u, status: ReviewStatus | None = None) -> Reply:
    """Anything else: what the protocol says that fits, else its title, aim and review rule."""
    area = ctx.here
    p = area.protocol.protocol
    cite_p = area.cite(p.source)
    cite_r = area.cite(p.review.source) if p.review is not None else cite_p
    found = search_reply(area, u, kind="protocol")
    if found is not None and u.facet != "aim":
        return found
    lines = [p.title]
    purpose = next((h.passage.text for h in area.facts.search(["aim", "purpose", "protocol", "outlines", "relationship", "work", "together"],
                                                              limit=1, sections=frozenset({"protocol", "new_themes", "challenge"}))), "")
    if purpose:
        lines.append(first_sentences(purpose, 2))
    lines.append(_review_rule(area, status))
    return narrow(area, "protocol", lines, [cite_p, cite_r], more="protocol")


def _dates_note(area) -> str:
    p = area.protocol.protocol
    if p.notes:  # what the document itself says or leaves blank about its dates
        return " " + " ".join(n.text for n in p.notes)
    if p.signatories and not (p.agreed or p.version_date):
        return " Its date fields are blank."
    return ""


def _review_rule(area, status: ReviewStatus | None = None) -> str:
    """The review rule in a sentence; once a review or signing is recorded, with the next due date
    the status gives (the protocol's own date is then what it gave, not what is due)."""
    p = area.protocol.protocol
    review = p.review
    if review is None:
        return area.not_entered("review")
    also = f", or sooner when {join_names(review.also_when, 'or')}" if review.also_when else ""
    recorded = status.since_recorded() if status is not None else ""
    now = f" {recorded}" if recorded else ""
    given = human_date(review.next_due) if review.next_due else ""
    if review.rule == "on_date" and review.next_due:
        if recorded:
            return f"The protocol gave {given} as its review date{also}.{now}"
        return f"The protocol is due for review in {given}{also}."
    due = (f"; it gave {given} as its next review" if recorded else f"; next due {given}") if given else ""
    if review.rule == "annual_from_signing":
        return f"The protocol is to be reviewed yearly from the date of signing{also}{due}.{now}"
    if review.rule == "annual":
        return f"The protocol is to be reviewed annually{also}{due}.{now}"
    if review.rule in ("every_years", "every_years_from_signing"):
        start = " from the date of signing" if review.from_signing else ""
        return f"The protocol is to be reviewed every {review.years} years{start}{also}{due}.{now}"
    rule = getattr(review, "rule", "")
    if rule and rule != "unspecified":
        return f"Review: {review.text}"
    return silent(area, "review", "when it is to be reviewed") + " It states no review date or rule."


def _outdated(ctx: Context, u, status: ReviewStatus | None) -> Reply:
    """Out of date or not, on the date and basis the overdue note gives (``status``)."""
    area = ctx.here
    p = area.protocol.protocol
    review = p.review
    cite = area.cite(review.source)
    if status is not None and status.due is not None:
        due = f"{status.due:%-d %B %Y}"
        rest = (f"it was due for review by {due} ({status.basis}), so its review is overdue "
                f"(the latest version boardbot holds is {p.version or 'undated'})." if status.overdue
                else f"it is next due for review by {due} ({status.basis}).")
        ask_current = u.has("still current", "up to date", "current", "valid")
        overdue = status.overdue
        return narrow(area, "protocol", [yes_no((not overdue) if ask_current else overdue, rest) if u.yesno else rest[0].upper() + rest[1:]],
                      [cite], more="protocol")
    if review.rule in ("annual_from_signing", "annual", "every_years", "every_years_from_signing"):
        lines = [silent(area, "signatories", "when it was signed or last reviewed") + " so boardbot can't tell whether it is overdue.",
                 _review_rule(area)]
        lines[0] = lines[0].replace(". so", ", so")
        return narrow(area, "protocol", lines, [cite], more="protocol", silent_=True)
    return narrow(area, "protocol", [silent(area, "review", "when it is due for review") + " It states no review date or rule, "
                                     "so boardbot can't tell whether it is out of date."], [cite], silent_=True, more="protocol")

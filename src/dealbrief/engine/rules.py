"""The rules of the commercial lint, each a small function: its code, slug, one-line summary, and its question.

A rule yields :class:`~dealbrief.engine.lint.Flag` findings or its :class:`~dealbrief.engine.lint.Ask`
(worded with the deal's own facts); see :mod:`dealbrief.engine.lint` for how they are run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale

from .. import fmt
from ..deal.model import MONEY, WHOLE, marked_fields
from ..errors import KeyPath
from ..i18n import LANGUAGES
from .answers import Fact
from .lint import Ask, Context, Flag, Severity, rule
from .realization import period, start_key
from .scenarios import downgrade

MAX_PLAUSIBLE, MAX_DRIVERS = Decimal("0.95"), 5


@rule("DB101", "result-not-monetized", "A POC result no value driver links: a technical win with no commercial metric.")
def _result_not_monetized(c: Context) -> Iterator[Flag | Ask]:
    linked = {d.result for d in c.deal.value}
    severity: Severity = "error" if c.deal.reached("technical-win") else "warning"
    for i, result in enumerate(c.deal.poc.results):
        if result.id not in linked:
            yield Flag(
                ("poc", "results", i, "id"),
                severity,
                f"the POC proved '{result.metric}' but no value driver turns it into money; "
                f"add a driver with `result: {result.id}`, a volume and a rate",
            )


@rule("DB102", "scale-gap", "The case assumes far more scale than the POC tested, with no written commitment.", question="scale-commitment")
def _scale_gap(c: Context) -> Iterator[Flag | Ask]:
    scale = c.deal.poc.scale
    commitment = c.deal.commercial.commitment
    status = commitment.status if commitment else "none"
    if scale and scale.planned / scale.tested >= c.config.scale_gap_ratio and status not in ("written", "signed"):
        planned, tested = fmt.number(scale.planned, c.deal.locale), fmt.number(scale.tested, c.deal.locale)
        lower = downgrade(c.deal, c.case)
        cost = ""
        facts = [
            Fact("units", f"{_exact(scale.planned)}/{_exact(scale.tested)}", f"{planned} {scale.unit} planned, {tested} tested"),
            Fact("unit", scale.unit, f"units counted as {scale.unit}"),
            Fact("commitment", status, f"a commitment that is {status}"),
        ]
        if lower is not None and c.deal.costs.units is not None:
            said = fmt.quantities(lower.units, c.case.years, c.deal.costs.units.unit, c.deal.locale)
            cost = (
                f" If they commit only {said}{' a year' if len(set(lower.units)) == 1 else ''}, "
                f"{_moves('the contract', c.case.contract_value, lower.case.contract_value, c)} and "
                f"{_moves('their NPV', c.case.npv, lower.case.npv, c)}."
            )
            contract, npv = (c.case.contract_value, lower.case.contract_value), (c.case.npv, lower.case.npv)
            facts += [
                Fact("downgrade", ",".join(map(_exact, lower.units)), f"a downgrade to {said}"),
                Fact("contract", _whole(contract), f"a contract of {c.money(contract[0])} ({c.money(contract[1])} downgraded)"),
                Fact("npv", _whole(npv), f"their NPV of {c.money(npv[0])} ({c.money(npv[1])} downgraded)"),
            ]
        yield Ask(
            ("poc", "scale", "planned"),
            f"Our business case assumes {planned} {scale.unit} but the POC tested {tested}. Do you have a hard "
            f"commitment for all {planned} {scale.unit} (today: {status}), or will they downgrade at the final hour?{cost}",
            facts=tuple(facts),
        )


def _exact(number: Decimal) -> str:
    """A number as compared: its value, however it was typed (400 and 400.0 are one number)."""
    return format(number.normalize(), "f")


def _whole(amounts: tuple[Decimal, ...]) -> str:
    """Amounts a question states, as compared: in whole currency units."""
    return ",".join(str(fmt.whole(amount)) for amount in amounts)


def _moves(what: str, before: Decimal, after: Decimal, c: Context) -> str:
    """``the contract falls from A to B``: the verb says which way the figure goes."""
    if before == after:
        return f"{what} stays at {c.money(before)}"
    return f"{what} {'falls' if after < before else 'rises'} from {c.money(before)} to {c.money(after)}"


@rule(
    "DB103",
    "competitor-not-displaced",
    "A competitor is still incumbent, renewing, evaluating or unknown.",
    question="competitor-displaced",
)
def _competitor(c: Context) -> Iterator[Flag | Ask]:
    competitor = c.deal.commercial.competitor
    if competitor and competitor.status in ("incumbent", "incumbent-renewing", "evaluating", "unknown"):
        said = {
            "incumbent": f"{competitor.name} is the incumbent",
            "incumbent-renewing": f"{competitor.name} is the incumbent and may be renewed",
            "evaluating": f"The customer is also evaluating {competitor.name}",
            "unknown": f"We do not know where {competitor.name} stands",
        }[competitor.status]
        note = f" ({competitor.note})" if competitor.note else ""
        yield Ask(
            ("commercial", "competitor", "status"),
            f"{said}{note}. Is {competitor.name} displaced: contract end date known and non-renewal confirmed by procurement?",
            facts=(Fact("competitor", f"{competitor.name}|{competitor.status}", f"{competitor.name} ({competitor.status})"),),
        )


@rule("DB104", "economic-buyer-not-engaged", "No economic buyer is named, or they have not been engaged.", question="economic-buyer")
def _economic_buyer(c: Context) -> Iterator[Flag | Ask]:
    buyer = c.deal.stakeholders.economic_buyer
    if buyer is None:
        yield Ask(
            ("stakeholders",),
            "No economic buyer is named. Who signs the purchase order, and have they seen the numbers?",
            facts=(Fact("economic buyer", "", "no economic buyer named"),),
        )
    elif not buyer.engaged:
        who = f"{buyer.name} ({buyer.title})" if buyer.title else buyer.name
        yield Ask(
            ("stakeholders", "economic_buyer", "engaged"),
            f"{who} has not been engaged. Who walks {buyer.name} through this case, and when?",
            facts=(Fact("economic buyer", buyer.name, f"{buyer.name} as economic buyer"),),
        )


@rule("DB105", "siloed-se", "The summary went out (or the deal closed) while the handoff gate is open.")
def _siloed_se(c: Context) -> Iterator[Flag | Ask]:
    if not c.deal.reached("summary-sent"):
        return
    if c.sent_gate == "open":  # once sent, what counts is the gate of the version sent; a revision's hold back only its own sending
        yield Flag(("sent",), "error", f"stage is {c.deal.stage} but the version sent went out with the handoff gate open")
    elif c.sent_gate is None and c.gate == "open":
        missing = "no handoff meeting is recorded" if c.deal.handoff.meeting is None else "blocking handoff questions are open"
        yield Flag(("stage",), "error", f"stage is {c.deal.stage} but the handoff gate is open: {missing}")


@rule("DB106", "case-does-not-close", "NPV is not positive, or the case does not pay back within the horizon.", question="case-closes")
def _case_does_not_close(c: Context) -> Iterator[Flag | Ask]:
    if not c.deal.value or (c.case.npv > 0 and c.case.payback_months is not None):
        return
    payback = fmt.months(c.case.payback_months, c.deal.locale)
    facts = f"NPV {c.money(c.case.npv)} over {c.case.years} years, payback {payback}"
    yield Flag(("value",), "warning", f"the business case does not close: {facts}")
    payback_fact = Fact("payback", fmt.months(c.case.payback_months, "en"), f"payback {payback}")
    yield Ask(
        ("value",),
        f"The case shows {facts}. What changes (price, scope, realization) make it close before the CFO sees it?",
        owner="se",
        facts=(c.money_fact("npv", c.case.npv, "NPV %s"), payback_fact),
    )


@rule("DB107", "discount-beyond-floor", "The discount off list is deeper than the deal desk's floor.", question="price-defense")
def _discount(c: Context) -> Iterator[Flag | Ask]:
    floor, discount = c.deal.commercial.discount_floor, c.case.discount
    if floor is not None and discount is not None and discount > floor:
        locale = c.deal.locale
        costs = c.deal.costs
        element = (
            ("units", "price") if costs.units and costs.units.list_price else ("license", "amount") if costs.license else ("subscription",)
        )
        yield Ask(
            ("costs", *element),
            f"The proposed price is {fmt.percent(discount, locale, 1)} off list, beyond the {fmt.percent(floor, locale, 1)} "
            f"the deal desk approved. Is the exception approved, and what does the customer give in return?",
            owner="deal-desk",
            facts=(c.share_fact("discount", discount, "%s off list"), c.share_fact("floor", floor, "a floor of %s")),
        )


@rule("DB108", "unsourced-number", "A value driver without a basis, or a baseline without a source.")
def _unsourced(c: Context) -> Iterator[Flag | Ask]:
    if c.deal.baseline.source is None:
        yield Flag(
            ("baseline", "source"), "warning", "the baseline has no source; say whose data it is (e.g. the customer's ticket export)"
        )
    for i, driver in enumerate(c.deal.value):
        if driver.basis is None:
            yield Flag(("value", i), "warning", f"'{driver.name}' has no basis; say where its numbers come from")


@rule("DB109", "result-regressed", "A POC result got worse than its baseline, or missed its agreed target.")
def _regressed(c: Context) -> Iterator[Flag | Ask]:
    for i, r in enumerate(c.deal.poc.results):
        worse = r.is_better(r.before, r.after)
        missed = r.target is not None and r.is_better(r.target, r.after)
        if worse:
            yield Flag(
                ("poc", "results", i, "after"), "error", f"'{r.metric}' got worse: {r.before} → {r.after} {r.unit} ({r.better} is better)"
            )
        elif missed:
            yield Flag(("poc", "results", i, "after"), "error", f"'{r.metric}' missed its target: {r.after} {r.unit} against {r.target}")


@rule("DB111", "cfo-jargon", "Customer-facing text uses engineering jargon a CFO will not read past.")
def _jargon(c: Context) -> Iterator[Flag | Ask]:
    texts: list[tuple[KeyPath, str | None]] = [
        (("baseline", "problem"), c.deal.baseline.problem),
        (("recommendation",), c.deal.recommendation),
    ]
    texts += [(("value", i, "name"), d.name) for i, d in enumerate(c.deal.value)]
    if not c.config.jargon:  # an empty alternation would match between any two non-word characters
        return
    pattern = _jargon_pattern(c.config.jargon)
    for path, text in texts:
        words = sorted({m.group(1) for m in pattern.finditer(text or "")}, key=str.lower)
        if words:
            yield Flag(
                path, "warning", f"engineering jargon in customer-facing text: {', '.join(words)}; say what it means for the business"
            )


@cache
def _jargon_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")s?(?![\w-])", re.IGNORECASE)


@rule("DB112", "implausible-gain", "A driver relies on a >95% improvement at full realization, or there are more than 5 drivers.")
def _implausible(c: Context) -> Iterator[Flag | Ask]:
    for i, driver in enumerate(c.deal.value):
        improvement = c.case.improvements.get(driver.result or "")
        if driver.form == "rate" and improvement is not None and improvement > MAX_PLAUSIBLE and driver.realization == 1:
            yield Flag(
                ("value", i, "realization"),
                "warning",
                f"'{driver.name}' counts a {fmt.percent(improvement, c.deal.locale)} improvement at full realization; "
                "set a realization below 1 that a CFO will believe",
            )
    if len(c.deal.value) > MAX_DRIVERS:
        yield Flag(
            ("value",),
            "warning",
            f"{len(c.deal.value)} value drivers; a CFO trusts a case built on the few that matter (at most {MAX_DRIVERS})",
        )


THOUSANDS_DOT = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")


@rule("DB113", "thousands-dot", "An amount of money or of units typed with a dot before three digits (85.000): YAML reads a decimal point.")
def _thousands_dot(c: Context) -> Iterator[Flag | Ask]:
    questioned = {path for marker in (MONEY, WHOLE) for path, _ in marked_fields(c.deal, marker)}
    for path, text in c.written.items():
        if THOUSANDS_DOT.fullmatch(text) and (path in questioned or path[:-1] in questioned):
            yield Flag(  # an error: a price a thousand times too small must not reach a CFO (a team may lower it)
                path,
                "error",
                f"{text} is read as {fmt.number(Decimal(text), c.deal.locale, 3)}: in a deal file a dot is the decimal point; "
                f"did you mean {text.replace('.', '')}? (write numbers without separators)",
            )


@rule("DB114", "value-overdue", "A review period ended and its figures are not recorded.")
def _value_overdue(c: Context) -> Iterator[Flag | Ask]:
    if c.progress is None:
        return
    for label in c.progress.overdue(c.today):
        due = fmt.long_date(period(label).review_due, c.deal.locale)
        yield Flag(
            ("realization", "measurements"),
            "warning",
            f"the figures for {label} were due on {due} and are not recorded; {c.progress.owner}: measure them with the customer "
            "and add them under realization.measurements",
        )


@rule(
    "DB115",
    "value-behind-promise",
    "The value realized to date is below the team's share of what was promised.",
    question="value-gap",
)
def _value_behind(c: Context) -> Iterator[Flag | Ask]:
    progress = c.progress
    if progress is None or progress.ratio is None or progress.ratio >= c.config.realization_floor:
        return
    renewal = f" on {fmt.long_date(progress.renewal, c.deal.locale)}" if progress.renewal else ""
    yield Ask(
        ("realization",),
        f"The customer has realized {c.money(progress.realized_to_date)} of the {c.money(progress.promised_to_date)} promised "
        f"through {progress.periods[-1].label} ({fmt.percent(progress.ratio, c.deal.locale)}, below the "
        f"{fmt.percent(c.config.realization_floor, c.deal.locale)} the team expects). What will close the gap before the renewal{renewal}?",
        owner=progress.owner,
        blocking=False,
        facts=(
            c.money_fact("realized", progress.realized_to_date, "%s realized"),
            c.money_fact("promised", progress.promised_to_date, f"%s promised through {progress.periods[-1].label}"),
        ),
    )


@rule("DB116", "unconfirmed-measurement", "A measurement without the customer's evidence or without who confirmed it.")
def _unconfirmed(c: Context) -> Iterator[Flag | Ask]:
    plan = c.deal.realization
    for i, m in enumerate(plan.measurements if plan else ()):
        missing = [name for name, value in (("evidence", m.evidence), ("confirmed_by", m.confirmed_by)) if not value]
        if missing:
            yield Flag(
                ("realization", "measurements", i),
                "warning",
                f"the {m.period} measurement has no {' and no '.join(missing)}: a CFO trusts the customer's own evidence, "
                "confirmed by someone on their side (the Value Report stays a DRAFT until every measurement is confirmed)",
            )


@rule(
    "DB117",
    "measurement-outside-contract",
    "A measurement that counts toward nothing: outside the contract, for a period not over yet, or not one the version sent can value.",
)
def _outside(c: Context) -> Iterator[Flag | Ask]:
    if c.progress is None or c.deal.realization is None:
        return
    start, end = fmt.long_date(c.progress.start, c.deal.locale), fmt.long_date(c.progress.end, c.deal.locale)
    measurements = c.deal.realization.measurements
    for u in c.progress.uncounted:
        m = measurements[u.index]
        key, message = {
            "outside": ("period", f"{m.period} is outside the contract ({start} to {end}): it counts toward nothing; check the period"),
            "unfinished": (
                "period",
                f"{m.period} is not over (it ends on {fmt.long_date(period(m.period).last, c.deal.locale)}): it counts toward "
                "nothing; measure a period once it has ended",
            ),
            "result": (
                "result",
                f"'{m.result}' was not a result in the version the CFO received, so nothing was promised for it and it counts "
                "toward nothing; measure a result of the promise (a renamed result keeps its old id)",
            ),
            "driver": (
                "driver" if m.driver else "result",
                f"'{m.driver or m.result}' was not in the version the CFO received, so nothing was promised for it and it counts "
                "toward nothing; measure a driver of the promise (a renamed driver keeps its old id)",
            ),
            "form": (
                "result",
                f"in the version the CFO received, '{u.driver}' does not turn '{m.result}' into money with a rate, so this "
                f"counts toward nothing; measure the money it brought instead (`driver: {u.driver}, annual: …`)",
            ),
        }[u.why]
        yield Flag(("realization", "measurements", u.index, key), "error", message)


@rule(
    "DB118",
    "promise-not-found",
    "The version named by sent.file_hash cannot be read: neither the summary the CFO received nor the promise can be shown.",
)
def _promise_not_found(c: Context) -> Iterator[Flag | Ask]:
    if c.promise_problem:
        yield Flag(("sent", "file_hash"), "error", c.promise_problem)


@rule("DB119", "language-fallback", "The locale's language has no catalog: the customer's documents fall back to English.")
def _language_fallback(c: Context) -> Iterator[Flag | Ask]:
    language = Locale.parse(c.deal.locale).language
    if c.deal.language is None and language not in LANGUAGES:
        yield Flag(
            ("locale",),
            "warning",
            f"dealbrief has no catalog for '{language}', so the summary is written in English; set `language: en` to say so "
            "(or add a catalog: the README's Languages)",
        )


@rule("DB120", "contract-start-moved", "The contract start moved after the summary was sent: the promise's periods move with it.")
def _start_moved(c: Context) -> Iterator[Flag | Ask]:
    if c.progress is None or c.progress.promised_start is None:
        return
    (was_key, was), now, locale = c.progress.promised_start, c.progress.start, c.deal.locale
    if was == now:
        return
    key = start_key(c.deal)
    was_said, now_said = fmt.long_date(was, locale), fmt.long_date(now, locale)
    moved = (
        f"{key} moved from {was_said} (the version sent) to {now_said}"
        if key == was_key
        else f"the contract start moved from {was_said} ({was_key} in the version sent) to {now_said} ({key})"
    )
    year_end = date(now.year + (now.month + 10) // 12, (now.month + 10) % 12 + 1, 1)
    yield Flag(
        tuple(key.split(".")),
        "warning",
        f"{moved}: contract year 1 now runs {fmt.month(now, locale)} to {fmt.month(year_end, locale)}, and measurements "
        "before it count toward nothing; the promise's periods moved with it",
    )


@rule("DB121", "driver-not-measured", "A period was measured for some value drivers and not for this one.")
def _not_measured(c: Context) -> Iterator[Flag | Ask]:
    if c.progress is None:
        return
    for d in c.progress.drivers:
        for label in d.not_measured:
            yield Flag(
                ("realization", "measurements"),
                "warning",
                f"'{d.name}' ({d.id}) is not measured for {label}, though other drivers are: its promise for {label} is left "
                f"out of the promise to date; {c.progress.owner}: measure it with the customer (`driver: {d.id}, annual: 0` if it "
                "brought nothing)",
            )


@rule("DB122", "stale-answer", "A custom handoff question was answered for an earlier wording of it: its answer no longer holds.")
def _stale_custom_answer(c: Context) -> Iterator[Flag | Ask]:
    custom = [q for q in c.questions if q.code is None]
    for i, q in enumerate(custom):
        if q.stale:
            yield Flag(("handoff", "questions", i), "question", f"{q.stale}: answer it again")

"""Turn loaded data into a :class:`Deal`, or into located problems that say how to fix it.

Shape and types come from the pydantic model; the rules that span several keys
(a driver's form, links between ids, per-year list lengths, stage requirements)
are the small checks at the bottom, each yielding ``(key path, message)``.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable, Collection, Iterator
from datetime import date
from decimal import Decimal
from functools import cache, partial
from typing import Any, Literal, get_args, get_origin

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies
from pydantic import BaseModel, ValidationError

from ..errors import InvalidDeal, KeyPath, Problem, found
from ..writing import unsupported_locale
from .load import Document
from .model import DOCUMENT_SUFFIXES, ID_PATTERN, LIMIT, PERIOD_EXAMPLES, PERIOD_PATTERNS, Deal, Driver, per_year_fields

RESERVED = frozenset(["con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))])
PATTERNS = {
    "currency": "a three-letter ISO 4217 code such as USD or EUR",
    "locale": "a locale such as en_US or de_DE",
    "id": "an id of lowercase letters, digits and hyphens (e.g. rca-time)",
    "file_hash": "the SHA-256 `dealbrief sent` records (64 hex digits), or the 12 after 'deal file' in the sent PDF's footer",
    "period": "a period such as 2027-03, 2027-Q1 or 2027",
}
Check = Callable[[Deal], Iterator[tuple[KeyPath, str]]]


def validate(document: Document, deal_id: str, standard_questions: Collection[str] = ()) -> Deal:
    """The deal in ``document``; raise :class:`InvalidDeal` with every problem found.

    Every problem of the file in one run: the loader's (a date that does not exist), the model's (a
    wrong type), and the checks across keys, which run on what is valid even when other keys are not.
    ``standard_questions`` are the ids of the questions the lint's rules ask: the only ones besides the
    deal's own that ``handoff.answers`` may answer.
    """
    problems = [] if (why := bad_deal_id(deal_id)) is None else [Problem(document.file, 1, 1, "", why)]
    problems += document.problems
    data, outcome = _as_written(document)
    if isinstance(outcome, Deal):
        deal, unsure = outcome, set(document.refused)
    else:
        exc = outcome
        errors = [err for err in exc.errors() if not _inside(tuple(err["loc"]), document.refused)]
        problems += [document.problem(tuple(err["loc"]), _describe(err)) for err in errors]
        deal, unsure = _salvage(data, exc, document.refused)
    checks = [*CHECKS, partial(_question_ids, questions=standard_questions)]
    if deal is not None:
        for check in checks:
            if not any(_read_from(read, unsure) for read in getattr(getattr(check, "func", check), "reads", ())):
                problems += [document.problem(path, message) for path, message in check(deal) if not _touches(path, unsure)]
    if problems:
        raise InvalidDeal(sorted(problems, key=lambda p: (p.line, p.column)))
    assert deal is not None
    return deal


def _as_written(document: Document) -> tuple[Any, Deal | ValidationError]:
    """The data, with each plain number, date or true/false that a text field holds as the text it was typed, and the
    deal it makes (or why it makes none).

    ``period: 2026`` is the text "2026": nobody should have to quote a year, a version or a postcode.
    """
    data = document.data
    try:
        return data, Deal.model_validate(data)
    except ValidationError as exc:
        texts = [tuple(e["loc"]) for e in exc.errors() if e["type"] == "string_type" and tuple(e["loc"]) in document.written]
        if not texts:
            return data, exc
    data = copy.deepcopy(data)
    for path in texts:
        _set(data, path, document.written[path])
    try:
        return data, Deal.model_validate(data)
    except ValidationError as exc:
        return data, exc


def _salvage(data: Any, error: ValidationError, refused: Collection[KeyPath]) -> tuple[Deal | None, set[KeyPath]]:
    """A deal made of the file's valid parts, for the checks across keys, and the paths it could not take as written.

    A key with a problem goes back to its default, or, when it is required, gets a stand-in of its type (so a bad unit
    price keeps the units, and the drivers that count per unit can still be checked); an unknown key is taken out, and
    the key it was probably meant to be (``cost`` → ``costs``) is not trusted either.  Checks skip what reads those
    paths, so nothing is reported twice or wrongly.
    """
    data, unsure = copy.deepcopy(data), set(refused)
    for _ in range(3):  # a stand-in or a default cannot itself be wrong, so this settles at once
        for err in error.errors():
            unsure |= _repair(data, tuple(err["loc"]), err["type"])
        try:
            return Deal.model_validate(data), unsure
        except ValidationError as again:
            error = again
    return None, unsure


def _repair(data: Any, loc: KeyPath, kind: str) -> set[KeyPath]:
    """Make the value at ``loc`` valid in ``data``; the paths whose values are no longer the file's."""
    if kind == "extra_forbidden":
        _set(data, loc, None, remove=True)
        meant = difflib.get_close_matches(str(loc[-1]), sorted(_fields_at(loc[:-1])), n=1)
        return {loc, *((*loc[:-1], name) for name in meant)}
    path, field = _field_on(loc)
    if field.is_required():
        _set(data, path, _stand_in(field.annotation))
    else:
        _set(data, path, None, remove=True)
    return {path}


def _field_on(loc: KeyPath) -> tuple[KeyPath, Any]:
    """The deepest model field on ``loc`` (a list item or a mapping's own key belongs to its field), and its path."""
    model: type[BaseModel] | None = Deal
    found: tuple[KeyPath, Any] = (loc[:1], Deal.model_fields[str(loc[0])])
    for depth, part in enumerate(loc):
        if model is None or isinstance(part, int) or part not in model.model_fields:
            continue
        found = (loc[: depth + 1], model.model_fields[part])
        try:
            model = _model_in(found[1].annotation)
        except LookupError:
            model = None
    return found


def _set(data: Any, path: KeyPath, value: Any, remove: bool = False) -> None:
    """Put ``value`` at ``path`` in ``data`` (or take the key out), if the path is there."""
    *parents, last = path
    for part in parents:
        if not ((isinstance(data, dict) and part in data) or (isinstance(data, list) and isinstance(part, int) and part < len(data))):
            return
        data = data[part]
    if isinstance(data, dict) and remove:
        data.pop(last, None)
    elif isinstance(data, dict) or (isinstance(data, list) and isinstance(last, int) and last < len(data)):
        data[last] = value


STAND_INS: dict[Any, Any] = {Decimal: Decimal(1), Any: Decimal(1), int: 1, date: date(2000, 1, 1), bool: False, str: "unreadable"}


def _stand_in(annotation: Any) -> Any:
    """A valid value of a required key's type: the first choice of a Literal, the required keys of a model, else by type."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)[0]
    try:
        model = _model_in(annotation)
    except LookupError:
        return STAND_INS.get(annotation, "unreadable")
    return {name: _stand_in(field.annotation) for name, field in model.model_fields.items() if field.is_required()}


def _inside(path: KeyPath, paths: Collection[KeyPath]) -> bool:
    """Does ``path`` lie inside one of ``paths`` (or is it one)?"""
    return any(path[: len(other)] == other for other in paths)


def _read_from(read: KeyPath, paths: Collection[KeyPath]) -> bool:
    """Does a check that reads ``read`` (``"*"`` for any list index) read a value in one of ``paths``?"""
    return any(len(other) <= len(read) and all(r in ("*", o) for r, o in zip(read, other, strict=False)) for other in paths)


def _touches(path: KeyPath, paths: Collection[KeyPath]) -> bool:
    """Does ``path`` lie inside, or contain, one of ``paths``?"""
    return _inside(path, paths) or any(other[: len(path)] == path for other in paths)


def reads(*paths: KeyPath) -> Callable[[Check], Check]:
    """Mark a check with the keys it relies on: it is skipped when one of them (or what holds it) could not be taken as
    written; what it says about a key with a problem is dropped anyway."""

    def mark(check: Check) -> Check:
        check.reads = paths  # type: ignore[attr-defined]
        return check

    return mark


def bad_deal_id(deal_id: str) -> str | None:
    """Why a file name cannot be a deal id (it names folders and files of the site), or None."""
    if not re.fullmatch(ID_PATTERN, deal_id):
        return (
            f"the file name must be the deal id: lowercase letters, digits and hyphens (e.g. deals/northwind-2026.yaml), "
            f"found '{deal_id.encode('ascii', 'backslashreplace').decode()}'"
        )
    if deal_id in RESERVED:
        return f"'{deal_id}' is a reserved device name on Windows; choose another deal id"
    for kind, suffix in DOCUMENT_SUFFIXES.items():
        if suffix and deal_id.endswith(suffix):
            owner = deal_id.removesuffix(suffix)
            return (
                f"a deal id may not end in '{suffix}': '{deal_id}.pdf' is the name of deal {owner}'s {kind} PDF; "
                f"choose another id (e.g. {suffix.strip('-')}-{owner})"
            )
    return None


def _describe(error: Any) -> str:
    """One pydantic error as 'expected …, found …'."""
    kind, value, loc = error["type"], error.get("input"), error["loc"]
    if kind == "missing":
        return f"required key is missing; add `{loc[-1]}:`"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind in ("number", "per_year", "date_range", "text_blank"):
        return error["msg"]
    if kind == "literal_error":
        expected = error["ctx"]["expected"].replace("'", "")
        return f"expected one of {expected}; found {found(value)}"
    if kind == "string_pattern_mismatch":
        return f"expected {PATTERNS.get(loc[-1], PATTERNS['id'])}, found {found(value)}"
    if kind == "bool_type":
        hint = " (yes/no/on/off are read as text)" if isinstance(value, str) else ""
        return f"expected true or false, found {found(value)}{hint}"
    expected = {
        "string_type": "text",
        "string_too_short": "text (it is empty)",
        "string_too_long": "text of at most 4,000 characters",
        "int_type": "a whole number",
        "date_type": "a date (YYYY-MM-DD)",
        "list_type": "a list",
        "dict_type": "a mapping of keys",
        "model_type": "a mapping of keys",
        "model_attributes_type": "a mapping of keys",
        "greater_than_equal": f"a number ≥ {error.get('ctx', {}).get('ge')}",
        "less_than_equal": f"a number ≤ {error.get('ctx', {}).get('le')}",
    }.get(kind, error["msg"].lower())
    return f"expected {expected}, found {found(value)}"


def _unknown_key(loc: tuple[Any, ...]) -> str:
    allowed = sorted(_fields_at(loc[:-1]))
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    hint = f"did you mean `{close[0]}`? " if close else ""
    return f"unknown key; {hint}expected one of: {', '.join(allowed)}"


def _fields_at(path: tuple[Any, ...]) -> set[str]:
    """The keys the model allows at ``path`` (list indexes skipped)."""
    model: type[BaseModel] = Deal
    for part in path:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        model = _model_in(annotation)
    return set(model.model_fields)


@cache
def _model_in(annotation: Any) -> type[BaseModel]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        try:
            return _model_in(arg)
        except LookupError:
            continue
    raise LookupError(annotation)


# --- rules that span keys -------------------------------------------------


def _currency_and_locale(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    if deal.currency not in _currencies():
        yield ("currency",), f"expected {PATTERNS['currency']}, found '{deal.currency}'"
    try:
        Locale.parse(deal.locale)
    except (UnknownLocaleError, ValueError):
        yield ("locale",), f"expected {PATTERNS['locale']}, found '{deal.locale}'"
        return
    if why := unsupported_locale(deal.locale):
        yield ("locale",), why


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@reads(("stage",), ("costs",))
def _stage_requirements(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    if deal.reached("technical-win"):
        if deal.poc.technical_win is None:
            yield (
                ("poc", "technical_win"),
                f"required from stage technical-win on (stage is {deal.stage}); "
                "add `technical_win: {date: …, confirmed_by: …}` under poc",
            )
        if not deal.poc.results:
            yield ("poc", "results"), f"at least one POC result is required from stage technical-win on (stage is {deal.stage})"
        if not deal.costs.priced:
            yield (
                ("costs",),
                f"a price is required from stage technical-win on (stage is {deal.stage}): add subscription, units or license "
                "under costs (or, for a project, its one_time and recurring costs)",
            )


# The keys that make each form of a value driver (see model.Driver).
FORMS = {"result × volume × rate": ("volume", "volume_per_unit", "rate"), "base × share": ("base", "share"), "annual": ("annual",)}


@reads(("poc", "results", "*", "id"), ("costs", "units"))
def _driver_forms(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    results = {r.id for r in deal.poc.results}
    for index, driver in enumerate(deal.value):
        path: KeyPath = ("value", index)
        forms = {form: [k for k in keys if getattr(driver, k) is not None] for form, keys in FORMS.items()}
        used = [form for form, keys in forms.items() if keys]
        if len(used) > 1:
            found = ", ".join(k for form in used for k in forms[form])
            yield path, f"a driver has one form — result × volume × rate, base × share, or annual — not {' and '.join(used)} ({found})"
        elif not used:
            yield path, "expected a form: `result` + `volume` + `rate`, `base` + `share`, or `annual`"
        elif used == ["result × volume × rate"]:
            yield from _rate_form(driver, path)
        elif used == ["base × share"] and (driver.base is None or driver.share is None):
            yield path, f"expected `base` and `share` together; missing {'base' if driver.base is None else 'share'}"
        if driver.volume_per_unit is not None and deal.costs.units is None:
            yield (
                path + ("volume_per_unit",),
                "volume_per_unit follows the units the deal is priced by, and there are none: add `units:` under costs, or write volume",
            )
        if driver.result is not None and driver.result not in results:
            yield (
                path + ("result",),
                f"expected the id of a POC result ({', '.join(sorted(results)) or 'none defined'}), found '{driver.result}'",
            )


def _rate_form(driver: Driver, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if driver.volume is not None and driver.volume_per_unit is not None:
        yield path + ("volume_per_unit",), "a driver has volume or volume_per_unit, not both"
    missing = [k for k in ("result", "rate") if getattr(driver, k) is None]
    missing += ["volume (or volume_per_unit)"] if driver.volume is None and driver.volume_per_unit is None else []
    if missing:
        yield path, f"expected `result` + `volume` + `rate`; missing {', '.join(missing)}"


def _driver_bounds(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    """A driver's yearly value stays below the limit every amount has, so every figure made from it can be shown."""
    results = {r.id: r for r in deal.poc.results}
    units = deal.costs.units
    for index, driver in enumerate(deal.value):
        result = results.get(driver.result or "")
        if result is None or driver.rate is None:
            continue
        if driver.volume_per_unit is not None and units is not None:
            volumes = [driver.volume_per_unit * q for q in _each(units.quantity)]
        else:
            volumes = _each(driver.volume)
        value = abs(result.gain) * max(volumes, default=Decimal(0)) * driver.rate
        if value >= LIMIT:
            yield (
                ("value", index),
                f"gain × volume × rate is about 10^{value.adjusted()} a year; dealbrief computes with amounts below 10^15: "
                "check the units of each",
            )


def _price_bounds(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    """A year's price per unit × units stays below the limit every amount has (each may be up to 10^15 alone)."""
    units = deal.costs.units
    if units is not None and (most := units.price * max(_each(units.quantity))) >= LIMIT:
        yield (
            ("costs", "units"),
            f"price × quantity is about 10^{most.adjusted()} a year; dealbrief computes with amounts below 10^15: check the units of each",
        )


def _each(value: Any) -> list[Decimal]:
    """A per-year value as the list of its years' values (a single number: itself)."""
    return [] if value is None else list(value) if isinstance(value, tuple | list) else [value]


@reads(("finance", "horizon_years"))
def _per_year_lengths(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    years = deal.finance.horizon_years
    for path, value in per_year_fields(deal):
        if isinstance(value, tuple | list) and len(value) != years:
            yield path, f"expected one number per horizon year ({years}), found {len(value)}"
    if deal.costs.escalator is not None and isinstance(deal.costs.subscription, tuple):
        yield ("costs", "escalator"), "an escalator applies to a single yearly price; with a list per year, write each year's price"


def _date_order(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    """The POC ends after it starts, the technical win comes after the POC, the handoff meeting after the win."""
    poc, meeting = deal.poc, deal.handoff.meeting
    won = poc.technical_win.date if poc.technical_win else None
    if poc.start and poc.end and poc.end < poc.start:
        yield ("poc", "end"), f"the POC ends ({poc.end}) before it starts ({poc.start}); check both dates"
    if won and poc.end and won < poc.end:
        yield ("poc", "technical_win", "date"), f"the technical win ({won}) is dated before the POC ended ({poc.end}); check both dates"
    if meeting and won and meeting < won:
        yield ("handoff", "meeting"), f"the handoff meeting ({meeting}) is dated before the technical win ({won}); check both dates"


@reads(("stage",))
def _after_signature(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    """What the sent version, the signature and the measurements need: a stage that has them, and each other."""
    if deal.sent and not deal.reached("summary-sent") and deal.stage != "closed-lost":
        yield ("sent",), f"sent records the summary the CFO received: set stage to summary-sent or later (stage is {deal.stage})"
    if deal.signed and deal.stage != "closed-won":
        yield ("signed",), f"signed is for a won deal: set stage: closed-won (stage is {deal.stage})"
    if deal.sent and deal.signed and deal.signed < deal.sent.date:
        yield ("signed",), f"the contract is signed ({deal.signed}) before the summary was sent ({deal.sent.date}); check both dates"
    if deal.realization is None:
        return
    if deal.stage != "closed-won":
        yield ("realization",), f"realization tracks a won deal's value: set stage: closed-won (stage is {deal.stage})"
    if deal.sent is None:
        yield ("realization",), "the promise is the version the CFO received: record it first with `dealbrief sent ID` (adds sent:)"
    if deal.finance.go_live is None and deal.signed is None:
        yield ("realization",), "contract years start at finance.go_live, else at signed: add one of them"


@reads(("poc", "results", "*", "id"), ("value",))
def _measurements(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    """Each measurement has one form, names what exists, is written as its cadence writes periods, and is not counted twice."""
    if deal.realization is None:
        return
    cadence = deal.realization.cadence
    results, drivers = {r.id for r in deal.poc.results}, {d.id: d for d in deal.value}
    seen: set[tuple[str, str]] = set()
    for index, m in enumerate(deal.realization.measurements):
        path: KeyPath = ("realization", "measurements", index)
        if not re.fullmatch(PERIOD_PATTERNS[cadence], m.period):
            yield path + ("period",), f"the cadence is {cadence}: write the period like {PERIOD_EXAMPLES[cadence]}, found '{m.period}'"
        if m.result is not None:
            missing = [k for k in ("value", "volume") if getattr(m, k) is None]
            if m.annual is not None:
                yield path + ("annual",), "a measured result is turned into money by its driver: write value and volume, not annual"
            elif missing:
                yield (
                    path,
                    f"a measured result needs value (as measured) and volume (how often, in the period); missing {', '.join(missing)}",
                )
            if m.result not in results:
                yield path + ("result",), _unknown("a POC result", results, m.result)
                continue
            linked = [d.id for d in deal.value if d.result == m.result and d.form == "rate"]
            if m.driver is None and len(linked) != 1:
                which = f"name one of {', '.join(linked)} with driver:" if linked else "no driver turns it into money with a rate"
                yield path + ("result",), f"'{m.result}' is measured but {which}"
            elif m.driver is not None and m.driver not in linked:
                yield (
                    path + ("driver",),
                    f"'{m.driver}' does not turn '{m.result}' into money with a rate; {_unknown('a driver that does', linked, m.driver)}",
                )
        elif m.driver is not None:
            if m.annual is None:
                yield path, "a measured driver needs annual: the money it brought, as an amount a year"
            if m.value is not None or m.volume is not None:
                yield path, "value and volume measure a POC result: name it with result:, or measure the driver's money with annual"
            if m.driver not in drivers:
                yield path + ("driver",), _unknown("a value driver", drivers, m.driver)
        else:
            yield path, "expected a form: `result` + `value` + `volume`, or `driver` + `annual`"
        driver = m.driver or next((d.id for d in deal.value if d.result == m.result and d.form == "rate"), None)
        rated = next((d for d in deal.value if d.id == driver and d.rate is not None), None)
        result = next((r for r in deal.poc.results if r.id == m.result), None)
        if rated and result and m.value is not None and m.volume is not None and rated.rate is not None:
            if abs(result.before - m.value) * m.volume * rated.rate >= LIMIT:
                yield path, "gain × volume × rate is 10^15 or more; dealbrief computes with amounts below 10^15: check the value and volume"
        if driver is not None and (m.result is None or driver in [d.id for d in deal.value if d.result == m.result and d.form == "rate"]):
            if (m.period, driver) in seen:
                yield path + ("period",), f"'{driver}' is measured twice for {m.period}; combine the two, or correct the period"
            seen.add((m.period, driver))


def _unknown(what: str, known: Collection[str], found: str) -> str:
    return f"expected the id of {what} ({', '.join(sorted(known)) or 'none defined'}), found '{found}'"


def _unique_ids(deal: Deal) -> Iterator[tuple[KeyPath, str]]:
    groups: list[tuple[KeyPath, list[str | None]]] = [
        (("poc", "results"), [r.id for r in deal.poc.results]),
        (("value",), [d.id for d in deal.value]),
        (("handoff", "questions"), [q.id for q in deal.handoff.questions]),
    ]
    for path, ids in groups:
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                yield path + (index, "id"), f"duplicate id '{item_id}'; ids must be unique"
            if item_id is not None:
                seen.add(item_id)


@reads(("handoff", "questions", "*", "id"))
def _question_ids(deal: Deal, questions: Collection[str]) -> Iterator[tuple[KeyPath, str]]:
    """The deal's own questions keep clear of the rules' ids, and every answer names a question."""
    for index, question in enumerate(deal.handoff.questions):
        if question.id in questions:
            yield (
                ("handoff", "questions", index, "id"),
                f"'{question.id}' is a generated question's id; answer it in handoff.answers instead",
            )
    known = set(questions) | set(deal.handoff.question_ids())
    for answer_id in deal.handoff.answers:
        if answer_id not in known:
            close = difflib.get_close_matches(answer_id, sorted(known), n=1)
            hint = f"did you mean `{close[0]}`? " if close else ""
            yield ("handoff", "answers", answer_id), f"no question has this id; {hint}expected one of: {', '.join(sorted(known))}"


CHECKS: list[Check] = [
    _currency_and_locale,
    _stage_requirements,
    _driver_forms,
    _driver_bounds,
    _price_bounds,
    _per_year_lengths,
    _date_order,
    _unique_ids,
    _after_signature,
    _measurements,
]

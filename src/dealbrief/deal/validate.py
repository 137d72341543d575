"""Turn loaded data into a :class:`Deal`, or into located problems that say how to fix it.

Shape and types come from the pydantic model; the rules that span several keys
(a driver's form, links between ids, per-year list lengths, stage requirements)
are the format phase of the rule registry, a module each in :mod:`dealbrief.deal.checks`.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import InvalidDeal, KeyPath, Problem, found
from ..registry import discover
from . import checks
from .checks import PATTERNS
from .checks.unknown_currency_or_locale import currency_hint
from .load import Document
from .model import DOCUMENT_SUFFIXES, ID_PATTERN, Deal

RESERVED = frozenset(["con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))])
FORMAT = discover(checks)  # the format phase of the rule registry, in its order


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
    deal: Deal | None
    if isinstance(outcome, Deal):
        deal, unsure = outcome, set(document.refused)
    else:
        exc = outcome
        errors = [err for err in exc.errors() if not _inside(tuple(err["loc"]), document.refused)]
        problems += [document.problem(loc, message) for loc, message in _described(errors)]
        deal, unsure = _salvage(data, exc, document.refused)
    if deal is not None:
        for check in FORMAT:
            if not any(_read_from(read, unsure) for read in check.reads):
                said = check.check(deal, standard_questions)
                problems += [document.problem(path, message) for path, message in said if not _touches(path, unsure)]
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
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return
    if isinstance(data, dict) and remove:
        data.pop(last, None)
    elif isinstance(data, dict):
        data[last] = value
    elif isinstance(data, list) and isinstance(last, int) and last < len(data):
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


def _described(errors: list[Any]) -> list[tuple[KeyPath, str]]:
    """Each error as 'expected …, found …' at its key — but a misspelt required key is one slip, not two: its unknown
    key and the missing key it was meant to be are one problem, at the key as typed."""
    missing = [tuple(err["loc"]) for err in errors if err["type"] == "missing"]
    meant: dict[KeyPath, str] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            siblings = [str(other[-1]) for other in missing if other[:-1] == loc[:-1] and other[-1] not in meant.values()]
            close = difflib.get_close_matches(str(loc[-1]), siblings, n=1)
            if close:
                meant[loc] = close[0]
    said = {(*loc[:-1], name) for loc, name in meant.items()}
    return [
        (loc, f"`{loc[-1]}` is not a key; did you mean `{meant[loc]}`? (a required key)" if loc in meant else _describe(err))
        for err in errors
        if (loc := tuple(err["loc"])) not in said
    ]


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
        hint = currency_hint(value) if loc == ("currency",) else ""
        return f"expected {PATTERNS.get(loc[-1], PATTERNS['id'])}, found {found(value)}{hint}"
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


def _model_in(annotation: Any) -> type[BaseModel]:
    """The model a field's annotation holds (``X | None``, ``list[X]``), or :class:`LookupError`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        try:
            return _model_in(arg)
        except LookupError:
            continue
    raise LookupError(annotation)

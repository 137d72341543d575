"""The deal format (the manual's Reference: The deal format) as pydantic models: the one source of truth.

Validation, the JSON Schema in ``schema/``, editor completion and the manual's
format tour all come from these classes.  Models are strict: unknown keys are
errors, text is never read as a number nor a number as text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, StringConstraints, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from ..artifacts import DOCUMENT_SUFFIXES  # noqa: F401  (the format refuses ids ending like a PDF's name)
from ..errors import KeyPath, found
from ..i18n import LANGUAGES

# The stages in the order a deal moves through them; a deal ends closed-won or closed-lost.
Stage = Literal["discovery", "poc", "technical-win", "handoff", "summary-sent", "closed-won", "closed-lost"]
STAGES: tuple[str, ...] = get_args(Stage)
OPEN_STAGES = tuple(stage for stage in STAGES if not stage.startswith("closed-"))
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
FINEST = Decimal("1e-6")  # no number has more decimals: a price of 1e-200 would make ratios no display can hold
LIMIT = Decimal("1e15")  # every amount, and every driver's yearly value, stays below this: the engine computes exactly far beyond
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)  # a payback date (go-live + up to 10 years) stays a real date

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


def _visible(text: str) -> str:
    """Text someone can read: at least one letter, digit, punctuation mark or symbol (an answer of " " closes nothing).

    Marks, format characters, variation selectors and the blank Braille pattern alone are not text.
    """
    if not any(unicodedata.category(c)[0] in "LNPS" and c != "\u2800" for c in text):
        raise PydanticCustomError("text_blank", "expected text, found only spaces or invisible characters")
    return text


Text = Annotated[str, StringConstraints(min_length=1, max_length=4000), AfterValidator(_visible)]


def _number(minimum: Decimal | None, maximum: Decimal | None, positive: bool) -> Any:
    bounds = " ".join(
        filter(
            None,
            [
                f"greater than {minimum}" if positive else (f"at least {minimum}" if minimum is not None else ""),
                f"at most {maximum}" if maximum is not None else "",
            ],
        )
    )
    expected = f"a number {bounds}".strip()

    share = maximum == 1  # a ratio: 0.7 is 70 %

    def validate(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise PydanticCustomError(
                "number",
                "expected {expected}, found {found}{hint}",
                {"expected": expected, "found": found(value), "hint": _hint(value, share)},
            )
        number = Decimal(value)
        if not number.is_finite() or number.copy_abs() >= LIMIT:  # copy_abs: abs() would overflow at 1e1000000
            raise PydanticCustomError("number", "expected a number below 10^15, found {found}", {"found": found(value)})
        if number != number.quantize(FINEST):
            raise PydanticCustomError("number", "expected a number with at most 6 decimal places, found {found}", {"found": found(value)})
        if (minimum is not None and (number < minimum or (positive and number == minimum))) or (maximum is not None and number > maximum):
            hint = f" (a share is written as a fraction: {number / 100} for {number}%)" if share and 1 < number <= 100 else ""
            raise PydanticCustomError(
                "number", "expected {expected}, found {found}{hint}", {"expected": expected, "found": found(value), "hint": hint}
            )
        return number

    schema: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        schema["exclusiveMinimum" if positive else "minimum"] = int(minimum)
    if maximum is not None:
        schema["maximum"] = int(maximum)
    return validate, schema


SEPARATED = re.compile(r"[0-9]{1,3}(?:[,._' \u00a0\u202f][0-9]{3})+")
PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?) ?%")


DECIMAL_COMMA = re.compile(r"(?:[0-9]{1,3}(?:[. \u00a0\u202f][0-9]{3})+|[0-9]+),[0-9]+")  # 0,80 · 1.200,50
SIGNED = re.compile(r"(?:[$€£¥]|[A-Z]{3}) ?([0-9].*)|(.*[0-9]) ?(?:[$€£¥]|[A-Z]{3})")  # $1,125 · 300 000 € · USD 120000


def _hint(value: Any, share: bool) -> str:
    """What to write instead of text typed as a number: ``85,000``, ``1.200.000``, ``0,80``, ``$1,125``, ``70%``, or the
    ``000`` of ``[85,000]``."""
    if not isinstance(value, str):
        return ""
    if signed := SIGNED.fullmatch(value.strip()):
        bare = signed.group(1) or signed.group(2)
        meant = bare if re.fullmatch("[0-9]+(?:\\.[0-9]+)?", bare) else _plain(bare)
        return f" (write it without the currency: {meant})" if meant else ""
    if meant := _plain(value):
        comma = DECIMAL_COMMA.fullmatch(value) and not SEPARATED.fullmatch(value)  # 0,80 and 1.200,50, never 85,000
        return f" (write a decimal point: {meant})" if comma else f" (write it without separators: {meant})"
    if (percent := PERCENT.fullmatch(value)) and share:
        return f" (write a share as a fraction: {Decimal(percent.group(1)) / 100} for {value})"
    if re.fullmatch("0[0-9]{2}", value):
        return " (inside [ ] a comma separates the items, so 85,000 is read as 85 and 000: write 85000)"
    return ""


def _plain(text: str) -> str | None:
    """A number typed with separators or a decimal comma, as a deal file writes it: ``85000``, ``0.80``; else None."""
    if SEPARATED.fullmatch(text):
        return re.sub("[^0-9]", "", text)
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+", text):  # 120,000.50
        return text.replace(",", "")
    if DECIMAL_COMMA.fullmatch(text):
        whole, decimals = text.rsplit(",", 1)
        return f"{re.sub('[^0-9]', '', whole)}.{decimals}"
    return None


def number(minimum: int | None = None, maximum: int | None = None, positive: bool = False, *markers: Marker) -> Any:
    """An exact ``Decimal`` from a YAML number (never from text), within bounds."""
    validate, schema = _number(None if minimum is None else Decimal(minimum), None if maximum is None else Decimal(maximum), positive)
    return Annotated[Decimal, PlainValidator(validate), WithJsonSchema(schema), *markers]


def per_year(minimum: int = 0, *markers: Marker) -> Any:
    """A number for every year, or a list of one number per horizon year."""
    validate, schema = _number(Decimal(minimum), None, False)

    def validate_per_year(value: Any) -> Decimal | tuple[Decimal, ...]:
        if not isinstance(value, list):
            return validate(value)
        if not value:
            raise PydanticCustomError("per_year", "expected a number or a list of one number per year, found an empty list")
        numbers = []
        for index, item in enumerate(value):
            try:
                numbers.append(validate(item))
            except PydanticCustomError as exc:
                raise PydanticCustomError("per_year", "year {year}: {message}", {"year": index + 1, "message": exc.message()}) from None
        return tuple(numbers)

    return Annotated[
        Any,
        PlainValidator(validate_per_year),
        WithJsonSchema({"oneOf": [schema, {"type": "array", "items": schema, "minItems": 1, "maxItems": 10}]}),
        PER_YEAR,
        *markers,
    ]


class Marker:
    """Marks a kind of field in the model's types, so code can find every such field instead of listing them."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Marker({self.name!r})"


PER_YEAR = Marker("one value per horizon year when a list (validation checks the length)")
MONEY = Marker("an amount of money (shown in the deal's currency; a typed 85.000 is questioned)")
WHOLE = Marker("a number of whole things bought or used, such as seats or credits (a typed 1.200 is questioned)")
RATE = Marker("money per unit consumed, shown in the deal's currency; it may have three decimals ($0.125): never questioned")


def marked_fields(value: BaseModel, marker: Marker, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """Every field of ``value`` (and of the models inside it) marked ``marker``, with its key path and value."""
    marked, nested = _layout(type(value), marker)
    for name in marked:
        yield (*path, name), getattr(value, name)
    for name in nested:
        item = getattr(value, name)
        for index, inner in enumerate(item if isinstance(item, list | tuple) else [item]):
            if isinstance(inner, BaseModel):
                yield from marked_fields(inner, marker, (*path, name, index) if isinstance(item, list | tuple) else (*path, name))


def per_year_fields(value: BaseModel) -> Iterator[tuple[KeyPath, Any]]:
    """Every per-year field of ``value``, with its key path: found from the types, never listed."""
    return marked_fields(value, PER_YEAR)


@cache
def _layout(model: type[BaseModel], marker: Marker) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A model's fields marked ``marker``, and those that may hold models: read from the types once."""
    fields = model.model_fields.items()
    marked = tuple(name for name, field in fields if marker in field.metadata or _holds(field.annotation, lambda arg: arg is marker))
    nested = tuple(
        name for name, field in fields if _holds(field.annotation, lambda arg: isinstance(arg, type) and issubclass(arg, BaseModel))
    )
    return marked, nested


def _holds(annotation: Any, test: Callable[[Any], bool]) -> bool:
    return test(annotation) or any(_holds(arg, test) for arg in get_args(annotation))


def _within_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError(
            "date_range",
            "expected a date from {first} to {last}, found {found}",
            {"first": FIRST_DAY, "last": LAST_DAY, "found": found(day)},
        )
    return day


Day = Annotated[date, AfterValidator(_within_range)]
if TYPE_CHECKING:  # what the validators below produce, for the type checker (their Annotated forms are built at run time)
    Money: TypeAlias = Decimal
    Ratio: TypeAlias = Decimal
    Measure: TypeAlias = Decimal
    Count: TypeAlias = Decimal
    Positive: TypeAlias = Decimal
    PositiveMoney: TypeAlias = Decimal
    Rate: TypeAlias = Decimal
    PerYearMoney: TypeAlias = Decimal | tuple[Decimal, ...]
    PerYearCount: TypeAlias = Decimal | tuple[Decimal, ...]
    PerYearUnitCount: TypeAlias = Decimal | tuple[Decimal, ...]
    PerYearUsage: TypeAlias = Decimal | tuple[Decimal, ...]
else:
    Money = number(0, None, False, MONEY)
    Ratio = number(0, 1)
    Measure = number()
    Count = number(0)  # how many: units, occurrences
    Positive = number(0, None, True)
    PositiveMoney = number(0, None, True, MONEY)
    Rate = number(0, None, True, RATE)
    PerYearMoney = per_year(0, MONEY)
    PerYearCount = per_year(0)
    PerYearUnitCount = per_year(0, WHOLE)
    PerYearUsage = per_year(0, WHOLE)


class Strict(BaseModel):
    """Every part of a deal: unknown keys are errors, text is never read as a number nor a number as text."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Team(Strict):
    """Who works the deal."""

    se: Text = Field(description="The sales engineer who ran the POC")
    ae: Text = Field(description="The account executive who owns the deal")


class Person(Strict):
    """Someone at the customer."""

    name: Text
    title: Text | None = None


class EconomicBuyer(Person):
    """Whoever signs the purchase order."""

    engaged: bool = Field(False, description="Has the economic buyer seen the case? Unconfirmed counts as not engaged")


class Stakeholders(Strict):
    """The customer's people around the deal."""

    champion: Person | None = None
    validator: Person | None = Field(None, description="The engineer who gave the technical thumbs-up")
    economic_buyer: EconomicBuyer | None = None


class Baseline(Strict):
    """The problem before, in the customer's own numbers."""

    period: Text | None = Field(None, description="The period the baseline figures cover, e.g. Q3 2026")
    source: Text | None = Field(None, description="Where the baseline figures come from (customer's own data)")
    problem: Text = Field(description="The problem in the customer's words: customer-facing")


class Scale(Strict):
    """How much the POC tested against how much the business case plans."""

    tested: Positive
    planned: Positive
    unit: Text


class TechnicalWin(Strict):
    """When, and by whom, the POC was accepted."""

    date: Day
    confirmed_by: Text


class Result(Strict):
    """One thing the POC measured, before and after."""

    id: Id
    metric: Text = Field(description="What the POC measured: customer-facing")
    unit: Text
    better: Literal["lower", "higher"] = "lower"
    before: Measure
    after: Measure
    target: Measure | None = Field(None, description="The agreed success criterion")
    evidence: Text | None = None

    @property
    def gain(self) -> Decimal:
        """How much the result improved from ``before`` to ``after``, positive when it got better."""
        return self.before - self.after if self.better == "lower" else self.after - self.before

    def is_better(self, value: Decimal, than: Decimal) -> bool:
        """Is ``value`` better than ``than`` for this metric (lower or higher is better)?"""
        return value < than if self.better == "lower" else value > than


class Poc(Strict):
    """The proof of concept."""

    start: Day | None = None
    end: Day | None = None
    scope: Text | None = None
    scale: Scale | None = None
    technical_win: TechnicalWin | None = None
    results: list[Result] = []


class Driver(Strict):
    """How the proof becomes money per year, in one of three forms.

    - ``result`` + ``volume`` (or ``volume_per_unit``) + ``rate``: the POC's gain × how often × what each is worth;
    - ``base`` + ``share``: a share of an amount a year (15 % less overstock on 2.1 M a year);
    - ``annual``: a fixed amount a year, or one per year.

    Any form may name the POC ``result`` that proves it.
    """

    id: Id
    name: Text = Field(description="What the customer gains: customer-facing")
    result: Id | None = Field(None, description="The POC result that proves this driver (the gain, in the result × volume × rate form)")
    volume: PerYearCount | None = Field(None, description="Occurrences per year, or one number per year")
    volume_per_unit: Count | None = Field(
        None, description="Occurrences per unit of costs.units (or of costs.commit's usage) a year: the volume follows them"
    )
    volume_unit: Text | None = None
    rate: Money | None = Field(None, description="Money per unit of the result's metric")
    base: PerYearMoney | None = Field(None, description="An amount a year the driver is a share of (with share)")
    share: Ratio | None = Field(None, description="The share of base saved or gained, e.g. 0.15")
    annual: PerYearMoney | None = Field(None, description="A fixed yearly amount, or one per horizon year")
    basis: Text | None = Field(None, description="Where the numbers come from")
    realization: Ratio = Field(Decimal(1), description="Share of the proved gain expected in production")
    ramp: Annotated[list[Ratio], PER_YEAR] | None = Field(None, description="Share realised in year 1..N (default all 1)")
    kind: Literal["saving", "revenue", "avoidance"] = "saving"

    @property
    def form(self) -> str:
        """``rate``, ``share`` or ``annual``: how this driver turns proof into money."""
        return "rate" if self.rate is not None else "share" if self.share is not None or self.base is not None else "annual"


class CostItem(Strict):
    """A one-time cost."""

    name: Text
    amount: Money


class RecurringCost(Strict):
    """A cost the customer pays every year besides the price."""

    name: Text
    amount: PerYearMoney


class Units(Strict):
    """A subscription sold per unit (seat, agent, store): price × quantity, for each contract year."""

    unit: Text = Field(description="What one unit is called, in the plural: agents, seats, stores")
    price: Money = Field(description="Net price per unit a year")
    list_price: Money | None = Field(None, description="List price per unit a year")
    quantity: PerYearUnitCount = Field(description="Units committed for each contract year, or one number for every year")


class License(Strict):
    """A perpetual licence, paid at signature, with maintenance billed every year like a subscription."""

    amount: Money = Field(description="The licence fee, paid at time 0")
    list_price: Money | None = Field(None, description="The licence's list price")
    maintenance: Ratio = Field(Decimal(0), description="Maintenance a year, as a share of the licence amount, e.g. 0.20")


class Commit(Strict):
    """A committed spend a year, drawn down by usage at a rate per unit; usage beyond it is overage, billed in arrears."""

    unit: Text = Field(description="What is consumed, in the plural: credits, queries, GB")
    amount: PerYearMoney = Field(description="The committed spend a year, or one per contract year; paid as billing says")
    rate: Rate = Field(description="The price per unit drawn from the commitment")
    list_rate: Rate | None = Field(None, description="The list price per unit; discount = 1 - rate/list_rate")
    overage_rate: Rate | None = Field(None, description="The price per unit beyond the commitment (default: rate)")
    usage: PerYearUsage = Field(description="The units expected to be consumed a year, or one number per contract year")
    rollover: bool = Field(False, description="Unused commitment carries to the next year until the term ends (true) or is lost (false)")


class Costs(Strict):
    """What the customer pays: any mix of a subscription, a per-unit subscription, a committed spend and a perpetual
    licence, and costs."""

    subscription: PerYearMoney | None = Field(None, description="A yearly price, or one per contract year")
    list_price: Money | None = Field(None, description="The subscription's list price a year; discount = 1 - subscription/list_price")
    units: Units | None = Field(None, description="A subscription priced per unit")
    commit: Commit | None = Field(None, description="A committed spend a year drawn down by usage (consumption pricing)")
    license: License | None = Field(None, description="A perpetual licence with maintenance")
    billing: Literal["in-advance", "in-arrears"] = Field(
        "in-advance", description="When subscription, units, the commitment and maintenance are paid (overage: always in arrears)"
    )
    escalator: Ratio | None = Field(
        None, description="Yearly increase of the subscription, the unit price, the commitment and its rates, and maintenance, e.g. 0.03"
    )
    one_time: list[CostItem] = []
    recurring: list[RecurringCost] = []

    @property
    def priced(self) -> bool:
        """Does anything here say what the customer pays?"""
        return any(x is not None for x in (self.subscription, self.units, self.commit, self.license)) or bool(
            self.one_time or self.recurring
        )


class Finance(Strict):
    """How the business case is computed over time."""

    horizon_years: int = Field(3, ge=1, le=10)
    discount_rate: Ratio = Decimal("0.10")
    go_live: Day | None = Field(None, description="Payback date = go_live + payback months")


CompetitorStatus = Literal["incumbent", "incumbent-renewing", "evaluating", "unknown", "displaced", "not-competing"]
CommitmentStatus = Literal["none", "verbal", "written", "signed"]


class Competitor(Strict):
    """Who else is in the deal."""

    name: Text
    status: CompetitorStatus
    note: Text | None = None


class Commitment(Strict):
    """How firmly the customer has committed to the planned scale."""

    units: PerYearUnitCount | None = Field(
        None, description="The units a year the customer has committed to (of costs.units, or poc.scale), or one number per year"
    )
    status: CommitmentStatus = "none"


class Commercial(Strict):
    """What the account team knows about the deal: internal, never customer-facing."""

    competitor: Competitor | None = None
    commitment: Commitment | None = None
    discount_floor: Ratio | None = Field(None, description="Deepest discount approved by the deal desk")
    notes: list[Text] = []


class CustomQuestion(Strict):
    """A question the sales engineer adds to the handoff checklist (the lint's rules add the standard ones)."""

    id: Id | None = Field(None, description="Stable id; default custom-N (N = position, from 1)")
    ask: Text
    owner: Text = "ae"
    blocking: bool = True
    answer: Text | None = None


class Handoff(Strict):
    """The AE's checklist before the summary goes out: internal, never customer-facing."""

    meeting: Day | None = Field(None, description="Date the internal handoff meeting was held")
    answers: dict[Id, Text] = Field({}, description="Answers to generated questions, by question id")
    questions: list[CustomQuestion] = []

    def question_ids(self) -> list[str]:
        """The id of each custom question: its own, or ``custom-N`` by position (from 1)."""
        return [question.id or f"custom-{index}" for index, question in enumerate(self.questions, start=1)]


Cadence = Literal["monthly", "quarterly", "yearly"]
# How a period is written for each cadence: a calendar month, quarter or year.
PERIOD_PATTERNS: dict[str, str] = {"monthly": r"[0-9]{4}-(0[1-9]|1[0-2])", "quarterly": r"[0-9]{4}-Q[1-4]", "yearly": r"[0-9]{4}"}
PERIOD_EXAMPLES = {"monthly": "2027-03", "quarterly": "2027-Q1", "yearly": "2027"}


class Sent(Strict):
    """The version of the deal file whose Executive Summary the CFO received: the promise, found in the git history."""

    date: Day
    file_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12,64}$")] = Field(
        description="The hash printed in the sent PDF's footer (dealbrief sent ID fills it in)"
    )


class Measurement(Strict):
    """What the customer measured in one period, in one of two forms.

    - ``result`` + ``value`` + ``volume``: the POC's metric measured again in production, and how often it happened
      in the period; money = gain from ``before`` to ``value`` × ``volume`` × the driver's rate;
    - ``driver`` + ``annual``: a driver's money directly, as an amount a year (a quarter counts a quarter of it).
    """

    period: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-Q[1-4]|-[0-9]{2})?$")] = Field(
        description="The period measured, as the cadence writes it: 2027-03, 2027-Q1 or 2027"
    )
    result: Id | None = Field(None, description="The POC result measured again (with value and volume)")
    driver: Id | None = Field(None, description="The value driver measured (with annual; or to choose among drivers of one result)")
    value: Measure | None = Field(None, description="The result's metric as measured in the period")
    volume: Count | None = Field(None, description="How many times it happened in the period")
    annual: Money | None = Field(None, description="The driver's money, as an amount a year")
    evidence: Text | None = Field(None, description="The customer's own evidence: customer-facing")
    confirmed_by: Text | None = Field(None, description="Who at the customer confirmed it; unconfirmed keeps the Value Report a DRAFT")


class Realization(Strict):
    """After the signature: the value the customer actually gets, measured the way the POC was."""

    owner: Text = Field(description="Who collects the measurements (internal), e.g. the customer success manager")
    cadence: Cadence = Field("quarterly", description="How often value is reviewed with the customer")
    renewal: Day | None = Field(None, description="When the contract comes up for renewal")
    measurements: list[Measurement] = []


NOT_ON_THE_SUMMARY: dict[str, Any] = {key: True for key in ("stage", "sent", "signed", "realization", "commercial", "handoff", "team")} | {
    "stakeholders": {"champion": True, "economic_buyer": True}
}


if TYPE_CHECKING:
    Language: TypeAlias = str
else:
    Language = Literal[LANGUAGES]  # the languages dealbrief has a catalog for


class Deal(Strict):
    """One deal: the proof, the money, and what the AE must know."""

    model_config = ConfigDict(title="dealbrief deal", json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"})

    dealbrief: Literal[1] = Field(description="Format version")
    customer: Text
    title: Text = Field(description="What is being bought")
    stage: Stage
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")] = "en_US"
    language: Language | None = Field(
        None, description="The language the customer reads (summary, Value Report, chart); default: the locale's, if it has a catalog"
    )
    team: Team
    stakeholders: Stakeholders = Field(default_factory=Stakeholders)
    baseline: Baseline
    poc: Poc = Field(default_factory=Poc)
    value: list[Driver] = []
    costs: Costs = Field(default_factory=Costs)
    finance: Finance = Field(default_factory=Finance)
    recommendation: Text | None = Field(None, description="The technical recommendation: customer-facing")
    sent: Sent | None = Field(None, description="The version whose Executive Summary the CFO received: the promise")
    signed: Day | None = Field(None, description="When the contract was signed; contract years start here without finance.go_live")
    realization: Realization | None = Field(None, description="Won deals: the value measured after go-live")
    commercial: Commercial = Field(default_factory=Commercial, description="Internal only: never customer-facing")
    handoff: Handoff = Field(default_factory=Handoff, description="Internal only: never customer-facing")

    def summary_view(self) -> dict[str, Any]:
        """What the Executive Summary can show of this deal: a change to anything else after sending (the stage, the
        signature, measurements, the internal sections) is no revision of what the CFO received."""
        return self.model_dump(exclude=NOT_ON_THE_SUMMARY)

    def reached(self, milestone: str) -> bool:
        """Has the deal reached ``milestone`` (a stage)? A lost deal has reached nothing: it is history."""
        return self.stage != "closed-lost" and STAGES.index(self.stage) >= STAGES.index(milestone)

    @property
    def is_open(self) -> bool:
        """Still being won: not closed, won or lost."""
        return self.stage in OPEN_STAGES


class _AsTyped(GenerateJsonSchema):
    """The JSON Schema an editor checks a deal with, agreeing with ``check``: a text field holds a plain number or
    true/false as the text typed (``period: 2026``), so the schema lets a number or a boolean stand wherever that text
    would be valid."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        shown = super().str_schema(schema)
        pattern = shown.get("pattern")
        typed = [kind for kind, text in (("number", "2026"), ("boolean", "true")) if pattern is None or re.search(pattern, text)]
        return {**shown, "type": ["string", *typed]} if typed else shown


def json_schema() -> dict[str, Any]:
    """The deal format's JSON Schema (``schema/deal.schema.json``, what an editor's YAML language server reads)."""
    return Deal.model_json_schema(schema_generator=_AsTyped)

"""Team settings, read from ``dealbrief.toml`` at the repository root (every key optional).

```toml
[lint]
jargon = ["latency", "API"]        # replaces the default list
extra_jargon = ["service mesh"]    # added to it
scale_gap_ratio = 10               # DB102: planned / tested at or above this
usage_gap_ratio = 2                # DB123: planned usage / the POC's consumption a year at or above this
realization_floor = 0.7            # DB115: realized below this share of the promise asks the owner
disable = ["DB111"]                # rules switched off
severity = {DB108 = "error"}       # a rule's findings at another severity

[templates]
dir = "my-templates"               # templates that override the packaged ones, for every command and the site

[reporting]
currency = "USD"                   # totals across currencies (dashboard, CRM export) in this currency
rates = {EUR = 1.08, JPY = 0.0067} # one unit of each currency in the reporting currency
rates_date = 2026-12-01            # the day the rates are from (said beside every converted total)
```
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..deal.checks.unknown_currency_or_locale import currency_hint, in_use
from ..errors import DealbriefError
from .lint import LINT
from .reporting import Reporting

CONFIG_FILE = "dealbrief.toml"
MAX_RATE = 1_000_000  # one unit of any currency in another: far below, whatever the pair

DEFAULT_JARGON = (
    "latency",
    "API",
    "p95",
    "p99",
    "throughput",
    "dark mode",
    "SLO",
    "MTTR",
    "Kubernetes",
    "k8s",
    "microservice",
    "endpoint",
    "QPS",
    "RPS",
    "telemetry",
    "observability",
    "ingestion",
    "CI/CD",
    "SDK",
    "YAML",
    "JSON",
    "cardinality",
    "container",
    "cluster",
    "backend",
    "refactor",
)


class _LintSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    jargon: list[str] = Field(default_factory=lambda: list(DEFAULT_JARGON))
    extra_jargon: list[str] = []
    scale_gap_ratio: int = Field(10, ge=2)
    usage_gap_ratio: float = Field(2, gt=1)
    realization_floor: float = Field(0.7, gt=0, le=1)
    disable: list[str] = []
    severity: dict[str, Literal["error", "warning"]] = {}


class _TemplateSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    dir: str | None = None


class _ReportingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    currency: str | None = None
    rates: dict[str, float] = {}
    rates_date: date | str | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    lint: _LintSettings = Field(default_factory=_LintSettings)
    templates: _TemplateSettings = Field(default_factory=_TemplateSettings)
    reporting: _ReportingSettings = Field(default_factory=_ReportingSettings)


@dataclass(frozen=True)
class Config:
    """What a team may tune; the defaults are dealbrief's."""

    jargon: tuple[str, ...] = DEFAULT_JARGON
    scale_gap_ratio: Decimal = Decimal(10)
    usage_gap_ratio: Decimal = Decimal(2)
    realization_floor: Decimal = Decimal("0.7")
    disabled: frozenset[str] = frozenset()
    severity: dict[str, Literal["error", "warning"]] = field(default_factory=dict)
    templates: Path | None = None  # a team's own templates, found before the packaged ones
    reporting: Reporting | None = None  # the currency totals across currencies are in, and its rates


def load_config(root: Path = Path(".")) -> Config:
    """The settings in ``root/dealbrief.toml``, or the defaults when there is none."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    try:
        settings = _File.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DealbriefError(f"{path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DealbriefError(f"{path}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    lint = settings.lint
    for key, codes in (("disable", lint.disable), ("severity", list(lint.severity))):
        for code in codes:
            _known_rule(path, key, code)
    templates = root / settings.templates.dir if settings.templates.dir else None
    if templates is not None and not templates.is_dir():
        raise DealbriefError(f"{path}: templates.dir: no folder {templates}; create it, or remove the key")
    return Config(
        reporting=_reporting(path, settings.reporting),
        jargon=tuple(lint.jargon + lint.extra_jargon),
        scale_gap_ratio=Decimal(lint.scale_gap_ratio),
        usage_gap_ratio=Decimal(str(lint.usage_gap_ratio)),
        realization_floor=Decimal(str(lint.realization_floor)),
        disabled=frozenset(lint.disable),
        severity=dict(lint.severity),
        templates=templates,
    )


def _reporting(path: Path, settings: _ReportingSettings) -> Reporting | None:
    """The reporting currency and its rates, each code a currency in use and each rate above 0, dated."""
    if settings.currency is None:
        if settings.rates or settings.rates_date:
            raise DealbriefError(f'{path}: reporting.currency: name the currency the rates convert into, e.g. currency = "USD"')
        return None
    for code in (settings.currency, *settings.rates):
        if code not in in_use():
            raise DealbriefError(f"{path}: reporting: '{code}' is not the ISO 4217 code of a currency in use{currency_hint(code)}")
    for code, rate in settings.rates.items():
        if code == settings.currency:
            raise DealbriefError(f"{path}: reporting.rates.{code}: {code} is the reporting currency (its rate is 1): remove it")
        if not (math.isfinite(rate) and 0 < rate < MAX_RATE):
            raise DealbriefError(
                f"{path}: reporting.rates.{code}: expected one {code} in {settings.currency}, a number above 0 and below "
                f"{MAX_RATE:,}, found {rate}"
            )
    if isinstance(settings.rates_date, str):
        raise DealbriefError(f"{path}: reporting.rates_date: write the date without quotes, e.g. rates_date = 2026-12-01")
    if settings.rates and settings.rates_date is None:
        raise DealbriefError(f"{path}: reporting.rates_date: say the day the rates are from, e.g. rates_date = 2026-12-01")
    rates = {code: Decimal(str(rate)) for code, rate in settings.rates.items()}
    return Reporting(settings.currency, rates, settings.rates_date if isinstance(settings.rates_date, date) else None)


def _known_rule(path: Path, key: str, code: str) -> None:
    """A code a team names is a lint rule's (the format's checks cannot be switched off: they make a deal invalid)."""
    codes = sorted(r.code for r in LINT if r.code)
    if code not in codes:
        close = difflib.get_close_matches(code, codes, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise DealbriefError(f"{path}: lint.{key}: unknown rule '{code}'; {hint}rules: {', '.join(codes)}")

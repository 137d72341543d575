"""Render deals into Markdown through the Jinja2 templates in ``templates/``.

Deal text is data, never markup: every ``{{ … }}`` value passes through
:func:`escape` (the one place), which backslash-escapes all ASCII punctuation —
literal in Python-Markdown with ``pymdownx.escapeall`` and in pandoc's Markdown
alike.  Only values the code marks :class:`Markup` (Markdown it rendered itself,
links it built) pass unescaped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeGuard

import markupsafe
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from ..content_cache import code_version
from ..deal.model import Commit, Deal
from ..engine.compute import Case, compute, running_costs
from ..engine.pipeline import Analysed, Invalid, Report
from ..engine.reporting import Reporting
from ..engine.scenarios import scale_scenarios
from ..fmt import Formatter, columns
from ..i18n import SOURCE, Catalogs, fingerprint, language_of, read_catalogs, translations
from . import dashboard
from .chart import SCREEN_FONTS, chart
from .security import front_matter_title
from .value_chart import value_chart

PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
WHITESPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")  # every space but the no-break ones: Babel's "884\u202f815\xa0€" stays whole


def escape(value: Any) -> str:
    """Deal text as literal Markdown: each run of breaking whitespace one space, none at the ends (``** x **`` would not
    be bold), punctuation backslash-escaped."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return PUNCTUATION.sub(r"\\\1", WHITESPACE.sub(" ", str(value)).strip())


def _literal(value: Any) -> Markup:
    """``|e`` and ``|escape`` in a Markdown template: trusted text (a message, a link the code built) as it is, deal text
    escaped as literal Markdown — never Jinja's HTML-escaped ``Markup``, which Markdown would read as markup."""
    return value if isinstance(value, Markup) else Markup(escape(value))


def default_templates() -> Path:
    """The packaged templates (plain package data: ``src/dealbrief/templates/``)."""
    return Path(str(resources.files("dealbrief") / "templates"))


@cache
def environment(override: Path | None = None, markup: str = "markdown", language: str = SOURCE, words: Catalogs = ()) -> Environment:
    """Templates from ``override`` first (a team's own), then the packaged ones, their messages in ``language`` (from the
    catalogs ``words``).

    Values are escaped for the ``markup`` the templates write: Markdown for pages and PDFs, XML for the chart.  A
    translated message is trusted text (it may hold Markdown); the deal's values put into it are escaped like any other.
    """
    folders = [override, default_templates()] if override else [default_templates()]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders if folder]),
        undefined=StrictUndefined,
        finalize=escape if markup == "markdown" else None,
        autoescape=markup == "xml",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(gettext=str, ngettext=str, newstyle=True)  # type: ignore[attr-defined]  # the i18n extension adds it; then our own:
    env.globals.update(_messages(translations(language, words), escape if markup == "markdown" else markupsafe.escape))
    if markup == "markdown":  # no filter turns deal text into markup: each that would (Jinja's Markup) escapes it instead
        env.filters.update(
            e=_literal,
            escape=_literal,
            forceescape=lambda value: Markup(escape(str(value))),
            tojson=lambda value, indent=None: Markup(escape(str(htmlsafe_json_dumps(value, indent=indent)))),
            urlize=lambda value, *args, **kwargs: _literal(value),
        )
    env.filters["trusted"] = Markup  # only for values the code built, e.g. links
    env.filters["page_title"] = front_matter_title  # a page's title in its front matter: see dealbrief.output.security
    env.globals["columns"] = columns  # the cash flow's column labels, named in one place
    return env


def _messages(t: Any, escape_value: Any) -> dict[str, Any]:
    """``gettext``/``ngettext``/``_`` for templates: the message translated, each value put into it escaped."""

    def gettext(message: str, **values: Any) -> Markup:
        return Markup(t.gettext(message) % {k: escape_value(v) for k, v in values.items()}) if values else Markup(t.gettext(message))

    def ngettext(singular: str, plural: str, count: int, **values: Any) -> Markup:
        values.setdefault("num", count)
        return Markup(t.ngettext(singular, plural, count) % {k: escape_value(v) for k, v in values.items()})

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext}


@dataclass(frozen=True)
class Sensitivity:
    """The business case at one level of realization (the Numbers page's sensitivity table)."""

    label: str
    case: Case


def sensitivity(report: Analysed) -> list[Sensitivity]:
    """The case at 50 % and 100 % of each driver's stated realization (the latter is the deal's own case)."""
    return [
        Sensitivity("Half of the stated realization", compute(report.deal, Decimal("0.5"))),
        Sensitivity("The stated realization", report.case),
    ]


def price_terms(deal: Deal, f: Formatter) -> list[str]:
    """What the customer pays, one phrase per element: the price as the summary states it, in the reader's language."""
    costs, years, t = deal.costs, deal.finance.horizon_years, f.t
    recurring = []  # what the escalator raises: the subscription, the unit price, maintenance
    if isinstance(costs.subscription, tuple):
        amounts = ", ".join(f.money(v) for v in costs.subscription)
        recurring.append(t.gettext("a subscription of %(amounts)s in years 1–%(years)s") % {"amounts": amounts, "years": years})
    elif costs.subscription is not None:
        recurring.append(t.gettext("a subscription of %(amount)s a year") % {"amount": f.money(costs.subscription)})
    if costs.units:
        each = f.quantities(costs.units.quantity, years, costs.units.unit)
        recurring.append(t.gettext("%(price)s a year for each of %(units)s") % {"price": f.amount(costs.units.price), "units": each})
    if costs.commit:
        recurring.append(_commitment(costs.commit, years, f))
    licence = []
    if costs.license:
        upkeep, amount = costs.license.amount * costs.license.maintenance, f.money(costs.license.amount)
        if upkeep:
            said = t.gettext("a perpetual license of %(amount)s with maintenance of %(upkeep)s a year")
            recurring.append(said % {"amount": amount, "upkeep": f.money(upkeep)})
        else:
            licence.append(t.gettext("a perpetual license of %(amount)s") % {"amount": amount})
    if costs.escalator and len(recurring) == 1:  # said of the one recurring price it raises
        recurring[0] = t.gettext("%(term)s, rising %(share)s each year") % {"term": recurring[0], "share": f.rate(costs.escalator)}
    elif costs.escalator and recurring:
        recurring.append(t.gettext("rising %(share)s a year") % {"share": f.rate(costs.escalator)})
    terms = recurring + licence
    if costs.commit:
        terms.append(
            t.gettext("unused commitment carried to the next year until the term ends")
            if costs.commit.rollover
            else t.gettext("unused commitment lost at the end of each year")
        )
        terms.append(t.gettext("expected usage: %(usage)s") % {"usage": f.quantities(costs.commit.usage, years, costs.commit.unit)})
    if costs.one_time:
        once = sum((item.amount for item in costs.one_time), Decimal(0))
        names = ", ".join(item.name for item in costs.one_time)
        terms.append(t.gettext("%(amount)s one-time (%(items)s)") % {"amount": f.money(once), "items": names})
    return terms


def _commitment(commit: Commit, years: int, f: Formatter) -> str:
    """A committed spend as sold: the amount a year, the rate it is drawn down at (and its list rate), the overage rate."""
    t, rates = f.t, [r for r in (commit.rate, commit.list_rate, commit.overage_rate) if r is not None]
    cents = any(r != r.to_integral_value() for r in rates)  # $0.80 beside $1.00, never beside $1

    def rate(value: Decimal) -> str:
        return f.amount(value, cents)

    if isinstance(commit.amount, tuple):
        amounts = ", ".join(f.money(v) for v in commit.amount)
        said = t.gettext("a commitment of %(amounts)s in years 1–%(years)s") % {"amounts": amounts, "years": years}
    else:
        said = t.gettext("a commitment of %(amount)s a year") % {"amount": f.money(commit.amount)}
    said = t.gettext("%(commitment)s, drawn down in %(unit)s at %(rate)s each") % {
        "commitment": said,
        "unit": commit.unit,
        "rate": rate(commit.rate),
    }
    if commit.list_rate is not None and commit.list_rate != commit.rate:
        said = t.gettext("%(term)s (list %(list)s)") % {"term": said, "list": rate(commit.list_rate)}
    overage = rate(commit.overage_rate or commit.rate)
    return t.gettext("%(term)s, %(unit)s beyond it at %(rate)s each") % {"term": said, "unit": commit.unit, "rate": overage}


def _won(report: Report) -> TypeGuard[Analysed]:
    """A valid deal in its realization: the dashboard's won deals."""
    return isinstance(report, Analysed) and report.deal.realization is not None


class Renderer:
    """Every page of the site, and the Executive Summary the PDF shares, from one set of templates."""

    def __init__(self, templates: Path | None = None) -> None:
        self.templates = templates
        self.words = read_catalogs(templates)  # read once: what this renderer's pages say, and what their cache keys hold
        self.env = environment(templates, words=self.words)  # the team's pages and words, in English

    def formatter(self, deal: Deal, customer: bool = False, isolate: bool = True) -> Formatter:
        """Figures in the deal's currency and locale; with ``customer``, the words around them in the customer's language."""
        language = language_of(deal) if customer else SOURCE
        return Formatter(deal.currency, deal.locale, isolate=isolate, t=translations(language, self.words), language=language)

    def _customer(self, deal: Deal, markup: str = "markdown") -> Environment:
        return environment(self.templates, markup, language_of(deal), self.words)

    @cached_property
    def fingerprint(self) -> str:
        """Every template's source, the catalogs and the versions that shape a page: what a cached page depends on besides the deal."""
        versions = f"{code_version()} babel {version('babel')} jinja2 {version('jinja2')}"
        digest = hashlib.sha256(f"{versions} {fingerprint(self.words)}".encode())
        for name in self.env.list_templates():
            digest.update(f"\0{name}\0{self.asset(name)}".encode())
        return digest.hexdigest()

    def asset(self, name: str) -> str:
        """A static file from the templates folders (a team's override first), e.g. the site's CSS."""
        assert self.env.loader is not None  # every environment() has one
        source, _, _ = self.env.loader.get_source(self.env, name)
        return source

    def _render(self, template: str, env: Environment | None = None, **context: Any) -> str:
        return (env or self.env).get_template(template).render(**context)

    def _deal(self, template: str, report: Analysed, links: dict[str, str | None], customer: bool = False, **extra: Any) -> str:
        """A deal's page or document; a ``customer`` one in the customer's language."""
        deal = report.deal
        f = self.formatter(deal, customer)
        return self._render(
            template,
            self._customer(deal) if customer else None,
            report=report,
            deal=deal,
            case=report.case,
            review=report.review,
            f=f,
            links=links,
            results={r.id: r for r in deal.poc.results},
            drivers={d.id: d for d in deal.value},
            progress=report.progress,
            language=language_of(deal),  # what the customer's part of a page is written in (its lang attribute)
            price=price_terms(deal, f),
            running=running_costs(deal, report.case),
            **extra,
        )

    def chart(self, report: Analysed, font: str = SCREEN_FONTS) -> str:
        """The deal's cash-flow chart as SVG, from ``chart.svg.j2``, its text in ``font`` (a CSS font-family list)."""
        f, template = self.formatter(report.deal, True, isolate=False), self._customer(report.deal, "xml").get_template("chart.svg.j2")
        return template.render(c=chart(report.case, f, report.deal.locale), years=report.case.years, font=font)

    def charts(self, reports: Iterable[Analysed]) -> dict[str, bytes]:
        """Each valid deal's chart, by deal id: the customer's (once sent, the version sent's)."""
        return {r.id: self.chart(r.customers).encode() for r in reports}

    def value_chart(self, report: Analysed, font: str = SCREEN_FONTS) -> str:
        """A won deal's value realized against promised as SVG, from ``value-chart.svg.j2``."""
        assert report.progress and report.progress.periods
        f, env = self.formatter(report.deal, True, isolate=False), self._customer(report.deal, "xml")
        return env.get_template("value-chart.svg.j2").render(c=value_chart(report.progress, f, report.deal.locale), font=font)

    def value(self, report: Analysed, chart: str | None, detail: str = "all") -> str:
        """The Value Report body: promised against realized, with the customer's evidence (customer-facing); with less
        ``detail`` ("drivers", "totals") for a PDF page it does not fit on, saying the rest is on the site's page."""
        chart = chart if report.progress and report.progress.periods else None
        return self._deal("value.md.j2", report, {}, customer=True, chart=chart, detail=detail)

    def value_page(self, report: Analysed, links: dict[str, str | None], chart: str | None, revision: Any = None) -> str:
        body = Markup(self.value(report, chart)) if report.progress else None
        return self._deal("page-value.md.j2", report, links, value=body, revision=revision)

    def summary(self, report: Analysed, chart: str | None) -> str:
        """The Executive Summary body: the key figures and the four sections (customer-facing)."""
        return self._deal("summary.md.j2", report, {}, customer=True, chart=chart)

    def summary_page(self, report: Analysed, links: dict[str, str | None], chart: str | None, revision: Any = None) -> str:
        """The customer's summary (once sent, the version sent; ``revision`` says what moved since) on the internal site."""
        customers = Markup(self.summary(report.customers, chart))
        return self._deal("page-summary.md.j2", report, links, summary=customers, revision=revision)

    def handoff(self, report: Analysed) -> str:
        """The Handoff checklist body (internal): questions, findings, gate, price defense, scale and usage scenarios,
        commercial notes."""
        deal, case = report.deal, report.case
        scenarios, usage = scale_scenarios(deal, case), scale_scenarios(deal, case, "usage")
        return self._deal("handoff.md.j2", report, {}, scenarios=scenarios, usage=usage)

    def handoff_page(self, report: Analysed, links: dict[str, str | None], revision: Any = None) -> str:
        return self._deal("page-handoff.md.j2", report, links, handoff=Markup(self.handoff(report)), revision=revision)

    def numbers_page(self, report: Analysed, links: dict[str, str | None], revision: Any = None) -> str:
        return self._deal("page-numbers.md.j2", report, links, sensitivity=sensitivity(report), revision=revision)

    def invalid_page(self, report: Invalid) -> str:
        return self._render("page-invalid.md.j2", None, report=report)

    def dashboard(self, reports: list[Report], link: Any, reporting: Reporting | None = None) -> str:
        ordered = sorted(reports, key=dashboard.order)
        return self._render(
            "page-dashboard.md.j2",
            None,
            reports=reports,
            rows=[dashboard.row(r, link(r)) for r in ordered],
            risky=[dashboard.row(r, link(r)) for r in ordered if dashboard.at_risk(r)],
            won=[dashboard.won(r, link(r).removesuffix("index.md") + "value.md") for r in ordered if _won(r)],
            pipeline=dashboard.pipeline(reports, reporting),
            bars=dashboard.stage_bars(reports),
            invalid=sum(1 for r in reports if not r.valid),
        )

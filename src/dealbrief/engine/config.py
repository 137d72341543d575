"""Team settings for the lint, read from ``dealbrief.toml`` at the repository root.

```toml
[lint]
jargon = ["latency", "API"]        # replaces the default list
extra_jargon = ["service mesh"]    # added to it
scale_gap_ratio = 10               # DB102: planned / tested at or above this
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import DealbriefError

CONFIG_FILE = "dealbrief.toml"

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


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    lint: _LintSettings = Field(default_factory=_LintSettings)


@dataclass(frozen=True)
class Config:
    """What a team may tune; the defaults are what the SPEC says."""

    jargon: tuple[str, ...] = DEFAULT_JARGON
    scale_gap_ratio: Decimal = Decimal(10)


def load_config(root: Path = Path(".")) -> Config:
    """The settings in ``root/dealbrief.toml``, or the defaults when there is none."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    try:
        settings = _File.model_validate(tomllib.loads(path.read_text(encoding="utf-8"))).lint
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DealbriefError(f"{path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DealbriefError(f"{path}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    return Config(tuple(settings.jargon + settings.extra_jargon), Decimal(settings.scale_gap_ratio))

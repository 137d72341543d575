"""Benchmark `dealbrief check` over N generated deals (a benchmark, not a test).

    .venv/bin/python scripts/bench_check.py [--deals 1000] [--runs 5] [--seed 7]

Deals are varied copies of the examples in deals/ (customer, volumes, prices,
stages, horizons); the command runs as a user runs it, in a subprocess, and the
table reports the wall time of each run and the best.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["discovery", "poc", "technical-win", "handoff", "summary-sent", "closed-won", "closed-lost"]


def varied(template: dict, rng: random.Random, index: int) -> dict:
    deal = yaml.safe_load(yaml.safe_dump(template))  # a deep copy that keeps dates
    deal["customer"] = f"{deal['customer']} {index}"
    deal["costs"]["subscription"] = rng.randrange(50_000, 900_000, 1000)
    for driver in deal.get("value", []):
        for key in ("volume", "rate"):
            if key in driver:
                driver[key] = round(driver[key] * rng.uniform(0.5, 1.5), 2)
    if deal["stage"] in STAGES[2:5] and rng.random() < 0.3:
        deal["stage"] = rng.choice(STAGES[2:5])
    return deal


def generate(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    templates = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "deals").glob("*.yaml"))]
    for index in range(count):
        deal = varied(rng.choice(templates), rng, index)
        (folder / f"deal-{index:05d}.yaml").write_text(yaml.safe_dump(deal, sort_keys=False, allow_unicode=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    dealbrief = shutil.which("dealbrief", path=str(Path(sys.executable).parent)) or "dealbrief"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "deals"
        folder.mkdir()
        generate(folder, args.deals, args.seed)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run([dealbrief, "check", str(folder)], capture_output=True, text=True, cwd=tmp)
            times.append(time.perf_counter() - start)
        summary = done.stdout.strip().splitlines()[-1]
    print(f"dealbrief check, {args.deals} deals, {args.runs} runs (exit {done.returncode}: {summary})")
    print("run  wall (s)")
    for run, seconds in enumerate(times, 1):
        print(f"{run:>3}  {seconds:8.3f}")
    print(f"best {min(times):8.3f}  ({min(times) / args.deals * 1000:.2f} ms per deal, start-up included)")


if __name__ == "__main__":
    main()

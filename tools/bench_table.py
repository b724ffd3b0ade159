#!/usr/bin/env python3
"""Print criterion results as markdown tables with ratios to a baseline, for docs/PERFORMANCE.md.

Packages: Python 3.11, standard library only. Reads target/criterion/<group>/<bench>/new/
estimates.json (criterion 0.5) after `cargo bench -p derisk-peers` and `cargo bench --bench
pricing --bench implied`. Times are per element (the group's throughput, or its recorded element count).
Run: python3 tools/bench_table.py
"""
import json
import pathlib

ROOT = pathlib.Path("target/criterion")
GROUPS = {
    "price_grid_1000": ("derisk", 1000),
    "black_undiscounted_grid_1000": ("derisk", 1000),
    "greeks_grid_1000": ("derisk (price + 14 Greeks)", 1000),
    "implied_grid_1000": ("derisk", 1000),
    "implied_deribit_chain": ("derisk", None),
    "one_option": ("black_scholes_price", 1),
    "batch_1000": ("price_many", 1000),
    "implied_otm_1000": ("implied_black_volatility", 1000),
    "implied_itm_1000": ("implied_black_volatility", 1000),
}


def elements(group, bench):
    """The throughput in elements criterion recorded for the bench (1 when none)."""
    path = ROOT / group / bench / "new" / "benchmark.json"
    return json.loads(path.read_text()).get("throughput", {}).get("Elements", 1)


def read(group, bench):
    path = ROOT / group / bench / "new" / "estimates.json"
    est = json.loads(path.read_text())
    return est["median"]["point_estimate"]


for group, (baseline, per) in GROUPS.items():
    folder = ROOT / group
    if not folder.is_dir():
        continue
    benches = sorted(p.name for p in folder.iterdir() if (p / "new").is_dir())
    per = per or elements(group, baseline)
    base = read(group, baseline) / per
    print(f"\n### {group}\n\n| bench | ns per element | × {baseline} |\n|---|---|---|")
    for b in benches:
        t = read(group, b) / per
        print(f"| {b} | {t:.1f} | {t / base:.2f} |")

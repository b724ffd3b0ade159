#!/usr/bin/env python3
"""Build the small sample data used by the quickstart example (examples/data/).

What it does
  Reads real market data from the shared data folder (read-only) and writes:
    examples/data/btc_option_chain.csv  excerpt of the Deribit BTC option chain
                                        (4 expiries, |ln(K/F)| <= 0.5, two-sided
                                        quotes, 5 strikes each side of F per expiry)
    examples/data/btc_book.csv          made-up 16-position illustrative book on
                                        instruments of that excerpt
    examples/data/btc_daily_close.csv   Date,Close of the full BTC-USD daily series
  then checks the output (book instruments exist in the chain, bid < ask,
  put-call parity on marks in coin, C - P = 1 - K/F) and prints file sizes,
  row counts and the worst parity residual. examples/data/README.md is written
  by hand and documents these files; it is not generated.

Inputs (in the folder given as the only argument)
  deribit-options-2025-12-30.csv  Deribit BTC/ETH option chain, 2025-12-30 17:31:15 UTC
  btc-usd-daily.csv               Yahoo Finance BTC-USD daily OHLC, 2014-09-17..2022-01-24

Rerun (from the repository root; standard library only, Python >= 3.8, deterministic):
  python3 tools/make_example_data.py ../shared/data
"""
import csv
import io
import math
import os
import sys

CHAIN_SRC = "deribit-options-2025-12-30.csv"
DAILY_SRC = "btc-usd-daily.csv"

# Expiries kept (all settle 08:00 UTC). Chosen from the 12 BTC expiries listed at
# the snapshot: nearest with more than 7 days left (weekly, 9.6 d), ~1 month
# (monthly, 30.6 d), ~3 months (quarterly, 86.6 d) and the longest (2026-12-25).
EXPIRIES = ["2026-01-09", "2026-01-30", "2026-03-27", "2026-12-25"]
MAX_ABS_LOG_MONEYNESS = 0.5
N_PER_SIDE = 5   # strikes kept below and above F per expiry (see select_strikes)

CHAIN_COLUMNS = ["instrument", "expiry", "time_to_maturity", "kind", "strike",
                 "forward", "index_price", "bid_coin", "ask_coin", "mark_coin",
                 "mark_iv", "deribit_delta", "open_interest"]

# Illustrative book (made up; not anyone's real positions). Quantity = number of
# options on 1 BTC each, long > 0, short < 0. style: inverse = coin-settled as
# listed on Deribit; usd = the same contract valued as a USD-settled European on F.
BOOK = [
    # 2026-01-09 weekly: short strangle, far OTM call wing, USD-booked long ATM put
    ("BTC-9JAN26-94000-C", "inverse", -10),     # short strangle, call leg
    ("BTC-9JAN26-83000-P", "inverse", -10),     # short strangle, put leg
    ("BTC-9JAN26-104000-C", "inverse", 20),     # far OTM call wing
    ("BTC-9JAN26-89000-P", "usd", 5),
    # 2026-01-30 monthly: 90k/105k call spread, far OTM put wing, USD-booked short ATM call
    ("BTC-30JAN26-90000-C", "inverse", 5),      # call spread, long leg
    ("BTC-30JAN26-105000-C", "inverse", -5),    # call spread, short leg
    ("BTC-30JAN26-55000-P", "inverse", 20),     # far OTM put wing (crash hedge)
    ("BTC-30JAN26-88000-C", "usd", -10),
    # 2026-03-27 quarterly: protective put, short far OTM call wing, short put
    ("BTC-27MAR26-82000-P", "inverse", 2.5),    # protective put on spot BTC held elsewhere
    ("BTC-27MAR26-145000-C", "inverse", -20),   # far OTM call wing
    ("BTC-27MAR26-75000-P", "inverse", -5),
    ("BTC-27MAR26-88000-P", "usd", -5),
    # 2026-12-25: long-dated call, short far OTM call wing, long far OTM put wing
    ("BTC-25DEC26-95000-C", "inverse", 2.5),
    ("BTC-25DEC26-150000-C", "inverse", -5),    # far OTM call wing
    ("BTC-25DEC26-60000-P", "inverse", 10),     # far OTM put wing
    ("BTC-25DEC26-100000-C", "usd", 2.5),
]


def fmt_num(x):
    """Short exact-looking text for a float: strip float noise, drop '.0'."""
    x = round(float(x), 10)
    return str(int(x)) if x == int(x) else repr(x)


def select_strikes(strikes, fwd):
    """Thin strikes to N_PER_SIDE below and N_PER_SIDE above F, deterministic.

    Targets on each side are x_j = x_far * (j / N_PER_SIDE) ** 2, j = 1..N_PER_SIDE,
    in log-moneyness x = ln(K/F), with x_far the farthest listed strike on that
    side: quadratic spacing keeps the at-the-money neighbourhood dense and still
    reaches the extreme wing. Each target takes the nearest strike not yet taken.
    """
    chosen = []
    for side in ([k for k in strikes if k <= fwd], [k for k in strikes if k > fwd]):
        xs = {k: math.log(k / fwd) for k in side}
        x_far = max(xs.values(), key=abs)
        n = min(N_PER_SIDE, len(side))
        for j in range(1, n + 1):
            target = x_far * (j / n) ** 2
            cands = [k for k in side if k not in chosen]
            chosen.append(min(cands, key=lambda k: (abs(xs[k] - target), k)))
    return sorted(chosen)


def build_chain(src_dir):
    with open(os.path.join(src_dir, CHAIN_SRC), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["currency"] == "BTC"]
    out = []
    for exp in EXPIRIES:
        rs = [r for r in rows if r["expiry_datetime"].startswith(exp + "T")]
        assert rs, exp
        assert all(r["expiry_datetime"] == exp + "T08:00:00+00:00" for r in rs)
        keep = [r for r in rs
                if abs(math.log(float(r["strike"]) / float(r["futures_price"])))
                <= MAX_ABS_LOG_MONEYNESS
                and r["bid_price"] != "" and r["ask_price"] != ""]
        by_k = {}
        for r in keep:
            by_k.setdefault(float(r["strike"]), {})[r["option_type"]] = r
        # keep strikes where both the call and the put pass the filters
        ks = [k for k, d in by_k.items() if set(d) == {"call", "put"}]
        fwd = sum(float(r["futures_price"]) for r in keep) / len(keep)
        for k in select_strikes(ks, fwd):
            for kind in ("call", "put"):
                r = by_k[k][kind]
                out.append({
                    "instrument": r["instrument_name"],
                    "expiry": exp,
                    "time_to_maturity": r["time_to_maturity"],
                    "kind": kind,
                    "strike": fmt_num(r["strike"]),
                    "forward": r["futures_price"],
                    "index_price": r["index_price"],
                    "bid_coin": r["bid_price"],
                    "ask_coin": r["ask_price"],
                    "mark_coin": r["mark_price"],
                    "mark_iv": fmt_num(r["implied_volatility"]),
                    "deribit_delta": r["delta"],
                    "open_interest": fmt_num(r["open_interest"]),
                })
    out.sort(key=lambda r: (r["expiry"], float(r["strike"]), r["kind"]))
    return out


def build_daily(src_dir):
    with open(os.path.join(src_dir, DAILY_SRC), newline="") as f:
        return [{"Date": r["Date"], "Close": r["Close"]} for r in csv.DictReader(f)]


def write_csv(path, columns, rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    with open(path, "w", newline="") as f:
        f.write(buf.getvalue())


def verify(chain, book, daily, out_dir):
    names = {r["instrument"]: r for r in chain}
    assert len(names) == len(chain), "duplicate instruments"
    missing = [i for i, _, _ in BOOK if i not in names]
    assert not missing, f"book instruments not in chain: {missing}"
    assert len(book) == 16 and {r["style"] for r in book} <= {"inverse", "usd"}
    assert {names[i]["expiry"] for i, _, _ in BOOK} == set(EXPIRIES)
    for r in chain:
        assert float(r["bid_coin"]) < float(r["ask_coin"]), r["instrument"]
        assert abs(math.log(float(r["strike"]) / float(r["forward"]))) <= MAX_ABS_LOG_MONEYNESS
    worst = (0.0, None)
    by = {}
    for r in chain:
        by.setdefault((r["expiry"], r["strike"]), {})[r["kind"]] = r
    n_pairs = 0
    for (exp, k), d in sorted(by.items()):
        if set(d) != {"call", "put"}:
            continue
        n_pairs += 1
        c, p = d["call"], d["put"]
        fwd = 0.5 * (float(c["forward"]) + float(p["forward"]))
        resid = (float(c["mark_coin"]) - float(p["mark_coin"])) - (1.0 - float(k) / fwd)
        if abs(resid) > abs(worst[0]):
            worst = (resid, f"{exp} K={k}")
    assert abs(worst[0]) < 1e-3, worst
    assert len(daily) == 2687, len(daily)
    print(f"put-call parity on marks: {n_pairs} strike pairs, worst residual "
          f"{worst[0]:+.2e} coin at {worst[1]}")
    for name, n in (("btc_option_chain.csv", len(chain)), ("btc_book.csv", len(book)),
                    ("btc_daily_close.csv", len(daily))):
        size = os.path.getsize(os.path.join(out_dir, name))
        assert size <= 200 * 1024, name
        print(f"{name}: {n} rows, {size} bytes")
    for exp in EXPIRIES:
        rs = [r for r in chain if r["expiry"] == exp]
        print(f"  {exp}: T={float(rs[0]['time_to_maturity']):.5f} y, {len(rs)} rows, strikes "
              + " ".join(sorted({r['strike'] for r in rs}, key=float)))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src_dir = sys.argv[1]
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "data")
    os.makedirs(out_dir, exist_ok=True)
    chain = build_chain(src_dir)
    book = [{"instrument": i, "style": s, "quantity": fmt_num(q)} for i, s, q in BOOK]
    daily = build_daily(src_dir)
    write_csv(os.path.join(out_dir, "btc_option_chain.csv"), CHAIN_COLUMNS, chain)
    write_csv(os.path.join(out_dir, "btc_book.csv"), ["instrument", "style", "quantity"], book)
    write_csv(os.path.join(out_dir, "btc_daily_close.csv"), ["Date", "Close"], daily)
    verify(chain, book, daily, out_dir)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write examples/data/deribit_btc_chain_2025-12-30.csv: every BTC row of the Deribit snapshot.

Python 3.11, standard library only (csv), deterministic. Rerun from the repository root:

    python3 tools/make_chain_excerpt.py ../shared/data

Input  <folder>/deribit-options-2025-12-30.csv (Deribit BTC + ETH option chain at
       2025-12-30T17:31:15.944181Z; provenance in examples/data/README.md).
Output examples/data/deribit_btc_chain_2025-12-30.csv, ALL rows with currency == BTC (630),
       columns instrument,expiry,kind,strike,forward,index,bid,ask,mark,mark_iv:
         instrument  instrument_name (unchanged)
         expiry      expiry_datetime rewritten as 2026-01-09T08:00:00Z
         kind        option_type (call / put)
         strike      strike, USD, written as an integer (all strikes are whole dollars)
         forward     futures_price, USD
         index       index_price, USD
         bid,ask,mark  bid_price, ask_price, mark_price: BTC per option on 1 BTC; empty cell
                     where the source has none
         mark_iv     implied_volatility (decimal)
       Numbers other than the strike are written as Python's shortest round-trip repr of the
       source value, which is the source text itself (the source was written with repr), so
       every value parses to the identical binary64 number.
       Rows sorted by expiry, strike (numeric), kind (call before put).
Checks (printed; the script fails if one does not hold): 630 rows, 12 expiries, one
snapshot timestamp, every strike has a call and a put, no empty mark / mark_iv / forward /
index, file <= 200 KB.
"""
import csv
import os
import sys

SRC = "deribit-options-2025-12-30.csv"
OUT = "examples/data/deribit_btc_chain_2025-12-30.csv"
COLUMNS = ["instrument", "expiry", "kind", "strike", "forward", "index", "bid", "ask", "mark", "mark_iv"]
SNAPSHOT = "2025-12-30T17:31:15.944181+00:00"


def num(text):
    """Shortest round-trip text of the binary64 value of `text` ('' stays '')."""
    text = text.strip()
    if text == "":
        return ""
    return repr(float(text))


def iso_z(text):
    """'2026-01-09T08:00:00+00:00' -> '2026-01-09T08:00:00Z'."""
    assert text.endswith("+00:00"), text
    return text[: -len("+00:00")] + "Z"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 tools/make_chain_excerpt.py <shared data folder>")
    with open(os.path.join(sys.argv[1], SRC), newline="") as fh:
        src = [r for r in csv.DictReader(fh) if r["currency"] == "BTC"]
    stamps = {r["timestamp"] for r in src}
    assert stamps == {SNAPSHOT}, stamps
    out = []
    for r in src:
        k = float(r["strike"])
        assert k == int(k), r["strike"]
        assert r["option_type"] in ("call", "put")
        out.append({
            "instrument": r["instrument_name"],
            "expiry": iso_z(r["expiry_datetime"]),
            "kind": r["option_type"],
            "strike": str(int(k)),
            "forward": num(r["futures_price"]),
            "index": num(r["index_price"]),
            "bid": num(r["bid_price"]),
            "ask": num(r["ask_price"]),
            "mark": num(r["mark_price"]),
            "mark_iv": num(r["implied_volatility"]),
        })
    out.sort(key=lambda r: (r["expiry"], int(r["strike"]), r["kind"]))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(out)

    # checks
    assert len(out) == 630, len(out)
    expiries = sorted({r["expiry"] for r in out})
    assert len(expiries) == 12, expiries
    pairs = {}
    for r in out:
        pairs.setdefault((r["expiry"], r["strike"]), set()).add(r["kind"])
        for c in ("forward", "index", "mark", "mark_iv", "ask"):
            assert r[c] != "", (r["instrument"], c)
    assert all(v == {"call", "put"} for v in pairs.values())
    size = os.path.getsize(OUT)
    assert size <= 200 * 1024, size
    print(f"{OUT}: {len(out)} rows, {len(expiries)} expiries, {len(pairs)} call/put strike pairs, "
          f"{sum(1 for r in out if r['bid'] == '')} rows without bid, {size} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Cut examples/data/btcusdt_perp_1m_2025-10-10.csv from the shared data folder.

Usage: python3 tools/make_cascade_excerpt.py ../shared/data
Source: btc-usdt-perp-1m-2025-10-10.csv (Binance USDⓈ-M BTCUSDT perpetual 1-minute klines; see that
folder's README for provenance and licence). Kept: 20:30Z to 21:40Z, columns open_time_utc, open,
high, low, close, volume_btc, taker_buy_volume_btc, unchanged. Python 3.11 standard library only.
"""
import csv, sys, os
src = os.path.join(sys.argv[1], 'btc-usdt-perp-1m-2025-10-10.csv')
dst = os.path.join(os.path.dirname(__file__), '..', 'examples', 'data', 'btcusdt_perp_1m_2025-10-10.csv')
cols = ['open_time_utc', 'open', 'high', 'low', 'close', 'volume_btc', 'taker_buy_volume_btc']
with open(src) as f, open(dst, 'w', newline='') as g:
    r = csv.DictReader(f); w = csv.writer(g, lineterminator='\n'); w.writerow(cols)
    n = 0
    for row in r:
        if '2025-10-10T20:30Z' <= row['open_time_utc'] <= '2025-10-10T21:40Z':
            w.writerow([row[c] for c in cols]); n += 1
assert n == 71, n
print('wrote', dst, n, 'rows')

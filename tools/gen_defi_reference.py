#!/usr/bin/env python3
"""Reference values for derisk's DeFi liquidation (tests/margin/defi.rs).

An independent re-implementation of the protocols' own integer arithmetic, written from their
Solidity sources (not from derisk):
- Aave v3.3: aave-dao/aave-v3-origin src/contracts/protocol/libraries/logic/LiquidationLogic.sol
  (executeLiquidationCall, _calculateAvailableCollateralToLiquidate), PercentageMath.sol
  (percentMul/percentDiv round half up), prices with 8 decimals, WETH 18 and USDC 6 decimals.
- Compound III: compound-finance/comet contracts/Comet.sol (isLiquidatable, absorbInternal,
  quoteCollateral), FACTOR_SCALE 1e18, price feeds with 8 decimals.
- Maker Liquidations 2.0: makerdao/dss src/dog.sol (bark), src/clip.sol (kick, take, status),
  src/abaci.sol (LinearDecrease, StairstepExponentialDecrease); WAD 1e18, RAY 1e27.
Plain Python 3.11 integers (no packages). Output: tests/data/defi_reference.json.
"""
import json, os

# ---------------- Aave v3.3 ----------------
PCT = 10_000
def percent_mul(v, p):
    return (v * p + PCT // 2) // PCT
def percent_div(v, p):
    return (v * PCT + p // 2) // p

PRICE_DEC = 10**8
MIN_BASE_MAX_CF = 2000 * PRICE_DEC
MIN_LEFTOVER = MIN_BASE_MAX_CF // 2

def aave_case(name, coll_amt, coll_price, lt_bps, bonus_bps, fee_bps, debt_amt, debt_price, debt_to_cover):
    cu, du = 10**18, 10**6  # WETH, USDC
    c = int(round(coll_amt * cu)); d = int(round(debt_amt * du))
    cp = int(round(coll_price * PRICE_DEC)); dp = int(round(debt_price * PRICE_DEC))
    coll_base = c * cp // cu; debt_base = d * dp // du
    hf = (percent_mul(coll_base, lt_bps) * 10**18) // debt_base  # wad
    out = dict(name=name, input=dict(collateral=coll_amt, collateral_price=coll_price,
               liquidation_threshold=lt_bps / PCT, liquidation_bonus=bonus_bps / PCT,
               protocol_fee=fee_bps / PCT, debt=debt_amt, debt_price=debt_price,
               debt_to_cover=debt_to_cover))
    if hf >= 10**18:
        out['expect'] = 'not_liquidatable'; return out
    max_debt = d
    if coll_base >= MIN_BASE_MAX_CF and debt_base >= MIN_BASE_MAX_CF and hf > 95 * 10**16:
        cap = percent_mul(debt_base, 5000)
        if debt_base > cap:
            max_debt = cap * du // dp
    cover = int(round(debt_to_cover * du)) if debt_to_cover is not None else 2**255
    actual_debt = min(cover, max_debt)
    base_coll = (dp * actual_debt * cu) // (cp * du)
    max_coll = percent_mul(base_coll, bonus_bps)
    if max_coll > c:
        coll_amount = c
        debt_needed = percent_div((cp * coll_amount * du) // (dp * cu), bonus_bps)
    else:
        coll_amount = max_coll; debt_needed = actual_debt
    coll_to_liq_base = coll_amount * cp // cu
    fee = 0
    if fee_bps:
        bonus_coll = coll_amount - percent_div(coll_amount, bonus_bps)
        fee = percent_mul(bonus_coll, fee_bps)
        coll_amount -= fee
    actual_debt = debt_needed
    if actual_debt < d and coll_amount + fee < c:
        debt_ok = (d - actual_debt) * dp // du >= MIN_LEFTOVER
        coll_ok = (c - coll_amount) * cp // cu >= MIN_LEFTOVER
        if not (debt_ok and coll_ok):
            out['expect'] = 'dust'; return out
    no_coll_left = coll_base == coll_to_liq_base
    deficit = (d - actual_debt) if no_coll_left else 0
    out['expect'] = dict(debt_repaid=actual_debt / du, collateral_to_liquidator=coll_amount / cu,
                         protocol_fee=fee / cu, deficit=deficit * dp / du / PRICE_DEC,
                         health_factor_before=hf / 10**18)
    return out

aave = [
    aave_case('half close factor (0.95 < HF < 1)', 10.0, 2000.0, 8250, 10500, 1000, 17000.0, 1.0, None),
    aave_case('full close factor (HF <= 0.95)', 10.0, 2000.0, 8250, 10500, 1000, 18000.0, 1.0, None),
    aave_case('partial cover', 10.0, 2000.0, 8250, 10500, 1000, 17000.0, 1.0, 3000.0),
    aave_case('collateral cap: bonus beyond the balance, deficit', 10.0, 1500.0, 8250, 10500, 1000, 16000.0, 1.0, None),
    aave_case('small position: full close factor under 2,000 USD', 1.0, 1500.0, 8250, 10500, 0, 1300.0, 1.0, None),
    aave_case('dust: partial leaves under 1,000 USD of debt', 10.0, 2000.0, 8250, 10500, 1000, 18000.0, 1.0, 17500.0),
    aave_case('healthy', 10.0, 2000.0, 8250, 10500, 1000, 10000.0, 1.0, None),
]

# ---------------- Compound III ----------------
F = 10**18
def comet_case(name, base_balance, base_price, assets, sfpf):
    bs = 10**6  # USDC
    bp = int(round(base_price * PRICE_DEC))
    bal = int(round(base_balance * bs))
    liquidity = bal * bp // bs
    rows = []
    for amt, price, bcf, lcf, lf in assets:
        a = int(round(amt * 10**18)); p = int(round(price * PRICE_DEC))
        rows.append((a, p, int(round(lcf * F)), int(round(lf * F))))
        value = a * p // 10**18
        liquidity += value * int(round(lcf * F)) // F
    out = dict(name=name, input=dict(base_balance=base_balance, base_price=base_price,
               assets=[dict(amount=a[0], price=a[1], borrow_cf=a[2], liquidate_cf=a[3], liquidation_factor=a[4]) for a in assets],
               store_front_price_factor=sfpf))
    if not (bal < 0 and liquidity < 0):
        out['expect'] = 'not_liquidatable'; return out
    delta_value = 0
    proceeds = 0
    sf = int(round(sfpf * F))
    for a, p, lcf, lf in rows:
        value = a * p // 10**18
        delta_value += value * lf // F
        discount = sf * (F - lf) // F
        p_disc = p * (F - discount) // F
        # base bought back for the whole seized amount: inverse of quoteCollateral
        proceeds += a * p_disc // 10**18
    delta_balance = delta_value * bs // bp
    new_bal = max(0, bal + delta_balance)
    out['expect'] = dict(credited=delta_balance / bs, new_base_balance=new_bal / bs,
                         liquidation_liquidity=liquidity / PRICE_DEC,
                         reserves_loss_at_store_front=(-bal + new_bal) / bs - proceeds / PRICE_DEC / base_price)
    # quoteCollateral for 1,000 USDC of the first asset
    a, p, lcf, lf = rows[0]
    discount = sf * (F - lf) // F
    p_disc = p * (F - discount) // F
    out['quote_1000'] = (bp * (1000 * bs) * 10**18 // p_disc // bs) / 10**18
    return out

comet = [
    comet_case('surplus stays with the account', -1850.0, 1.0, [(1.0, 2000.0, 0.83, 0.90, 0.95)], 0.5),
    comet_case('underwater: reserves carry the loss', -3000.0, 1.0, [(1.0, 2000.0, 0.83, 0.90, 0.95), (0.02, 60000.0, 0.70, 0.77, 0.90)], 0.6),
    comet_case('healthy', -1000.0, 1.0, [(1.0, 2000.0, 0.83, 0.90, 0.95)], 0.5),
]

# ---------------- Maker Liquidations 2.0 ----------------
WAD, RAY = 10**18, 10**27
def rmul(x, y): return x * y // RAY
def wmul(x, y): return x * y // WAD
def rpow(x, n, b=RAY):
    # dss's rpow rounds half up at each step (assembly); exponentiation by squaring
    z = b if n % 2 == 0 else x
    half = b // 2
    n //= 2
    while n:
        xx = x * x; x = (xx + half) // b
        if n % 2:
            zx = z * x; z = (zx + half) // b
        n //= 2
    return z

def maker_case(name, ink, art, rate, price, mat, chop, buf, tail, cusp, chip, tip, chost, abacus, takes):
    ink_w = int(round(ink * WAD)); art_w = int(round(art * WAD)); rate_r = int(round(rate * RAY))
    spot = int(round(price / mat * RAY))  # ray, as the spotter computes val/par/mat
    out = dict(name=name, input=dict(ink=ink, art=art, rate=rate, price=price, mat=mat, chop=chop,
               buf=buf, tail=tail, cusp=cusp, chip=chip, tip=tip, chost=chost, abacus=abacus,
               takes=takes))
    if not ink_w * spot < art_w * rate_r:
        out['expect'] = 'not_liquidatable'; return out
    due = art_w * rate_r  # rad
    tab = due * int(round(chop * WAD)) // WAD  # rad
    top = rmul(int(round(price * RAY)), int(round(buf * RAY)))
    coin = int(round(tip * 10**45)) + wmul(tab, int(round(chip * WAD)))
    lot = ink_w
    res = dict(tab=tab / 10**45, top=top / RAY, keeper_incentive=coin / 10**45, takes=[])
    for (elapsed, amt, maxp) in takes:
        kind = abacus['kind']
        if kind == 'linear':
            tau = int(abacus['tau'])
            p = 0 if elapsed >= tau else rmul(top, ((tau - elapsed) * RAY) // tau)
        else:
            cut = int(round(abacus['cut'] * RAY))
            p = rmul(top, rpow(cut, elapsed // int(abacus['step'])))
        done = elapsed > tail or p * RAY // top < int(round(cusp * RAY))
        if done:
            res['takes'].append('needs_reset'); break
        slice_ = min(lot, int(round(amt * WAD)))
        owe = slice_ * p  # rad
        ch = int(round(chost * 10**45))
        if owe > tab:
            owe = tab; slice_ = owe // p
        elif owe < tab and slice_ < lot:
            if tab - owe < ch:
                owe = tab - ch; slice_ = owe // p
        tab -= owe; lot -= slice_
        step = dict(price=p / RAY, collateral=slice_ / WAD, dai=owe / 10**45)
        if lot == 0:
            step.update(ended=True, bad_debt=tab / 10**45, returned=0.0); res['takes'].append(step); break
        if tab == 0:
            step.update(ended=True, bad_debt=0.0, returned=lot / WAD); res['takes'].append(step); break
        step.update(ended=False, tab=tab / 10**45, lot=lot / WAD); res['takes'].append(step)
    out['expect'] = res
    return out

stair = dict(kind='stairstep', step=90, cut=0.99)
maker = [
    maker_case('ETH-A style stairstep, two partial takes then the tab', 10.0, 10000.0, 1.0, 1400.0, 1.45,
               1.13, 1.2, 8400, 0.4, 0.001, 300.0, 7500.0, stair, [(600, 2.0, 1e9), (1800, 3.0, 1e9), (2700, 10.0, 1e9)]),
    maker_case('crash: the lot runs out, bad debt', 10.0, 10000.0, 1.02, 1000.0, 1.5,
               1.13, 1.1, 8400, 0.3, 0.0, 0.0, 0.0, dict(kind='linear', tau=7200), [(3600, 4.0, 1e9), (4000, 6.0, 1e9)]),
    maker_case('safe vault', 10.0, 5000.0, 1.0, 1400.0, 1.45, 1.13, 1.2, 8400, 0.4, 0.0, 0.0, 0.0, stair, []),
]

path = os.path.join(os.path.dirname(__file__), '..', 'tests', 'data', 'defi_reference.json')
with open(path, 'w') as f:
    json.dump(dict(source=__doc__.strip().splitlines()[0], aave=aave, comet=comet, maker=maker), f, indent=1)
print('wrote', path)

//! Margin and liquidation maths for linear and inverse perpetuals and futures, isolated and cross
//! accounts, tiered maintenance margin and collateral haircuts (in progress, see the README's status).

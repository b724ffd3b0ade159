//! GARCH-family conditional volatility: variance recursions, innovations, maximum-likelihood fits
//! with standard errors, forecasts and seeded simulation (in progress, see the README's status).

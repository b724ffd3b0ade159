//! [`ImpliedVolatility`] for the models: each inverts its own price with the kernel's solvers
//! (`crate::black`), on its own market data.

use super::black_scholes::{Black76, BlackScholes};
use super::contract::EuropeanOption;
use super::inverse::InverseBlack76;
use super::traits::ImpliedVolatility;
use crate::black::{
    implied_black76_volatility, implied_black_scholes_volatility, implied_coin_volatility,
    ImpliedVol, ImpliedVolError,
};
use crate::vol::VolSurface;

impl<V: VolSurface> ImpliedVolatility<EuropeanOption> for BlackScholes<V> {
    fn implied_vol(
        &self,
        contract: &EuropeanOption,
        price: f64,
    ) -> Result<ImpliedVol, ImpliedVolError> {
        let m = self.market();
        implied_black_scholes_volatility(
            contract.kind(),
            price,
            m.spot(),
            contract.strike(),
            contract.expiry(),
            m.rate(),
            m.dividend_yield(),
        )
    }
}

impl<V: VolSurface> ImpliedVolatility<EuropeanOption> for Black76<V> {
    fn implied_vol(
        &self,
        contract: &EuropeanOption,
        price: f64,
    ) -> Result<ImpliedVol, ImpliedVolError> {
        implied_black76_volatility(
            contract.kind(),
            price,
            self.forward(),
            contract.strike(),
            contract.expiry(),
            self.rate(),
        )
    }
}

impl<V: VolSurface> ImpliedVolatility<EuropeanOption> for InverseBlack76<V> {
    /// `price` in coin.
    fn implied_vol(
        &self,
        contract: &EuropeanOption,
        price: f64,
    ) -> Result<ImpliedVol, ImpliedVolError> {
        implied_coin_volatility(
            contract.kind(),
            price,
            self.forward(),
            contract.strike(),
            contract.expiry(),
            self.usd_model().rate(),
        )
    }
}

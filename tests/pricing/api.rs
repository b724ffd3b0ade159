//! Every public type is `Send + Sync` (checked at compile time), so models can be shared across
//! threads and held in `Arc`s by downstream risk engines.

use derisk::math::MathError;
use derisk::pricing::{
    Black76, BlackScholes, EuropeanOption, Greeks, InverseBlack76, Market, OptionKind, PricingError,
};
use derisk::vol::{FlatVol, VolError, VolSurface};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<derisk::Error>();
    assert_send_sync::<MathError>();
    assert_send_sync::<PricingError>();
    assert_send_sync::<derisk::pricing::ImpliedVolError>();
    assert_send_sync::<derisk::pricing::ImpliedVol>();
    assert_send_sync::<VolError>();
    assert_send_sync::<OptionKind>();
    assert_send_sync::<EuropeanOption>();
    assert_send_sync::<Market>();
    assert_send_sync::<Greeks>();
    assert_send_sync::<FlatVol>();
    assert_send_sync::<BlackScholes>();
    assert_send_sync::<Black76>();
    assert_send_sync::<InverseBlack76>();
    assert_send_sync::<BlackScholes<std::sync::Arc<dyn VolSurface + Send + Sync>>>();
}

#[test]
fn a_surface_chosen_at_run_time_prices_like_the_static_one() {
    use derisk::pricing::PricingModel;
    let flat = FlatVol::new(0.5).unwrap();
    let market = Market::new(100.0, 0.01, 0.0).unwrap();
    let dynamic: BlackScholes<&dyn VolSurface> = BlackScholes::new(market, &flat);
    let fixed = BlackScholes::new(market, flat);
    let option = EuropeanOption::put(95.0, 0.5).unwrap();
    assert_eq!(
        dynamic.price(&option).unwrap(),
        fixed.price(&option).unwrap()
    );
}

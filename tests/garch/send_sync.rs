//! Every public GARCH type is `Send + Sync` (DESIGN §2).

use derisk::garch::*;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<GarchModel>();
    assert_send_sync::<GarchFit>();
    assert_send_sync::<FitOptions>();
    assert_send_sync::<Convergence>();
    assert_send_sync::<SimulationStart>();
    assert_send_sync::<FitError>();
    assert_send_sync::<Garch>();
    assert_send_sync::<Egarch>();
    assert_send_sync::<Volatility>();
    assert_send_sync::<MeanModel>();
    assert_send_sync::<InnovationFamily>();
    assert_send_sync::<Normal>();
    assert_send_sync::<StudentT>();
    assert_send_sync::<SkewT>();
    assert_send_sync::<AnyInnovation>();
    assert_send_sync::<Ewma>();
    assert_send_sync::<EwmaFit>();
    assert_send_sync::<Simulation>();
    assert_send_sync::<TestStatistic>();
    assert_send_sync::<derisk::math::Minimum>();
    assert_send_sync::<derisk::math::Termination>();
    // And the model moves across threads in practice.
    let m = GarchModel::garch11_t();
    let h = std::thread::spawn(move || m.num_params());
    assert_eq!(h.join().unwrap(), 5);
}

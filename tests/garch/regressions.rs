//! Regression tests of issue 12's GARCH defects, each with the input that triggered it.

//! Regression tests of issue 12, filled in below.

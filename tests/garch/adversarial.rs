//! Adversarial sweep (issue 12).

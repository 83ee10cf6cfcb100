//! Document generation speed (placeholder until written).
fn main() {}

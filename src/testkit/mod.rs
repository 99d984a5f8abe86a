//! Test support compiled only with the `testkit` feature: fakes of the outside services the
//! bot talks to, shared by integration tests, benches and the bench binary.

pub mod discord;

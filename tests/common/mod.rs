//! Shared helpers for the fake Discord integration tests.

pub mod fake_bot;

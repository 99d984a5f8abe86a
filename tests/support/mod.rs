//! Helpers shared by the integration test suites.
pub mod db;

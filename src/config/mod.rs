//! Loads `config/*.toml` and `INTAKEBOT_…` environment overrides into validated core types.

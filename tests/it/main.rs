//! The integration suite: one test binary against real databases, the local Discord server
//! and the real `intakebot` binary. Shared set-up lives in `helpers`.

mod cli_faults;
mod config_check;
mod console_demo;
mod discord_e2e_chat;
mod discord_e2e_faults;
mod discord_e2e_info;
mod discord_e2e_lifecycle;
mod discord_e2e_open;
mod discord_e2e_policy;
mod discord_e2e_sender;
mod fake_discord_bot;
mod fake_discord_gateway;
mod fake_discord_http;
mod helpers;
mod intake_cli;
mod intake_config;
mod intake_fuzz;
mod intake_options;
mod intake_table;
mod ops_run;
mod plans_cli;
mod readme_commands;
mod readme_permissions;
mod rule_coverage;
mod scheduler_faults;
mod scheduler_kill;
mod scheduler_life;
mod sla_cli;
mod sla_clock;
mod sla_config;
mod sla_oracle;
mod store_connect;
mod store_contract;
mod store_crash;

//! `intakebot config check`: loads everything and prints a summary, or the first error.

use crate::config::Config;
use std::io::Write;

pub fn summary(config: &Config, out: &mut impl Write) -> std::io::Result<()> {
    let on_prem = config.catalog.products.iter().filter(|p| !p.is_cloud()).count();
    let cloud = config.catalog.products.len() - on_prem;
    let versions: usize = config.catalog.products.iter().map(|p| p.versions.len()).sum();
    writeln!(out, "config {}: ok", config.dir.display())?;
    writeln!(
        out,
        "  products: {} ({on_prem} on-premises, {cloud} cloud), {versions} versions",
        config.catalog.products.len()
    )?;
    let plans: Vec<&str> = config.policy.plans.keys().map(|p| p.as_str()).collect();
    writeln!(out, "  plans: {}", plans.join(", "))?;
    writeln!(out, "  calendars: {}", config.calendars.names().join(", "))?;
    writeln!(
        out,
        "  organisations: {}",
        config
            .app
            .organisations
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(
        out,
        "  database: {}",
        crate::config::redact_url(&config.app.database.url)
    )?;
    Ok(())
}

//! `catalog.toml`: product families and versions with their lifecycle dates (P-LIFE-1).

use super::error::ConfigError;
use chrono::NaiveDate;
use intakebot_core::catalog::{Catalog, Deployment, Product, Version};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    products: Vec<ProductEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductEntry {
    key: String,
    name: String,
    deployment: DeploymentEntry,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    versions: Vec<VersionEntry>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum DeploymentEntry {
    OnPremises,
    Cloud,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionEntry {
    name: String,
    released: String,
    /// Overrides the default end of mainstream (release + 5 years − 1 day), inclusive.
    #[serde(default)]
    mainstream_last_day: Option<String>,
    /// Overrides the default end of extended support (release + 10 years − 1 day), inclusive.
    #[serde(default)]
    extended_last_day: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

impl CatalogFile {
    pub fn validate(self, file: &Path) -> Result<Catalog, ConfigError> {
        if self.products.is_empty() {
            return Err(ConfigError::invalid(
                file,
                "products",
                "no product: list at least one [[products]] entry (nothing could be opened)",
            ));
        }
        let mut keys = HashSet::new();
        let mut products = Vec::with_capacity(self.products.len());
        for (i, entry) in self.products.into_iter().enumerate() {
            let at = format!("products[{i}]");
            if entry.key.trim().is_empty() || entry.name.trim().is_empty() {
                return Err(ConfigError::invalid(file, at, "a product needs a key and a name"));
            }
            if !keys.insert(entry.key.to_ascii_lowercase()) {
                return Err(ConfigError::invalid(
                    file,
                    format!("{at}.key"),
                    format!("duplicate product key {:?}", entry.key),
                ));
            }
            products.push(product(file, &at, entry)?);
        }
        Ok(Catalog { products })
    }
}

fn product(file: &Path, at: &str, entry: ProductEntry) -> Result<Product, ConfigError> {
    if entry.versions.is_empty() {
        return Err(ConfigError::invalid(
            file,
            format!("{at}.versions"),
            format!("product {:?} has no versions; list at least one", entry.key),
        ));
    }
    let deployment = match entry.deployment {
        DeploymentEntry::OnPremises => Deployment::OnPremises,
        DeploymentEntry::Cloud => Deployment::Cloud,
    };
    let mut names = HashSet::new();
    let mut versions = Vec::with_capacity(entry.versions.len());
    for (j, v) in entry.versions.into_iter().enumerate() {
        let vat = format!("{at}.versions[{j}]");
        if !names.insert(v.name.to_ascii_lowercase()) {
            return Err(ConfigError::invalid(
                file,
                format!("{vat}.name"),
                format!("duplicate version {:?}", v.name),
            ));
        }
        versions.push(version(file, &vat, deployment, v)?);
    }
    versions.sort_by_key(|v| v.released);
    Ok(Product {
        key: entry.key,
        name: entry.name,
        deployment,
        aliases: entry.aliases,
        versions,
    })
}

fn version(file: &Path, at: &str, deployment: Deployment, v: VersionEntry) -> Result<Version, ConfigError> {
    let released = date(file, &format!("{at}.released"), &v.released)?;
    // Cloud services are evergreen unless the catalog gives dates.
    let mut out = match deployment {
        Deployment::OnPremises => Version::with_default_lifecycle(&v.name, released),
        Deployment::Cloud => Version {
            name: v.name.clone(),
            released,
            mainstream_last_day: NaiveDate::MAX,
            extended_last_day: NaiveDate::MAX,
            aliases: Vec::new(),
        },
    };
    if let Some(d) = &v.mainstream_last_day {
        out.mainstream_last_day = date(file, &format!("{at}.mainstream_last_day"), d)?;
    }
    if let Some(d) = &v.extended_last_day {
        out.extended_last_day = date(file, &format!("{at}.extended_last_day"), d)?;
    }
    if out.mainstream_last_day < released {
        return Err(ConfigError::invalid(
            file,
            format!("{at}.mainstream_last_day"),
            "ends before the version is released",
        ));
    }
    if out.extended_last_day < out.mainstream_last_day {
        return Err(ConfigError::invalid(
            file,
            format!("{at}.extended_last_day"),
            "ends before mainstream support ends",
        ));
    }
    out.aliases = v.aliases;
    Ok(out)
}

/// Dates are written as TOML dates (2019-11-04) or strings; they arrive here as text.
fn date(file: &Path, key: &str, value: &str) -> Result<NaiveDate, ConfigError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        ConfigError::invalid(
            file,
            key,
            format!("{value:?} is not a valid date; write it like 2019-11-04"),
        )
    })
}

//! The product catalog: families, versions and their lifecycle (P-LIFE-1).

use chrono::{Months, NaiveDate};
use serde::Serialize;
use std::fmt;

/// Where a version stands in its lifecycle on a given day (P-LIFE-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LifecyclePhase {
    /// Released later than the day asked about.
    Unreleased,
    Mainstream,
    Extended,
    Out,
}

impl LifecyclePhase {
    pub fn as_str(self) -> &'static str {
        match self {
            LifecyclePhase::Unreleased => "unreleased",
            LifecyclePhase::Mainstream => "mainstream",
            LifecyclePhase::Extended => "extended",
            LifecyclePhase::Out => "out",
        }
    }
}

impl fmt::Display for LifecyclePhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One version of a product, with the last day of each support phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub name: String,
    pub released: NaiveDate,
    /// Last day of mainstream support (inclusive).
    pub mainstream_last_day: NaiveDate,
    /// Last day of extended support (inclusive).
    pub extended_last_day: NaiveDate,
    pub aliases: Vec<String>,
}

impl Version {
    /// Default dates of P-LIFE-1: five years of mainstream, then five of extended.
    /// (reading) "The first five years" ends the day before the fifth anniversary.
    pub fn with_default_lifecycle(name: &str, released: NaiveDate) -> Version {
        Version {
            name: name.to_string(),
            released,
            mainstream_last_day: years_later(released, 5).pred_opt().expect("date in range"),
            extended_last_day: years_later(released, 10).pred_opt().expect("date in range"),
            aliases: Vec::new(),
        }
    }

    pub fn phase_on(&self, day: NaiveDate) -> LifecyclePhase {
        if day < self.released {
            LifecyclePhase::Unreleased
        } else if day <= self.mainstream_last_day {
            LifecyclePhase::Mainstream
        } else if day <= self.extended_last_day {
            LifecyclePhase::Extended
        } else {
            LifecyclePhase::Out
        }
    }
}

/// Adds whole years; 29 February becomes 28 February in a non-leap year.
pub fn years_later(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_add_months(Months::new(12 * years)).expect("date in range")
}

/// Whether a product is installed by the customer or run as a cloud service (P-CLOUD-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Deployment {
    OnPremises,
    Cloud,
}

/// A product family ("SQL Server") with its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Stable key used in config and commands, e.g. `sql-server`.
    pub key: String,
    pub name: String,
    pub deployment: Deployment,
    pub aliases: Vec<String>,
    /// Sorted by release date, oldest first.
    pub versions: Vec<Version>,
}

impl Product {
    pub fn is_cloud(&self) -> bool {
        self.deployment == Deployment::Cloud
    }

    pub fn version(&self, name: &str) -> Option<&Version> {
        let wanted = name.trim();
        self.versions
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(wanted) || v.aliases.iter().any(|a| a.eq_ignore_ascii_case(wanted)))
    }

    /// The versions released on or before `day`, newest first: index 0 is the
    /// current version (N), index 1 the previous one (N-1), and so on.
    pub fn released_newest_first(&self, day: NaiveDate) -> impl Iterator<Item = &Version> {
        self.versions.iter().rev().filter(move |v| v.released <= day)
    }

    /// How many releases behind the current one `version` is on `day` (0 = current).
    pub fn generations_behind(&self, version: &Version, day: NaiveDate) -> Option<usize> {
        self.released_newest_first(day).position(|v| v.name == version.name)
    }
}

/// The whole catalog, validated at load (unique keys, at least one version each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub products: Vec<Product>,
}

impl Catalog {
    /// Finds a product by key, name or alias, ignoring case.
    pub fn product(&self, name: &str) -> Option<&Product> {
        let wanted = name.trim();
        self.products.iter().find(|p| {
            p.key.eq_ignore_ascii_case(wanted)
                || p.name.eq_ignore_ascii_case(wanted)
                || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(wanted))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    // P-LIFE-1: five years mainstream, five extended, then out; boundaries exact.
    #[test]
    fn default_lifecycle_boundaries_are_exact() {
        let v = Version::with_default_lifecycle("2019", d(2019, 11, 4));
        assert_eq!(v.phase_on(d(2019, 11, 3)), LifecyclePhase::Unreleased);
        assert_eq!(v.phase_on(d(2019, 11, 4)), LifecyclePhase::Mainstream);
        assert_eq!(v.phase_on(d(2024, 11, 3)), LifecyclePhase::Mainstream);
        assert_eq!(v.phase_on(d(2024, 11, 4)), LifecyclePhase::Extended);
        assert_eq!(v.phase_on(d(2029, 11, 3)), LifecyclePhase::Extended);
        assert_eq!(v.phase_on(d(2029, 11, 4)), LifecyclePhase::Out);
    }

    #[test]
    fn leap_day_release_anniversary_falls_back_to_28_february() {
        assert_eq!(years_later(d(2020, 2, 29), 1), d(2021, 2, 28));
    }
}

//! `policy.toml`: severities, plans, scope exclusions, pointers and intake patterns.

use super::error::ConfigError;
use intakebot_core::intake::IntakePatternsFile;
use intakebot_core::plan::{PlanId, SignInKind};
use intakebot_core::policy::{Localized, PlanFamily, PlanRule, Pointers, Policy, ScopeExclusion, SeverityRule};
use intakebot_core::severity::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    severities: BTreeMap<String, SeverityEntry>,
    plans: BTreeMap<String, PlanEntry>,
    exclusions: BTreeMap<String, Localized>,
    pointers: PointersEntry,
    #[serde(default)]
    pub intake: IntakePatternsFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeverityEntry {
    first_response_hours: u32,
    allows_24x7: bool,
    meaning: Localized,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum FamilyEntry {
    Professional,
    PartnerPack,
    Signature,
    AdvancedPartner,
    SignatureCloud,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanEntry {
    name: Localized,
    family: FamilyEntry,
    units: u32,
    #[serde(default)]
    expires_after_months: Option<u32>,
    owner_only: bool,
    n_minus_one: bool,
    mainstream_only: bool,
    covers_on_premises: bool,
    covers_cloud: bool,
    sign_in: Vec<SignInKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PointersEntry {
    billing: String,
    tax_exemption: String,
    signature_cloud: String,
    pay_per_incident: String,
    personal_account: String,
}

/// The exclusion keys the intake grammar and the replies know (P-SCOPE-1).
pub const EXCLUSION_KEYS: [&str; 5] = [
    "feature-suggestion",
    "on-site",
    "root-cause-analysis",
    "custom-code",
    "office-dev",
];

impl PolicyFile {
    pub fn validate(self, file: &Path) -> Result<Policy, ConfigError> {
        Ok(Policy {
            severities: severities(file, self.severities)?,
            plans: plans(file, self.plans)?,
            exclusions: exclusions(file, self.exclusions)?,
            pointers: pointers(file, self.pointers)?,
        })
    }
}

fn severities(
    file: &Path,
    entries: BTreeMap<String, SeverityEntry>,
) -> Result<BTreeMap<Severity, SeverityRule>, ConfigError> {
    let mut out = BTreeMap::new();
    for (key, entry) in entries {
        let severity: Severity = key
            .parse()
            .map_err(|e| ConfigError::invalid(file, format!("severities.{key}"), format!("{e}")))?;
        if entry.first_response_hours == 0 {
            return Err(ConfigError::invalid(
                file,
                format!("severities.{key}.first_response_hours"),
                "must be at least 1",
            ));
        }
        out.insert(
            severity,
            SeverityRule {
                severity,
                first_response_hours: entry.first_response_hours,
                allows_24x7: entry.allows_24x7,
                meaning: entry.meaning,
            },
        );
    }
    for severity in Severity::ALL {
        if !out.contains_key(&severity) {
            return Err(ConfigError::invalid(
                file,
                format!("severities.{severity}"),
                "missing: every severity A, B and C needs a target",
            ));
        }
    }
    Ok(out)
}

fn plans(file: &Path, entries: BTreeMap<String, PlanEntry>) -> Result<BTreeMap<PlanId, PlanRule>, ConfigError> {
    let mut out = BTreeMap::new();
    for (key, entry) in entries {
        let at = |field: &str| format!("plans.{key}.{field}");
        let id: PlanId = key
            .parse()
            .map_err(|e| ConfigError::invalid(file, format!("plans.{key}"), format!("{e}")))?;
        if entry.units == 0 {
            return Err(ConfigError::invalid(file, at("units"), "a plan grants at least 1 unit"));
        }
        if entry.sign_in.is_empty() {
            return Err(ConfigError::invalid(
                file,
                at("sign_in"),
                "list at least one sign-in kind (personal, work)",
            ));
        }
        if !entry.covers_cloud && !entry.covers_on_premises {
            return Err(ConfigError::invalid(
                file,
                at("covers_cloud"),
                "the plan covers neither cloud nor on-premises products",
            ));
        }
        if entry.expires_after_months == Some(0) {
            return Err(ConfigError::invalid(
                file,
                at("expires_after_months"),
                "must be at least 1 (leave it out for no expiry)",
            ));
        }
        out.insert(
            id,
            PlanRule {
                id,
                name: entry.name,
                family: match entry.family {
                    FamilyEntry::Professional => PlanFamily::Professional,
                    FamilyEntry::PartnerPack => PlanFamily::PartnerPack,
                    FamilyEntry::Signature => PlanFamily::Signature,
                    FamilyEntry::AdvancedPartner => PlanFamily::AdvancedPartner,
                    FamilyEntry::SignatureCloud => PlanFamily::SignatureCloud,
                },
                units: entry.units,
                expires_after_months: entry.expires_after_months,
                owner_only: entry.owner_only,
                n_minus_one: entry.n_minus_one,
                mainstream_only: entry.mainstream_only,
                covers_on_premises: entry.covers_on_premises,
                covers_cloud: entry.covers_cloud,
                sign_in: entry.sign_in,
            },
        );
    }
    if let Some(missing) = PlanId::ALL.into_iter().find(|p| !out.contains_key(p)) {
        return Err(ConfigError::invalid(
            file,
            format!("plans.{missing}"),
            "missing: every plan id needs an entry",
        ));
    }
    Ok(out)
}

fn exclusions(file: &Path, entries: BTreeMap<String, Localized>) -> Result<Vec<ScopeExclusion>, ConfigError> {
    for key in entries.keys() {
        if !EXCLUSION_KEYS.contains(&key.as_str()) {
            return Err(ConfigError::invalid(
                file,
                format!("exclusions.{key}"),
                format!("unknown exclusion; known: {}", EXCLUSION_KEYS.join(", ")),
            ));
        }
    }
    if let Some(missing) = EXCLUSION_KEYS.iter().find(|k| !entries.contains_key(**k)) {
        return Err(ConfigError::invalid(
            file,
            format!("exclusions.{missing}"),
            "missing: name every exclusion in en and no",
        ));
    }
    Ok(entries
        .into_iter()
        .map(|(key, name)| ScopeExclusion { key, name })
        .collect())
}

fn pointers(file: &Path, p: PointersEntry) -> Result<Pointers, ConfigError> {
    for (key, value) in [
        ("billing", &p.billing),
        ("tax_exemption", &p.tax_exemption),
        ("signature_cloud", &p.signature_cloud),
        ("pay_per_incident", &p.pay_per_incident),
        ("personal_account", &p.personal_account),
    ] {
        match url::Url::parse(value) {
            Ok(u) if u.scheme() == "https" || u.scheme() == "http" => {}
            _ => {
                return Err(ConfigError::invalid(
                    file,
                    format!("pointers.{key}"),
                    format!("{value:?} is not an http(s) URL"),
                ))
            }
        }
    }
    Ok(Pointers {
        billing: p.billing,
        tax_exemption: p.tax_exemption,
        signature_cloud: p.signature_cloud,
        pay_per_incident: p.pay_per_incident,
        personal_account: p.personal_account,
    })
}

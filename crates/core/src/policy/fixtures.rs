//! A policy and catalog for unit tests, mirroring the shipped `config/` values.

use super::config::*;
use crate::catalog::{Deployment, Product, Version};
use crate::entitlement::Entitlement;
use crate::ids::{AccountId, EntitlementId, OrderNumber, OrgId};
use crate::plan::{PlanId, SignInKind};
use crate::severity::Severity;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn at(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
}

fn text(s: &str) -> Localized {
    Localized {
        en: s.to_string(),
        no: s.to_string(),
    }
}

fn plan(id: PlanId, family: PlanFamily, units: u32) -> PlanRule {
    let partner = family == PlanFamily::PartnerPack;
    PlanRule {
        id,
        name: text(id.as_str()),
        family,
        units,
        expires_after_months: matches!(id, PlanId::FivePack).then_some(12),
        owner_only: id == PlanId::FivePack,
        n_minus_one: partner,
        mainstream_only: partner,
        covers_on_premises: family != PlanFamily::SignatureCloud,
        covers_cloud: family == PlanFamily::SignatureCloud,
        sign_in: if id == PlanId::PayPerIncident {
            vec![SignInKind::Personal]
        } else {
            vec![SignInKind::Personal, SignInKind::Work]
        },
    }
}

pub fn policy() -> Policy {
    let severity = |severity, hours, allows_24x7| SeverityRule {
        severity,
        first_response_hours: hours,
        allows_24x7,
        meaning: text("impact"),
    };
    let plans = [
        plan(PlanId::PayPerIncident, PlanFamily::Professional, 1),
        plan(PlanId::FivePack, PlanFamily::Professional, 5),
        plan(PlanId::PartnerGold20, PlanFamily::PartnerPack, 20),
        plan(PlanId::PartnerSilver15, PlanFamily::PartnerPack, 15),
        plan(PlanId::PartnerMaps10, PlanFamily::PartnerPack, 10),
        plan(PlanId::Signature, PlanFamily::Signature, 50),
        plan(PlanId::AdvancedPartner, PlanFamily::AdvancedPartner, 25),
        plan(PlanId::SignatureCloud, PlanFamily::SignatureCloud, 50),
    ];
    Policy {
        severities: [
            severity(Severity::A, 2, true),
            severity(Severity::B, 4, false),
            severity(Severity::C, 8, false),
        ]
        .into_iter()
        .map(|s| (s.severity, s))
        .collect(),
        plans: plans.into_iter().map(|p| (p.id, p)).collect(),
        exclusions: Vec::new(),
        pointers: Pointers {
            billing: "https://billing.example".into(),
            tax_exemption: "https://tax.example".into(),
            signature_cloud: "https://cloud.example".into(),
            pay_per_incident: "https://ppi.example".into(),
            personal_account: "https://personal.example".into(),
        },
    }
}

fn version(name: &str, released: NaiveDate, mainstream_last_day: NaiveDate, extended_last_day: NaiveDate) -> Version {
    Version {
        name: name.into(),
        released,
        mainstream_last_day,
        extended_last_day,
        aliases: Vec::new(),
    }
}

/// SQL Server with real dates: on 2026-11-23, 2025 is current, 2022 mainstream, 2019 and
/// 2017 extended, 2016 out.
pub fn sql_server() -> Product {
    Product {
        key: "sql-server".into(),
        name: "SQL Server".into(),
        deployment: Deployment::OnPremises,
        aliases: vec!["sql".into()],
        versions: vec![
            version("2016", d(2016, 6, 1), d(2021, 7, 13), d(2026, 7, 14)),
            version("2017", d(2017, 9, 29), d(2022, 10, 11), d(2027, 10, 12)),
            version("2019", d(2019, 11, 4), d(2025, 2, 28), d(2030, 1, 8)),
            version("2022", d(2022, 11, 16), d(2028, 1, 11), d(2033, 1, 11)),
            version("2025", d(2025, 11, 18), d(2030, 11, 17), d(2035, 11, 17)),
        ],
    }
}

/// Windows Server: on 2026-11-23, 2025 is current and 2022 (N-1) has just left mainstream.
pub fn windows_server() -> Product {
    Product {
        key: "windows-server".into(),
        name: "Windows Server".into(),
        deployment: Deployment::OnPremises,
        aliases: Vec::new(),
        versions: vec![
            version("2019", d(2018, 11, 13), d(2024, 1, 9), d(2029, 1, 9)),
            version("2022", d(2021, 8, 18), d(2026, 10, 13), d(2031, 10, 14)),
            version("2025", d(2024, 11, 1), d(2029, 10, 9), d(2034, 10, 10)),
        ],
    }
}

pub fn azure_sql() -> Product {
    Product {
        key: "azure-sql-database".into(),
        name: "Azure SQL Database".into(),
        deployment: Deployment::Cloud,
        aliases: Vec::new(),
        versions: vec![version("current", d(2010, 2, 1), NaiveDate::MAX, NaiveDate::MAX)],
    }
}

pub fn entitlement(id: i64, plan: PlanId, units_left: u32, purchased_on: NaiveDate, owner: &str) -> Entitlement {
    let rule = policy().plan(plan).clone();
    Entitlement {
        id: EntitlementId(id),
        plan,
        organisation: OrgId::new("contoso"),
        units_left,
        purchased_on,
        expires_on: super::expiry_for(&rule, purchased_on),
        owner: AccountId::new(owner),
        order_number: OrderNumber::new(format!("ORD-{id}")),
    }
}

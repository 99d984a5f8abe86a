//! Opening an incident: resolve the product, decide with the policy, compute the deadline on
//! the organisation's calendar, plan its notices, and write it all in one store transaction.

use super::error::AppError;
use super::member::Member;
use super::notices;
use super::App;
use crate::core::catalog::{Product, Version};
use crate::core::entitlement::Entitlement;
use crate::core::ids::{AccountId, EntitlementId, OrgId};
use crate::core::language::Language;
use crate::core::policy::{decide, Clock, Decision, Requester, SlaRequest, Subject};
use crate::core::reminders::first_response_notices;
use crate::core::rules::RuleId;
use crate::core::severity::{Coverage, Severity};
use crate::store::{Incident, IncidentFlag, NewIncident, Opened, SourceId};
use chrono::{DateTime, Duration, Utc};

/// A request to open an incident, from a slash command, a modal or a complete chat message.
#[derive(Debug, Clone)]
pub struct OpenRequest {
    /// The Discord interaction or message id: the same source opens one incident only.
    pub source: SourceId,
    pub member: Member,
    pub product: String,
    pub version: String,
    pub severity: Severity,
    pub coverage: Coverage,
    /// The customer's contact who is on call around the clock (P-SEV-5).
    pub on_call: Option<AccountId>,
    /// The entitlement the member chose; the soonest-expiring usable one when absent.
    pub entitlement: Option<EntitlementId>,
    pub title: String,
    /// The agreed problem definition (P-CLOSE-1).
    pub problem: String,
    /// A scope exclusion matched only loosely: open, but flag it for the engineer (P-SCOPE-1).
    pub borderline_exclusion: Option<String>,
}

/// A product version resolved from the catalog.
#[derive(Debug, Clone)]
pub struct ResolvedProduct {
    pub product: Product,
    pub version: Version,
}

#[derive(Debug)]
pub enum OpenOutcome {
    Opened(Box<OpenedIncident>),
    /// This source already opened an incident: nothing new was written or spent.
    AlreadyOpened(Box<Incident>),
    /// No entitlement can be used: every reason, and where the policy points.
    Refused(Box<Refusal>),
}

#[derive(Debug)]
pub struct OpenedIncident {
    pub incident: Incident,
    pub product: ResolvedProduct,
    pub decision: Decision,
    /// The entitlement charged, with its units after this incident.
    pub charged: Entitlement,
}

#[derive(Debug)]
pub struct Refusal {
    pub product: ResolvedProduct,
    pub decision: Decision,
}

impl App {
    pub fn resolve_product(&self, product: &str, version: &str, lang: Language) -> Result<ResolvedProduct, AppError> {
        crate::cli::plans::resolve(&self.config.catalog, product, version)
            .map(|(p, v)| ResolvedProduct {
                product: p.clone(),
                version: v.clone(),
            })
            .map_err(|e| AppError::user(localize_resolve_error(&e.to_string(), lang)))
    }

    pub async fn open_incident(&self, req: OpenRequest, now: DateTime<Utc>) -> Result<OpenOutcome, AppError> {
        let lang = req.member.language;
        if let Some(existing) = self.store.incident_by_source(&req.source).await? {
            return Ok(OpenOutcome::AlreadyOpened(Box::new(existing)));
        }
        let organisation = req
            .member
            .organisation
            .clone()
            .ok_or_else(|| AppError::user(not_a_customer(lang)))?;
        // A concurrent open may take the last unit of the pack chosen here; unless the member
        // named the pack, decide again (the next pack, or a refusal) instead of failing.
        let mut attempts_left = 3;
        let (resolved, decision, stored) = loop {
            let (resolved, decision) = self.evaluate(&req, now).await?;
            if decision.is_refused() {
                metrics::counter!(crate::ops::metrics::INCIDENTS_REFUSED).increment(1);
                return Ok(OpenOutcome::Refused(Box::new(Refusal {
                    product: resolved,
                    decision,
                })));
            }
            let charged = choose_entitlement(&decision, req.entitlement, lang)?.clone();
            let new = self.new_incident(&req, &organisation, &resolved, &decision, &charged, now)?;
            attempts_left -= 1;
            match self.store.open_incident(&new).await {
                Err(crate::store::StoreError::NoUnitsLeft(_)) if req.entitlement.is_none() && attempts_left > 0 => {
                    continue
                }
                result => break (resolved, decision, (result, charged)),
            }
        };
        let (result, charged) = stored;
        match result.map_err(|e| super::store_user_error(e, lang))? {
            Opened::AlreadyOpened(incident) => Ok(OpenOutcome::AlreadyOpened(Box::new(incident))),
            Opened::New(incident) => {
                metrics::counter!(crate::ops::metrics::INCIDENTS_OPENED, "severity" => incident.severity.as_str())
                    .increment(1);
                let charged = self.store.entitlement(charged.id).await?.unwrap_or(charged);
                Ok(OpenOutcome::Opened(Box::new(OpenedIncident {
                    incident,
                    product: resolved,
                    decision,
                    charged,
                })))
            }
        }
    }

    /// The policy's decision on a request, writing nothing (front ends refuse early with it).
    pub async fn evaluate(
        &self,
        req: &OpenRequest,
        now: DateTime<Utc>,
    ) -> Result<(ResolvedProduct, Decision), AppError> {
        let lang = req.member.language;
        let organisation = req
            .member
            .organisation
            .clone()
            .ok_or_else(|| AppError::user(not_a_customer(lang)))?;
        let resolved = self.resolve_product(&req.product, &req.version, lang)?;
        let held = self.store.list_entitlements(&organisation).await?;
        let decision = self.decide(&resolved, req, &held, now);
        Ok((resolved, decision))
    }

    fn decide(
        &self,
        resolved: &ResolvedProduct,
        req: &OpenRequest,
        held: &[Entitlement],
        now: DateTime<Utc>,
    ) -> Decision {
        let subject = Subject {
            product: &resolved.product,
            version: &resolved.version,
        };
        let requester = Requester {
            account: req.member.account.clone(),
            sign_in: req.member.sign_in,
        };
        let sla = SlaRequest {
            severity: req.severity,
            coverage: req.coverage,
            has_on_call_contact: req.on_call.is_some(),
        };
        decide(&self.config.policy, subject, &requester, held, sla, now)
    }

    fn new_incident(
        &self,
        req: &OpenRequest,
        organisation: &OrgId,
        resolved: &ResolvedProduct,
        decision: &Decision,
        charged: &Entitlement,
        now: DateTime<Utc>,
    ) -> Result<NewIncident, AppError> {
        let plan = self.sla_plan(organisation, decision.target.severity, decision.target.clock, now)?;
        let mut rules = decision.target.rules();
        rules.extend([RuleId::Inc2, RuleId::Close1, RuleId::Plan6]);
        Ok(NewIncident {
            source: req.source.clone(),
            organisation: organisation.clone(),
            requester: req.member.account.clone(),
            entitlement: charged.id,
            product: resolved.product.name.clone(),
            version: resolved.version.name.clone(),
            severity: decision.target.severity,
            coverage: decision.target.coverage,
            title: req.title.clone(),
            problem: req.problem.clone(),
            language: req.member.language.as_str().to_string(),
            flags: req
                .borderline_exclusion
                .iter()
                .map(|_| IncidentFlag::BorderlineScope)
                .collect(),
            opened_at: now,
            first_response_due: plan.deadline,
            rules,
            notifications: notices::incident_rows(&req.source, &plan.notices),
        })
    }
}

/// The entitlement to charge: the member's choice if it is usable, else the soonest-expiring.
fn choose_entitlement(
    decision: &Decision,
    chosen: Option<EntitlementId>,
    lang: Language,
) -> Result<&Entitlement, AppError> {
    let Some(id) = chosen else {
        return decision
            .default_entitlement()
            .ok_or_else(|| AppError::user(lang.pick("No plan can be used.", "Ingen plan kan brukes.")));
    };
    if let Some(usable) = decision.usable.iter().find(|e| e.id == id) {
        return Ok(usable);
    }
    let why = decision
        .unusable
        .iter()
        .find(|u| u.entitlement.id == id)
        .map(|u| {
            u.why
                .reasons
                .iter()
                .map(|r| r.explain(lang))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_else(|| {
            lang.pick(
                "it is not one of your organisation's plans",
                "den hører ikke til organisasjonen din",
            )
            .to_string()
        });
    Err(AppError::user(match lang {
        Language::En => format!("That plan cannot be used for this request: {why}. Pick another plan."),
        Language::No => format!("Den planen kan ikke brukes for denne saken: {why}. Velg en annen plan."),
    }))
}

/// The first-response deadline and the notices before and at it.
pub struct SlaPlan {
    pub deadline: DateTime<Utc>,
    pub notices: Vec<crate::core::reminders::Notice>,
}

impl App {
    /// Plans the first-response clock of an incident of `organisation` opened at `opened_at`.
    pub fn sla_plan(
        &self,
        organisation: &OrgId,
        severity: Severity,
        clock: Clock,
        opened_at: DateTime<Utc>,
    ) -> Result<SlaPlan, AppError> {
        let hours = self.config.policy.severity(severity).first_response_hours;
        let target = Duration::hours(i64::from(hours));
        let calendar = self.calendar_of(organisation);
        let deadline = match clock {
            Clock::ClockHours => opened_at + target,
            Clock::BusinessHours => crate::core::sla::deadline(calendar, opened_at, target)
                .map_err(|e| AppError::user(format!("the first-response deadline cannot be computed: {e}")))?,
        };
        // Reminders fall between opening and the deadline, so they are inside the calendar's
        // range whenever the deadline is; the fallback never applies.
        let advance = |t: DateTime<Utc>, d: Duration| match clock {
            Clock::ClockHours => t + d,
            Clock::BusinessHours => crate::core::sla::deadline(calendar, t, d).unwrap_or(deadline),
        };
        let settings = &self.reminders.severities[&severity];
        Ok(SlaPlan {
            deadline,
            notices: first_response_notices(settings, opened_at, target, advance),
        })
    }

    /// The incident's clock moved forward by `d` (for escalations); `None` past the calendar's range.
    pub fn advance_on_clock(
        &self,
        organisation: &OrgId,
        coverage: Coverage,
        t: DateTime<Utc>,
        d: Duration,
    ) -> Option<DateTime<Utc>> {
        match coverage {
            Coverage::TwentyFourSeven => Some(t + d),
            Coverage::BusinessHours => crate::core::sla::deadline(self.calendar_of(organisation), t, d).ok(),
        }
    }
}

fn not_a_customer(lang: Language) -> &'static str {
    lang.pick(
        "Only customers of an organisation can open incidents. Ask a manager to give you your organisation's role.",
        "Bare kunder i en organisasjon kan åpne saker. Be en leder om å gi deg organisasjonens rolle.",
    )
}

fn localize_resolve_error(message: &str, lang: Language) -> String {
    match lang {
        Language::En => format!("{message}."),
        Language::No => format!("Fant ikke produktet eller versjonen: {message}."),
    }
}

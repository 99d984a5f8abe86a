//! Working an incident: acknowledge, close, refund and split, each decided by the pure state
//! machine and written with its event (and notices) in one store transaction.

use super::error::AppError;
use super::member::Member;
use super::notices;
use super::App;
use crate::core::ids::IncidentNumber;
use crate::core::incident::{Action, Outcome, RefundDecision, TransitionError};
use crate::core::language::Language;
use crate::core::policy::Clock;
use crate::core::rules::RuleId;
use crate::core::severity::{Coverage, Severity};
use crate::store::{Author, Incident, NewChild, SourceId, Split, SplitRequest, StoreError, TransitionRecord};
use chrono::{DateTime, Utc};

/// One sub-problem of a split: its own title, problem and severity (P-INC-3).
#[derive(Debug, Clone)]
pub struct SubProblem {
    pub title: String,
    pub problem: String,
    pub severity: Severity,
}

impl SubProblem {
    /// The sub-problems of a split written as one text, separated by `;`.
    pub fn list(parts: &str, severity: Severity) -> Vec<SubProblem> {
        parts
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| SubProblem {
                title: p.chars().take(80).collect(),
                problem: p.to_string(),
                severity,
            })
            .collect()
    }
}

impl App {
    /// The incident if this member may see it; a customer of another organisation gets the
    /// same "not found" as for a number that does not exist.
    pub async fn visible_incident(&self, member: &Member, number: IncidentNumber) -> Result<Incident, AppError> {
        match self.store.incident(number).await? {
            Some(incident) if member.may_see(&incident.organisation) => Ok(incident),
            _ => Err(AppError::user(not_found(number, member.language))),
        }
    }

    /// The first response by an engineer (P-SEV-6): button, command, thread message or close.
    pub async fn acknowledge(
        &self,
        member: &Member,
        number: IncidentNumber,
        now: DateTime<Utc>,
    ) -> Result<Incident, AppError> {
        self.transition(member, number, Action::Acknowledge, "acknowledged", now)
            .await
    }

    /// Closes with an outcome (P-CLOSE-2, P-CLOSE-3); `note` is the proposed solution or reason.
    pub async fn close(
        &self,
        member: &Member,
        number: IncidentNumber,
        outcome: Outcome,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Incident, AppError> {
        let incident = self
            .transition(member, number, Action::Close(outcome), note, now)
            .await?;
        metrics::counter!(crate::ops::metrics::INCIDENTS_CLOSED, "outcome" => outcome.as_str()).increment(1);
        Ok(incident)
    }

    /// A manager's refund decision after an unpaid close (P-CLOSE-4); a refund is a ledger row.
    pub async fn decide_refund(
        &self,
        member: &Member,
        number: IncidentNumber,
        decision: RefundDecision,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Incident, AppError> {
        self.transition(member, number, Action::Refund(decision), reason, now)
            .await
    }

    async fn transition(
        &self,
        member: &Member,
        number: IncidentNumber,
        action: Action,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Incident, AppError> {
        let incident = self.visible_incident(member, number).await?;
        let decided = incident
            .state
            .apply(member.actor_on(&incident.requester), action)
            .map_err(|e| AppError::user(transition_message(&e, number, member.language)))?;
        let record = TransitionRecord {
            number,
            from: incident.state,
            to: decided.next,
            first_response: decided.first_response,
            author: Author::Account(member.account.clone()),
            at: now,
            reason: reason.to_string(),
            rules: decided.rules.to_vec(),
            notifications: Vec::new(),
        };
        let updated = self
            .store
            .record_transition(&record)
            .await
            .map_err(|e| super::store_user_error(e, member.language))?;
        if decided.first_response {
            let met = updated
                .acknowledged_at
                .is_some_and(|at| at <= updated.first_response_due);
            metrics::counter!(crate::ops::metrics::FIRST_RESPONSES, "result" => if met { "met" } else { "breached" })
                .increment(1);
        }
        Ok(updated)
    }

    /// Splits an unclosed incident into sub-incidents, each consuming one more unit of the same
    /// entitlement, all or nothing (P-INC-1, P-INC-3). `source` makes a repeated request idempotent.
    pub async fn split(
        &self,
        member: &Member,
        number: IncidentNumber,
        parts: Vec<SubProblem>,
        source: SourceId,
        now: DateTime<Utc>,
    ) -> Result<Split, AppError> {
        let lang = member.language;
        let parent = self.visible_incident(member, number).await?;
        let count = u32::try_from(parts.len()).unwrap_or(u32::MAX);
        parent
            .state
            .apply(member.actor_on(&parent.requester), Action::Split(count))
            .map_err(|e| AppError::user(transition_message(&e, number, lang)))?;
        let mut children = Vec::with_capacity(parts.len());
        for (i, part) in parts.into_iter().enumerate() {
            // Each sub-incident runs its own clock (P-INC-3); only A keeps the parent's 24x7.
            let coverage = if part.severity == Severity::A {
                parent.coverage
            } else {
                Coverage::BusinessHours
            };
            let clock = if coverage == Coverage::TwentyFourSeven {
                Clock::ClockHours
            } else {
                Clock::BusinessHours
            };
            let plan = self.sla_plan(&parent.organisation, part.severity, clock, now)?;
            let child_source = SourceId(format!("{}#{}", source.0, i + 1));
            children.push(NewChild {
                severity: part.severity,
                coverage,
                title: part.title,
                problem: part.problem,
                first_response_due: plan.deadline,
                notifications: notices::incident_rows(&child_source, &plan.notices),
            });
        }
        let request = SplitRequest {
            parent: number,
            source,
            author: Author::Account(member.account.clone()),
            at: now,
            reason: format!("split into {count}"),
            rules: vec![RuleId::Inc1, RuleId::Inc3],
            children,
        };
        self.store
            .split_incident(&request)
            .await
            .map_err(|e| super::store_user_error(e, lang))
    }
}

pub(crate) fn not_found(number: IncidentNumber, lang: Language) -> String {
    match lang {
        Language::En => format!("{number} was not found."),
        Language::No => format!("Fant ikke {number}."),
    }
}

fn transition_message(err: &TransitionError, number: IncidentNumber, lang: Language) -> String {
    match (err, lang) {
        (TransitionError::NotAllowed { needed, .. }, Language::En) => format!("Only {needed} can do that on {number}."),
        (TransitionError::NotAllowed { needed, .. }, Language::No) => {
            format!("Bare {} kan gjøre det på {number}.", needed_no(needed))
        }
        (TransitionError::AlreadyAcknowledged, Language::No) => format!("{number} er allerede bekreftet."),
        (TransitionError::Closed(outcome), Language::No) => format!("{number} er lukket ({outcome})."),
        (TransitionError::SplitTooSmall(n), Language::No) => format!("Del i minst 2 delproblemer (du ba om {n})."),
        (other, Language::No) => format!("{number}: {other}."),
        (other, Language::En) => format!("{number}: {other}."),
    }
}

fn needed_no(needed: &str) -> &str {
    match needed {
        "engineers" => "teknikere",
        "managers" => "ledere",
        _ => "kunden som åpnet saken",
    }
}

/// Whether an incident is past its deadline without a first response at `now`.
pub fn is_breached(incident: &Incident, now: DateTime<Utc>) -> bool {
    match incident.acknowledged_at {
        Some(at) => at > incident.first_response_due,
        None => !incident.state.is_closed() && now >= incident.first_response_due,
    }
}

/// Maps a store refusal to what the user should hear; anything else is internal.
pub(crate) fn refusal_message(err: &StoreError, lang: Language) -> Option<String> {
    Some(match (err, lang) {
        (StoreError::NoUnitsLeft(_), Language::En) => {
            "That plan has no units left; nothing was charged. Ask a manager about more units.".into()
        }
        (StoreError::NoUnitsLeft(_), Language::No) => {
            "Den planen har ingen enheter igjen; ingenting ble trukket. Spør en leder om flere enheter.".into()
        }
        (StoreError::EntitlementExpired(_), Language::En) => {
            "That plan has expired (P-PLAN-2); nothing was charged.".into()
        }
        (StoreError::EntitlementExpired(_), Language::No) => {
            "Den planen er utløpt (P-PLAN-2); ingenting ble trukket.".into()
        }
        (StoreError::OrderNumberMismatch(_), Language::En) => {
            "The order confirmation number does not match this pack's purchase (P-PLAN-4); nothing was moved.".into()
        }
        (StoreError::OrderNumberMismatch(_), Language::No) => {
            "Ordrebekreftelsesnummeret stemmer ikke med kjøpet av pakken (P-PLAN-4); ingenting ble flyttet.".into()
        }
        (StoreError::StateChanged { number, current }, Language::En) => format!(
            "{number} changed meanwhile: it is now {}. Nothing was done.",
            current.as_str()
        ),
        (StoreError::StateChanged { number, current }, Language::No) => format!(
            "{number} ble endret i mellomtiden: den er nå {}. Ingenting ble gjort.",
            current.as_str()
        ),
        (StoreError::AlreadyRefunded(number), Language::En) => format!("The unit of {number} was already refunded."),
        (StoreError::AlreadyRefunded(number), Language::No) => format!("Enheten for {number} er allerede refundert."),
        _ => return None,
    })
}

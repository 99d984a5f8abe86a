//! Read-only views for staff: open, at-risk and breached incidents across organisations.

use super::error::AppError;
use super::lifecycle::is_breached;
use super::member::Member;
use super::App;
use crate::core::incident::Role;
use crate::store::{Incident, StateFilter};
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentList {
    /// Waiting for a first response.
    Open,
    /// Waiting, with the deadline within the hour.
    AtRisk,
    /// Past the deadline without a first response, or answered late.
    Breached,
}

/// How close to the deadline an open incident is "at risk".
pub const AT_RISK_WITHIN: Duration = Duration::hours(1);

impl App {
    pub async fn list_incidents(
        &self,
        member: &Member,
        list: IncidentList,
        now: DateTime<Utc>,
    ) -> Result<Vec<Incident>, AppError> {
        if member.role == Role::Customer {
            return Err(AppError::user(member.language.pick(
                "Only engineers and managers can list incidents; use /incident status for yours.",
                "Bare teknikere og ledere kan liste saker; bruk /incident status for dine.",
            )));
        }
        let mut out = Vec::new();
        for org in &self.config.app.organisations {
            let filter = match list {
                IncidentList::Breached => None,
                IncidentList::Open | IncidentList::AtRisk => Some(StateFilter::Open),
            };
            for incident in self.store.list_incidents(&org.id, filter).await? {
                let keep = match list {
                    IncidentList::Open => true,
                    IncidentList::AtRisk => {
                        now < incident.first_response_due && incident.first_response_due - now <= AT_RISK_WITHIN
                    }
                    IncidentList::Breached => is_breached(&incident, now),
                };
                if keep {
                    out.push(incident);
                }
            }
        }
        out.sort_by_key(|i| i.first_response_due);
        Ok(out)
    }
}

//! Splitting an incident into sub-incidents (P-INC-1, P-INC-3): each listed sub-problem becomes
//! a new incident on the parent's pack, charged one unit, with its own thread, severity and
//! clock. The units left cover the first parts listed; the rest are refused, each with why.

use crate::error::AppError;
use crate::notices;
use crate::open::{announce, sla_plan};
use crate::present;
use crate::say::{RefusedPart, Say};
use crate::turn::{Replies, Turn};
use crate::work::{incident_of, store_user_error};
use intakebot_core::ids::IncidentNumber;
use intakebot_core::incident::Action;
use intakebot_core::policy::Clock;
use intakebot_core::rules::RuleId;
use intakebot_core::severity::{Coverage, Severity};
use intakebot_store::{Author, Incident, NewChild, SourceId, Split, SplitRequest, StoreError};

/// One sub-problem: its title, problem and severity.
#[derive(Debug, Clone)]
struct SubProblem {
    title: String,
    problem: String,
    severity: Severity,
}

/// The sub-problems of a split written as one text, separated by `;` or one per line.
fn sub_problems(parts: &str, severity: Severity) -> Vec<SubProblem> {
    parts
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| SubProblem {
            title: present::title_from(p),
            problem: p.to_string(),
            severity,
        })
        .collect()
}

pub(crate) async fn split(
    turn: &Turn<'_>,
    named: Option<IncidentNumber>,
    parts: &str,
    severity: Option<Severity>,
) -> Replies {
    let parent = incident_of(turn, named).await?;
    let parts = sub_problems(parts, severity.unwrap_or(parent.severity));
    let count = u32::try_from(parts.len()).unwrap_or(u32::MAX);
    parent
        .state
        .apply(turn.member.on(&parent.requester), Action::Split(count))
        .map_err(|e| {
            AppError::user(Say::NotAllowed {
                number: parent.number,
                why: e,
            })
        })?;
    let (children, refused) = write(turn, &parent, &parts).await?;
    let left = match turn.app.store.entitlement(parent.entitlement).await? {
        Some(pack) => pack.units_left,
        None => 0,
    };
    let mut replies: Vec<_> = children
        .iter()
        .map(|child| announce(turn.app, child, present::child_card(turn.app, child), None))
        .collect();
    let say = Say::SplitDone {
        parent: parent.number,
        created: children.iter().map(|c| c.number).collect(),
        refused,
        left,
    };
    replies.extend(crate::work::announce(turn, &parent, say));
    Ok(replies)
}

/// Creates the sub-incidents the pack's units cover; a concurrent open may take a unit, so a
/// refusal of the store is met with one part fewer until the rest fits.
async fn write(
    turn: &Turn<'_>,
    parent: &Incident,
    parts: &[SubProblem],
) -> Result<(Vec<Incident>, Vec<RefusedPart>), AppError> {
    let store = &turn.app.store;
    let pack = store.entitlement(parent.entitlement).await?;
    let expired = pack
        .as_ref()
        .and_then(|p| p.expires_on.filter(|_| p.is_expired_on(turn.now().date_naive())));
    let mut covered = match (&pack, expired) {
        (Some(pack), None) => parts.len().min(pack.units_left as usize),
        _ => 0,
    };
    loop {
        let refused = refused_parts(&parts[covered..], expired);
        if covered == 0 {
            return Ok((Vec::new(), refused));
        }
        match store.split_incident(&request(turn, parent, &parts[..covered])?).await {
            Ok(Split::New(children)) => return Ok((children, refused)),
            Ok(Split::AlreadySplit(children)) => return Ok((children, Vec::new())),
            Err(StoreError::NoUnitsLeft(_)) => covered -= 1,
            Err(other) => return Err(store_user_error(other)),
        }
    }
}

fn refused_parts(parts: &[SubProblem], expired: Option<chrono::NaiveDate>) -> Vec<RefusedPart> {
    parts
        .iter()
        .map(|p| RefusedPart {
            title: p.title.clone(),
            expired_on: expired,
        })
        .collect()
}

fn request(turn: &Turn<'_>, parent: &Incident, parts: &[SubProblem]) -> Result<SplitRequest, AppError> {
    let source = &turn.req.source;
    let mut children = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        // Each sub-incident runs its own clock (P-INC-3); only A keeps the parent's 24x7.
        let coverage = if part.severity == Severity::A {
            parent.coverage
        } else {
            Coverage::BusinessHours
        };
        let clock = match coverage {
            Coverage::TwentyFourSeven => Clock::ClockHours,
            Coverage::BusinessHours => Clock::BusinessHours,
        };
        let plan = sla_plan(turn.app, &parent.organisation, part.severity, clock, turn.now())?;
        let child_source = SourceId(format!("{}#{}", source.0, i + 1));
        children.push(NewChild {
            severity: part.severity,
            coverage,
            title: part.title.clone(),
            problem: part.problem.clone(),
            first_response_due: plan.deadline,
            notifications: notices::incident_rows(&child_source, &plan.notices),
        });
    }
    Ok(SplitRequest {
        parent: parent.number,
        source: source.clone(),
        author: Author::Account(turn.member.account.clone()),
        at: turn.now(),
        reason: format!("split into {}", parts.len()),
        rules: vec![RuleId::Inc1, RuleId::Inc3],
        children,
    })
}

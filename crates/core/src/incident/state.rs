//! The incident state machine (P-SEV-6, P-INC-3, P-CLOSE-1..5). Pure: the caller
//! passes the current state, who acts and what they ask; an illegal move is a typed error.

use crate::rules::RuleId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Who a member is to the bot; set by Discord roles in config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Engineer,
    Manager,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Engineer => "engineer",
            Role::Manager => "manager",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "customer" => Ok(Role::Customer),
            "engineer" => Ok(Role::Engineer),
            "manager" => Ok(Role::Manager),
            other => Err(format!("unknown role {other:?}: use customer, engineer or manager")),
        }
    }
}

/// The member acting on an incident; `is_requester` is true for the customer who opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub is_requester: bool,
}

/// How a closed incident ended (P-CLOSE-2, P-CLOSE-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Resolved,
    Unresolved,
    OutOfScope,
    CustomerClosed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::Unresolved => "unresolved",
            Outcome::OutOfScope => "out-of-scope",
            Outcome::CustomerClosed => "customer-closed",
        }
    }

    /// Outcomes after which a manager may decide on a refund (P-CLOSE-4).
    pub fn refund_may_be_decided(self) -> bool {
        !matches!(self, Outcome::Resolved)
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "resolved" => Ok(Outcome::Resolved),
            "unresolved" => Ok(Outcome::Unresolved),
            "out-of-scope" => Ok(Outcome::OutOfScope),
            "customer-closed" => Ok(Outcome::CustomerClosed),
            other => Err(format!(
                "unknown outcome {other:?}: use resolved, unresolved, out-of-scope or customer-closed"
            )),
        }
    }
}

/// The manager's decision on the unit spent by an unpaid close (P-CLOSE-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefundDecision {
    Refund,
    Keep,
}

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum IncidentState {
    /// Waiting for the first response; the SLA clock runs.
    Open,
    /// An engineer has responded; the clock has stopped (P-SEV-6).
    Acknowledged,
    Closed {
        outcome: Outcome,
        refund: Option<RefundDecision>,
    },
}

impl IncidentState {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentState::Open => "open",
            IncidentState::Acknowledged => "acknowledged",
            IncidentState::Closed { outcome, .. } => outcome.as_str(),
        }
    }

    pub fn is_closed(self) -> bool {
        matches!(self, IncidentState::Closed { .. })
    }

    /// Parses what `as_str` wrote, with the refund decision stored beside it.
    pub fn from_parts(state: &str, refund: Option<RefundDecision>) -> Option<IncidentState> {
        match state {
            "open" => Some(IncidentState::Open),
            "acknowledged" => Some(IncidentState::Acknowledged),
            other => other
                .parse::<Outcome>()
                .ok()
                .map(|outcome| IncidentState::Closed { outcome, refund }),
        }
    }
}

/// What someone asks to do with an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// First response by an engineer: button, command or first thread message.
    Acknowledge,
    /// Close with an outcome; engineers close resolved/unresolved/out-of-scope,
    /// the customer who opened it may close before resolution.
    Close(Outcome),
    /// Split into this many new sub-incidents (P-INC-3).
    Split(u32),
    Refund(RefundDecision),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("only {needed} may do that (you are a {actual})")]
    NotAllowed {
        needed: &'static str,
        actual: Role,
        rule: RuleId,
    },
    #[error("the incident is already acknowledged")]
    AlreadyAcknowledged,
    #[error("the incident is closed ({0})")]
    Closed(&'static str),
    #[error("the incident is not closed yet; a refund is decided after an unresolved, out-of-scope or customer close")]
    NotClosed,
    #[error("a resolved incident is not refunded (P-CLOSE-4 applies to unresolved, out-of-scope and customer-closed incidents)")]
    RefundAfterResolved,
    #[error("the refund decision was already recorded")]
    RefundAlreadyDecided,
    #[error("split into at least 2 sub-problems (asked for {0})")]
    SplitTooSmall(u32),
}

/// What a legal transition leads to; `first_response` says the SLA clock stops now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub next: IncidentState,
    pub first_response: bool,
    pub rules: &'static [RuleId],
}

impl IncidentState {
    /// Decides a move. Closing an open incident is also its first response.
    pub fn apply(self, actor: Actor, action: Action) -> Result<Transition, TransitionError> {
        match action {
            Action::Acknowledge => self.acknowledge(actor),
            Action::Close(outcome) => self.close(actor, outcome),
            Action::Split(parts) => self.split(actor, parts),
            Action::Refund(decision) => self.refund(actor, decision),
        }
    }

    fn acknowledge(self, actor: Actor) -> Result<Transition, TransitionError> {
        require(actor, Role::Engineer, "engineers", RuleId::Sev6)?;
        match self {
            IncidentState::Open => Ok(Transition {
                next: IncidentState::Acknowledged,
                first_response: true,
                rules: &[RuleId::Sev6],
            }),
            IncidentState::Acknowledged => Err(TransitionError::AlreadyAcknowledged),
            IncidentState::Closed { outcome, .. } => Err(TransitionError::Closed(outcome.as_str())),
        }
    }

    fn close(self, actor: Actor, outcome: Outcome) -> Result<Transition, TransitionError> {
        let rules: &'static [RuleId] = match outcome {
            Outcome::CustomerClosed => {
                if actor.role != Role::Customer || !actor.is_requester {
                    return Err(TransitionError::NotAllowed {
                        needed: "the customer who opened the incident",
                        actual: actor.role,
                        rule: RuleId::Close3,
                    });
                }
                &[RuleId::Close3]
            }
            _ => {
                require(actor, Role::Engineer, "engineers", RuleId::Close2)?;
                &[RuleId::Close2]
            }
        };
        if let IncidentState::Closed { outcome, .. } = self {
            return Err(TransitionError::Closed(outcome.as_str()));
        }
        Ok(Transition {
            next: IncidentState::Closed { outcome, refund: None },
            first_response: self == IncidentState::Open && outcome != Outcome::CustomerClosed,
            rules,
        })
    }

    fn split(self, actor: Actor, parts: u32) -> Result<Transition, TransitionError> {
        require(actor, Role::Engineer, "engineers", RuleId::Inc3)?;
        if let IncidentState::Closed { outcome, .. } = self {
            return Err(TransitionError::Closed(outcome.as_str()));
        }
        if parts < 2 {
            return Err(TransitionError::SplitTooSmall(parts));
        }
        Ok(Transition {
            next: self,
            first_response: false,
            rules: &[RuleId::Inc1, RuleId::Inc3],
        })
    }

    fn refund(self, actor: Actor, decision: RefundDecision) -> Result<Transition, TransitionError> {
        require(actor, Role::Manager, "managers", RuleId::Close4)?;
        match self {
            IncidentState::Closed {
                outcome: Outcome::Resolved,
                ..
            } => Err(TransitionError::RefundAfterResolved),
            IncidentState::Closed { refund: Some(_), .. } => Err(TransitionError::RefundAlreadyDecided),
            IncidentState::Closed { outcome, refund: None } => Ok(Transition {
                next: IncidentState::Closed {
                    outcome,
                    refund: Some(decision),
                },
                first_response: false,
                rules: &[RuleId::Close4],
            }),
            _ => Err(TransitionError::NotClosed),
        }
    }
}

fn require(actor: Actor, role: Role, needed: &'static str, rule: RuleId) -> Result<(), TransitionError> {
    if actor.role == role {
        Ok(())
    } else {
        Err(TransitionError::NotAllowed {
            needed,
            actual: actor.role,
            rule,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGINEER: Actor = Actor {
        role: Role::Engineer,
        is_requester: false,
    };
    const MANAGER: Actor = Actor {
        role: Role::Manager,
        is_requester: false,
    };
    const REQUESTER: Actor = Actor {
        role: Role::Customer,
        is_requester: true,
    };
    const OTHER_CUSTOMER: Actor = Actor {
        role: Role::Customer,
        is_requester: false,
    };

    fn closed(outcome: Outcome) -> IncidentState {
        IncidentState::Closed { outcome, refund: None }
    }

    // P-SEV-6: an engineer's acknowledgement is the first response and stops the clock.
    #[test]
    fn engineer_ack_stops_the_clock_once() {
        let t = IncidentState::Open.apply(ENGINEER, Action::Acknowledge).unwrap();
        assert_eq!(t.next, IncidentState::Acknowledged);
        assert!(t.first_response);
        assert_eq!(
            IncidentState::Acknowledged.apply(ENGINEER, Action::Acknowledge),
            Err(TransitionError::AlreadyAcknowledged)
        );
    }

    // P-SEV-6: a customer cannot stop the first-response clock.
    #[test]
    fn customer_cannot_acknowledge() {
        let err = IncidentState::Open.apply(REQUESTER, Action::Acknowledge).unwrap_err();
        assert!(matches!(err, TransitionError::NotAllowed { rule: RuleId::Sev6, .. }));
    }

    // P-CLOSE-2: engineers close as resolved, unresolved or out of scope.
    #[test]
    fn engineer_closes_with_each_outcome() {
        for outcome in [Outcome::Resolved, Outcome::Unresolved, Outcome::OutOfScope] {
            let t = IncidentState::Acknowledged
                .apply(ENGINEER, Action::Close(outcome))
                .unwrap();
            assert_eq!(t.next, closed(outcome));
            assert_eq!(t.rules, &[RuleId::Close2]);
        }
        let err = IncidentState::Acknowledged
            .apply(REQUESTER, Action::Close(Outcome::Resolved))
            .unwrap_err();
        assert!(matches!(
            err,
            TransitionError::NotAllowed {
                rule: RuleId::Close2,
                ..
            }
        ));
    }

    // P-CLOSE-3: only the customer who opened it may close before resolution.
    #[test]
    fn only_the_requester_closes_as_customer() {
        let t = IncidentState::Open
            .apply(REQUESTER, Action::Close(Outcome::CustomerClosed))
            .unwrap();
        assert_eq!(t.next, closed(Outcome::CustomerClosed));
        assert!(!t.first_response);
        for actor in [OTHER_CUSTOMER, ENGINEER] {
            let err = IncidentState::Open
                .apply(actor, Action::Close(Outcome::CustomerClosed))
                .unwrap_err();
            assert!(matches!(
                err,
                TransitionError::NotAllowed {
                    rule: RuleId::Close3,
                    ..
                }
            ));
        }
    }

    #[test]
    fn closed_incidents_stay_closed() {
        let state = closed(Outcome::Resolved);
        assert_eq!(
            state.apply(ENGINEER, Action::Close(Outcome::Unresolved)),
            Err(TransitionError::Closed("resolved"))
        );
        assert_eq!(
            state.apply(ENGINEER, Action::Acknowledge),
            Err(TransitionError::Closed("resolved"))
        );
        assert_eq!(
            state.apply(ENGINEER, Action::Split(2)),
            Err(TransitionError::Closed("resolved"))
        );
    }

    // P-CLOSE-4: a manager decides a refund once, only after an unpaid close.
    #[test]
    fn refund_is_a_managers_single_decision_after_unpaid_close() {
        for outcome in [Outcome::Unresolved, Outcome::OutOfScope, Outcome::CustomerClosed] {
            let t = closed(outcome)
                .apply(MANAGER, Action::Refund(RefundDecision::Refund))
                .unwrap();
            let decided = IncidentState::Closed {
                outcome,
                refund: Some(RefundDecision::Refund),
            };
            assert_eq!(t.next, decided);
            assert_eq!(
                decided.apply(MANAGER, Action::Refund(RefundDecision::Keep)),
                Err(TransitionError::RefundAlreadyDecided)
            );
        }
        assert_eq!(
            closed(Outcome::Resolved).apply(MANAGER, Action::Refund(RefundDecision::Refund)),
            Err(TransitionError::RefundAfterResolved)
        );
        assert_eq!(
            IncidentState::Open.apply(MANAGER, Action::Refund(RefundDecision::Refund)),
            Err(TransitionError::NotClosed)
        );
        let err = closed(Outcome::Unresolved)
            .apply(ENGINEER, Action::Refund(RefundDecision::Refund))
            .unwrap_err();
        assert!(matches!(
            err,
            TransitionError::NotAllowed {
                rule: RuleId::Close4,
                ..
            }
        ));
    }

    // P-INC-3 / P-INC-1: an engineer splits an unclosed incident into two or more.
    #[test]
    fn split_needs_an_engineer_and_two_parts() {
        assert!(IncidentState::Acknowledged.apply(ENGINEER, Action::Split(2)).is_ok());
        assert_eq!(
            IncidentState::Open.apply(ENGINEER, Action::Split(1)),
            Err(TransitionError::SplitTooSmall(1))
        );
        assert!(IncidentState::Open.apply(REQUESTER, Action::Split(3)).is_err());
    }

    #[test]
    fn state_round_trips_through_its_stored_parts() {
        for state in [
            IncidentState::Open,
            IncidentState::Acknowledged,
            IncidentState::Closed {
                outcome: Outcome::OutOfScope,
                refund: Some(RefundDecision::Keep),
            },
        ] {
            let refund = match state {
                IncidentState::Closed { refund, .. } => refund,
                _ => None,
            };
            assert_eq!(IncidentState::from_parts(state.as_str(), refund), Some(state));
        }
    }
}

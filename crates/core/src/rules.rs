//! The rule IDs of POLICY.md. Every decision carries the IDs of the rules behind it.

use serde::{Serialize, Serializer};
use std::fmt;

macro_rules! rule_ids {
    ($($variant:ident => $id:literal),+ $(,)?) => {
        /// One rule of the support policy, named as in `docs/policy.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId { $($variant),+ }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(RuleId::$variant => $id),+ }
            }

            pub fn parse(s: &str) -> Option<RuleId> {
                match s { $($id => Some(RuleId::$variant),)+ _ => None }
            }
        }
    };
}

rule_ids! {
    Inc1 => "P-INC-1", Inc2 => "P-INC-2", Inc3 => "P-INC-3",
    Sev1 => "P-SEV-1", Sev2 => "P-SEV-2", Sev3 => "P-SEV-3",
    Sev4 => "P-SEV-4", Sev5 => "P-SEV-5", Sev6 => "P-SEV-6",
    Life1 => "P-LIFE-1", Life2 => "P-LIFE-2", Life3 => "P-LIFE-3", Life4 => "P-LIFE-4",
    Plan1 => "P-PLAN-1", Plan2 => "P-PLAN-2", Plan3 => "P-PLAN-3",
    Plan4 => "P-PLAN-4", Plan5 => "P-PLAN-5", Plan6 => "P-PLAN-6",
    N1_1 => "P-N1-1", N1_2 => "P-N1-2", N1_3 => "P-N1-3", N1_4 => "P-N1-4",
    Cloud1 => "P-CLOUD-1",
    Scope1 => "P-SCOPE-1", Scope2 => "P-SCOPE-2",
    Close1 => "P-CLOSE-1", Close2 => "P-CLOSE-2", Close3 => "P-CLOSE-3",
    Close4 => "P-CLOSE-4", Close5 => "P-CLOSE-5",
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_round_trips() {
        for rule in RuleId::ALL {
            assert_eq!(RuleId::parse(rule.as_str()), Some(*rule));
        }
        assert_eq!(RuleId::ALL.len(), 31);
        assert_eq!(RuleId::parse("P-NOPE-1"), None);
    }
}

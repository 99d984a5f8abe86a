//! Button and modal ids, typed: what a component means is parsed once, here.

use crate::core::ids::IncidentNumber;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComponentId {
    Acknowledge(IncidentNumber),
    Resolve(IncidentNumber),
    Close(IncidentNumber),
    /// Show the unavailable plans of a refused request for this product version (P-N1-3).
    ShowUnavailable {
        product: String,
        version: String,
    },
    /// Complete an incomplete chat request in a modal; the message to read it from.
    CompleteDraft {
        message: u64,
    },
}

impl fmt::Display for ComponentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComponentId::Acknowledge(n) => write!(f, "ack:{}", n.0),
            ComponentId::Resolve(n) => write!(f, "resolve:{}", n.0),
            ComponentId::Close(n) => write!(f, "close:{}", n.0),
            ComponentId::ShowUnavailable { product, version } => write!(f, "unavail:{product}|{version}"),
            ComponentId::CompleteDraft { message } => write!(f, "draft:{message}"),
        }
    }
}

impl FromStr for ComponentId {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (kind, rest) = s.split_once(':').ok_or(())?;
        let number = || rest.parse::<i64>().map(IncidentNumber).map_err(|_| ());
        match kind {
            "ack" => Ok(ComponentId::Acknowledge(number()?)),
            "resolve" => Ok(ComponentId::Resolve(number()?)),
            "close" => Ok(ComponentId::Close(number()?)),
            "unavail" => {
                let (product, version) = rest.split_once('|').ok_or(())?;
                Ok(ComponentId::ShowUnavailable {
                    product: product.into(),
                    version: version.into(),
                })
            }
            "draft" => rest
                .parse()
                .map(|message| ComponentId::CompleteDraft { message })
                .map_err(|_| ()),
            _ => Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_ids_round_trip_and_stay_within_discords_100_characters() {
        let ids = [
            ComponentId::Acknowledge(IncidentNumber(123)),
            ComponentId::Resolve(IncidentNumber(1)),
            ComponentId::Close(IncidentNumber(9)),
            ComponentId::ShowUnavailable {
                product: "windows-server".into(),
                version: "2022".into(),
            },
            ComponentId::CompleteDraft {
                message: 1_234_567_890_123_456_789,
            },
        ];
        for id in ids {
            let text = id.to_string();
            assert!(text.len() <= 100);
            assert_eq!(text.parse::<ComponentId>(), Ok(id));
        }
        assert!("ack:x".parse::<ComponentId>().is_err());
        assert!("nope".parse::<ComponentId>().is_err());
    }
}

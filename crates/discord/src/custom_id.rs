//! Button ids, typed: what a button means is written and read here only (at most 100
//! characters, as Discord allows).

use intakebot_app::reply::Action;
use intakebot_core::ids::IncidentNumber;

pub fn of(action: &Action) -> String {
    match action {
        Action::Acknowledge(n) => format!("ack:{}", n.0),
        Action::Resolve(n) => format!("resolve:{}", n.0),
        Action::Close(n) => format!("close:{}", n.0),
        Action::ShowUnavailable { product, version } => format!("unavail:{product}|{version}"),
        Action::ShowUnusablePacks { product, version } => format!("unusable:{product}|{version}"),
        Action::CompleteDraft { message } => format!("draft:{message}"),
        Action::TakeOver(n) => format!("takeover:{}", n.0),
        Action::SwitchTo24x7(n) => format!("24x7:{}", n.0),
    }
}

/// The action of a button id, or `None` for an id this bot never made.
pub fn parse(id: &str) -> Option<Action> {
    let (kind, rest) = id.split_once(':')?;
    let number = || rest.parse::<i64>().ok().filter(|n| *n > 0).map(IncidentNumber);
    match kind {
        "ack" => number().map(Action::Acknowledge),
        "resolve" => number().map(Action::Resolve),
        "close" => number().map(Action::Close),
        "takeover" => number().map(Action::TakeOver),
        "24x7" => number().map(Action::SwitchTo24x7),
        "unavail" => {
            let (product, version) = rest.split_once('|')?;
            Some(Action::ShowUnavailable {
                product: product.into(),
                version: version.into(),
            })
        }
        "unusable" => {
            let (product, version) = rest.split_once('|')?;
            Some(Action::ShowUnusablePacks {
                product: product.into(),
                version: version.into(),
            })
        }
        "draft" => rest.parse().ok().map(|message| Action::CompleteDraft { message }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_ids_round_trip_and_stay_within_discords_100_characters() {
        let actions = [
            Action::Acknowledge(IncidentNumber(123)),
            Action::Resolve(IncidentNumber(1)),
            Action::Close(IncidentNumber(9)),
            Action::TakeOver(IncidentNumber(7)),
            Action::SwitchTo24x7(IncidentNumber(8)),
            Action::ShowUnavailable {
                product: "windows-server".into(),
                version: "2022".into(),
            },
            Action::ShowUnusablePacks {
                product: "sql-server".into(),
                version: "2019".into(),
            },
            Action::CompleteDraft {
                message: 1_234_567_890_123_456_789,
            },
        ];
        for action in actions {
            let id = of(&action);
            assert!(id.len() <= 100);
            assert_eq!(parse(&id), Some(action));
        }
        assert_eq!(parse("ack:x"), None);
        assert_eq!(parse("ack:0"), None);
        assert_eq!(parse("nope"), None);
    }
}

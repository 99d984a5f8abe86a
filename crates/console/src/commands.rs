//! A typed slash command line (`/incident open product:"SQL Server" …`) as the app's `Command`,
//! the way Discord's options would give it. What cannot be read becomes `Command::Invalid`, so
//! the app says what was wrong, in the user's language; a missing or unknown option is a
//! console usage error, as Discord's client would refuse to send it.

use crate::line::SlashCommand;
use intakebot_app::request::{CloseChoice, GrantCommand, Invalid, ListChoice, NamedPeriod, OpenCommand, PlanChoice};
use intakebot_app::Command;
use intakebot_core::ids::{AccountId, IncidentNumber, OrderNumber, OrgId};
use intakebot_core::incident::RefundDecision;
use intakebot_core::severity::{Coverage, Severity};
use std::str::FromStr;

/// What the console itself refuses before anything reaches the app.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    #[error("unknown command /{0}; type :help for the list")]
    UnknownCommand(String),
    #[error("missing option {0}:…")]
    Missing(&'static str),
    #[error("/{command} has no option {option}; it takes: {allowed}")]
    UnknownOption {
        command: String,
        option: String,
        allowed: String,
    },
}

/// The options each command takes, as on Discord (required ones listed first).
fn options_of(path: &[&str]) -> Option<&'static [&'static str]> {
    Some(match path {
        ["incident", "open"] => &[
            "product", "version", "severity", "coverage", "on_call", "plan", "title", "problem",
        ],
        ["incident", "ack"] | ["incident", "status"] => &["incident"],
        ["incident", "resolve"] => &["incident", "solution"],
        ["incident", "close"] => &["incident", "outcome", "reason"],
        ["incident", "split"] => &["parts", "incident", "severity"],
        ["incident", "refund"] => &["incident", "decision", "reason"],
        ["incident", "note"] => &["text", "incident"],
        ["incident", "list"] => &["which"],
        ["pack", "balance"] => &["organisation"],
        ["pack", "grant"] => &["plan", "organisation", "owner", "order", "purchased"],
        ["pack", "transfer"] => &["pack", "owner", "order"],
        ["plans"] => &["product", "version"],
        ["report", "sla"] => &["period", "organisation"],
        ["faq"] => &[],
        _ => return None,
    })
}

pub fn parse(cmd: &SlashCommand) -> Result<Command, UsageError> {
    let path: Vec<&str> = cmd.path.iter().map(String::as_str).collect();
    let allowed = options_of(&path).ok_or_else(|| UsageError::UnknownCommand(cmd.path.join(" ")))?;
    if let Some(option) = cmd.options.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(UsageError::UnknownOption {
            command: cmd.path.join(" "),
            option: option.clone(),
            allowed: allowed.join(", "),
        });
    }
    let o = Options(cmd);
    Ok(match build(&path, &o) {
        Ok(command) => command,
        Err(Problem::Usage(err)) => return Err(err),
        Err(Problem::Invalid(invalid)) => Command::Invalid(invalid),
    })
}

enum Problem {
    Usage(UsageError),
    Invalid(Invalid),
}

impl From<Invalid> for Problem {
    fn from(i: Invalid) -> Problem {
        Problem::Invalid(i)
    }
}

fn build(path: &[&str], o: &Options<'_>) -> Result<Command, Problem> {
    Ok(match path {
        ["incident", "open"] => Command::Open(OpenCommand {
            product: o.required("product")?,
            version: o.required("version")?,
            severity: Some(
                o.severity("severity")?
                    .ok_or(Problem::Usage(UsageError::Missing("severity")))?,
            ),
            coverage: o.parsed::<Coverage>("coverage")?,
            on_call: o.user("on_call"),
            plan: o
                .get("plan")
                .map(|p| p.parse::<PlanChoice>().map_err(|_| Invalid::Plan(p)))
                .transpose()?,
            title: o.get("title"),
            problem: o.get("problem"),
        }),
        ["incident", "ack"] => Command::Ack {
            incident: o.incident()?,
        },
        ["incident", "resolve"] => Command::Resolve {
            incident: o.incident()?,
            solution: o.get("solution"),
        },
        ["incident", "close"] => Command::Close {
            incident: o.incident()?,
            outcome: o.parsed::<CloseChoice>("outcome")?,
            reason: o.get("reason"),
        },
        ["incident", "split"] => Command::Split {
            incident: o.incident()?,
            parts: o.required("parts")?,
            severity: o.severity("severity")?,
        },
        ["incident", "refund"] => Command::Refund {
            incident: o.incident()?.ok_or(Problem::Usage(UsageError::Missing("incident")))?,
            decision: match o.required("decision")?.as_str() {
                "refund" => RefundDecision::Refund,
                "keep" => RefundDecision::Keep,
                other => return Err(option("decision", other)),
            },
            reason: o.get("reason"),
        },
        ["incident", "note"] => Command::Note {
            incident: o.incident()?,
            text: o.required("text")?,
        },
        ["incident", "status"] => Command::Status {
            incident: o.incident()?,
        },
        ["incident", "list"] => Command::List {
            which: o.parsed::<ListChoice>("which")?.unwrap_or(ListChoice::Open),
        },
        ["pack", "balance"] => Command::Balance {
            organisation: o.get("organisation").map(OrgId::new),
        },
        ["pack", "grant"] => Command::Grant(GrantCommand {
            plan: {
                let plan = o.required("plan")?;
                plan.parse().map_err(|_| Invalid::Plan(plan))?
            },
            organisation: OrgId::new(o.required("organisation")?),
            owner: o.user("owner").ok_or(Problem::Usage(UsageError::Missing("owner")))?,
            purchased: o
                .get("purchased")
                .map(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| Invalid::Date(d)))
                .transpose()?,
            order: OrderNumber::new(o.required("order")?),
        }),
        ["pack", "transfer"] => Command::Transfer {
            pack: {
                let pack = o.required("pack")?;
                pack.parse().map_err(|_| Invalid::PackId(pack))?
            },
            owner: o.user("owner").ok_or(Problem::Usage(UsageError::Missing("owner")))?,
            order: OrderNumber::new(o.required("order")?),
        },
        ["plans"] => Command::Plans {
            product: o.required("product")?,
            version: o.required("version")?,
            show_unavailable: false,
        },
        ["report", "sla"] => Command::Report {
            period: o.parsed::<NamedPeriod>("period")?.unwrap_or(NamedPeriod::LastWeek),
            organisation: o.get("organisation").map(OrgId::new),
        },
        ["faq"] => Command::Faq,
        _ => return Err(Problem::Usage(UsageError::UnknownCommand(path.join(" ")))),
    })
}

fn option(name: &str, input: &str) -> Problem {
    Problem::Invalid(Invalid::Option {
        name: name.to_string(),
        input: input.to_string(),
    })
}

struct Options<'a>(&'a SlashCommand);

impl Options<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0.options.get(name).cloned()
    }

    fn required(&self, name: &'static str) -> Result<String, Problem> {
        self.get(name).ok_or(Problem::Usage(UsageError::Missing(name)))
    }

    fn parsed<T: FromStr>(&self, name: &str) -> Result<Option<T>, Problem> {
        self.get(name)
            .map(|v| v.parse::<T>().map_err(|_| option(name, &v)))
            .transpose()
    }

    fn severity(&self, name: &str) -> Result<Option<Severity>, Problem> {
        self.get(name)
            .map(|v| {
                v.parse::<Severity>()
                    .map_err(|_| Problem::Invalid(Invalid::Severity(v)))
            })
            .transpose()
    }

    fn incident(&self) -> Result<Option<IncidentNumber>, Problem> {
        self.get("incident")
            .map(|v| {
                v.parse::<IncidentNumber>()
                    .map_err(|_| Problem::Invalid(Invalid::IncidentNumber(v)))
            })
            .transpose()
    }

    /// A person: a demo user's name, as `bob` or `@bob`.
    fn user(&self, name: &str) -> Option<AccountId> {
        self.get(name).map(|u| AccountId::new(u.trim_start_matches('@')))
    }
}

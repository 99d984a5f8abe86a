//! Slash commands typed in the console, mapped onto the same use cases as Discord's.

use super::line::SlashCommand;
use super::session::{Session, THREAD_BASE};
use crate::app::present::{incident_card, refusal_text, status_card};
use crate::app::{AppError, Grant, IncidentList, OpenOutcome, OpenRequest, SubProblem};
use crate::core::ids::{AccountId, EntitlementId, IncidentNumber, OrderNumber, OrgId};
use crate::core::incident::{Outcome, RefundDecision, Role};
use crate::core::language::Language;
use crate::core::plan::PlanId;
use crate::core::severity::Coverage;
use crate::store::{DiscordIds, SourceId, Split};
use std::str::FromStr;

/// Posts: (where, what) pairs, printed in order.
pub type Posts = Vec<(String, String)>;

impl Session {
    pub(super) async fn command(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let path: Vec<&str> = cmd.path.iter().map(String::as_str).collect();
        match path.as_slice() {
            ["incident", "open"] => self.open(cmd).await,
            ["incident", "ack"] => self.ack(cmd).await,
            ["incident", "resolve"] => self.close_as(cmd, Outcome::Resolved, "solution").await,
            ["incident", "close"] => self.close(cmd).await,
            ["incident", "split"] => self.split(cmd).await,
            ["incident", "refund"] => self.refund(cmd).await,
            ["incident", "status"] => self.status(cmd).await,
            ["incident", "list"] => self.list(cmd).await,
            ["pack", "balance"] => self.balance(cmd).await,
            ["pack", "grant"] => self.grant(cmd).await,
            ["pack", "transfer"] => self.transfer(cmd).await,
            ["plans"] => self.plans(cmd),
            _ => Err(AppError::user(format!(
                "unknown command /{}; type :help for the list",
                cmd.path.join(" ")
            ))),
        }
    }

    fn private(&self, text: String) -> Posts {
        vec![(format!("{} (only you)", self.place()), text)]
    }

    async fn open(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let lang = self.language();
        let problem = required(cmd, "problem", lang)?;
        let request = OpenRequest {
            source: fresh_source(),
            member: self.member(),
            product: required(cmd, "product", lang)?,
            version: required(cmd, "version", lang)?,
            severity: parsed(cmd, "severity", lang)?.ok_or_else(|| missing("severity", lang))?,
            coverage: parsed(cmd, "coverage", lang)?.unwrap_or(Coverage::BusinessHours),
            on_call: cmd
                .options
                .get("on_call")
                .map(|u| AccountId::new(u.trim_start_matches('@'))),
            entitlement: self.chosen_entitlement(cmd).await?,
            title: cmd
                .options
                .get("title")
                .cloned()
                .unwrap_or_else(|| problem.chars().take(80).collect()),
            problem,
            borderline_exclusion: None,
        };
        self.open_request(request).await
    }

    pub(super) async fn open_request(&mut self, request: OpenRequest) -> Result<Posts, AppError> {
        let lang = self.language();
        match self.app.open_incident(request, self.now()).await? {
            OpenOutcome::Opened(opened) => {
                let number = opened.incident.number;
                let thread = THREAD_BASE + number.0 as u64;
                self.app
                    .store
                    .set_discord_ids(
                        number,
                        &DiscordIds {
                            channel: None,
                            thread: Some(thread),
                            message: None,
                        },
                    )
                    .await?;
                let card = incident_card(&opened, &self.app.config.policy, lang).to_text();
                self.last_refusal = None;
                Ok(vec![
                    (number.to_string(), format!("@Engineers new incident\n{card}")),
                    (
                        format!("{} (only you)", self.place()),
                        format!(
                            "{} {number}; {}",
                            lang.pick("Opened", "Åpnet"),
                            lang.pick("type :thread to follow it", "skriv :thread for å følge den")
                        ),
                    ),
                ])
            }
            OpenOutcome::AlreadyOpened(incident) => Ok(self.private(format!(
                "{} {}",
                lang.pick("Already opened as", "Allerede åpnet som"),
                incident.number
            ))),
            OpenOutcome::Refused(refusal) => {
                let text = format!(
                    "{}[{}]",
                    refusal_text(&refusal, &self.app.config.policy, lang),
                    lang.pick(
                        "Show unavailable plans: type :unavailable",
                        "Vis utilgjengelige planer: skriv :unavailable"
                    )
                );
                self.last_refusal = Some(*refusal);
                Ok(self.private(text))
            }
        }
    }

    /// `plan:E3` picks that entitlement; `plan:five-pack` the first pack of that plan.
    async fn chosen_entitlement(&self, cmd: &SlashCommand) -> Result<Option<EntitlementId>, AppError> {
        let Some(plan) = cmd.options.get("plan") else {
            return Ok(None);
        };
        if let Some(id) = plan.strip_prefix('E').and_then(|n| n.parse().ok()) {
            return Ok(Some(EntitlementId(id)));
        }
        let plan = PlanId::from_str(plan).map_err(|e| AppError::user(e.to_string()))?;
        let org = self.member().organisation.unwrap_or_else(|| OrgId::new(""));
        let held = self.app.store.list_entitlements(&org).await?;
        Ok(held
            .iter()
            .filter(|e| e.plan == plan && e.units_left > 0)
            .map(|e| e.id)
            .next())
    }

    fn incident_option(&self, cmd: &SlashCommand) -> Result<IncidentNumber, AppError> {
        match cmd.options.get("incident") {
            Some(text) => text
                .parse()
                .map_err(|e: crate::core::ids::BadIncidentNumber| AppError::user(e.to_string())),
            None => self.thread.ok_or_else(|| {
                AppError::user(self.language().pick(
                    "Name the incident (incident:INC-000001) or enter its thread.",
                    "Oppgi saken (incident:INC-000001) eller gå inn i tråden.",
                ))
            }),
        }
    }

    async fn ack(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let number = self.incident_option(cmd)?;
        let incident = self.app.acknowledge(&self.member(), number, self.now()).await?;
        Ok(vec![(
            number.to_string(),
            crate::app::present::ack_text(&incident, self.language()),
        )])
    }

    async fn close(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let outcome = match (self.user.role, cmd.options.get("outcome").map(String::as_str)) {
            (Role::Customer, _) => Outcome::CustomerClosed,
            (_, Some("unresolved")) => Outcome::Unresolved,
            (_, Some("out-of-scope")) => Outcome::OutOfScope,
            (_, other) => {
                return Err(AppError::user(format!(
                    "outcome {other:?}: use outcome:unresolved or outcome:out-of-scope (or /incident resolve)"
                )))
            }
        };
        self.close_as(cmd, outcome, "reason").await
    }

    async fn close_as(&mut self, cmd: &SlashCommand, outcome: Outcome, note_option: &str) -> Result<Posts, AppError> {
        let lang = self.language();
        let number = self.incident_option(cmd)?;
        let note = if outcome == Outcome::Resolved {
            required(cmd, note_option, lang)?
        } else {
            cmd.options.get(note_option).cloned().unwrap_or_default()
        };
        let closed = self
            .app
            .close(&self.member(), number, outcome, &note, self.now())
            .await?;
        let text = crate::app::present::closed_text(&closed, outcome, &note, lang);
        Ok(vec![(number.to_string(), text)])
    }

    async fn split(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let lang = self.language();
        let number = self.incident_option(cmd)?;
        let parent = self.app.visible_incident(&self.member(), number).await?;
        let severity = parsed(cmd, "severity", lang)?.unwrap_or(parent.severity);
        let parts = SubProblem::list(&required(cmd, "parts", lang)?, severity);
        let children = match self
            .app
            .split(&self.member(), number, parts, fresh_source(), self.now())
            .await?
        {
            Split::New(children) | Split::AlreadySplit(children) => children,
        };
        let mut posts = Vec::new();
        for child in &children {
            let thread = THREAD_BASE + child.number.0 as u64;
            self.app
                .store
                .set_discord_ids(
                    child.number,
                    &DiscordIds {
                        channel: None,
                        thread: Some(thread),
                        message: None,
                    },
                )
                .await?;
            posts.push((
                child.number.to_string(),
                format!(
                    "@Engineers {} {number}: {}",
                    lang.pick("split from", "delt fra"),
                    child.problem
                ),
            ));
        }
        let names: Vec<String> = children.iter().map(|c| c.number.to_string()).collect();
        posts.push((
            number.to_string(),
            format!("{} {}", lang.pick("Split into", "Delt i"), names.join(", ")),
        ));
        Ok(posts)
    }

    async fn refund(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let lang = self.language();
        let number = self.incident_option(cmd)?;
        let decision = match required(cmd, "decision", lang)?.as_str() {
            "refund" => RefundDecision::Refund,
            "keep" => RefundDecision::Keep,
            other => {
                return Err(AppError::user(format!(
                    "decision {other:?}: use decision:refund or decision:keep"
                )))
            }
        };
        let reason = cmd.options.get("reason").cloned().unwrap_or_default();
        self.app
            .decide_refund(&self.member(), number, decision, &reason, self.now())
            .await?;
        Ok(self.private(format!(
            "{number}: {}",
            crate::app::present::refund_text(decision, lang)
        )))
    }

    async fn status(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let number = self.incident_option(cmd)?;
        let incident = self.app.visible_incident(&self.member(), number).await?;
        Ok(self.private(status_card(&incident, self.language()).to_text()))
    }

    async fn list(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let which = match cmd.options.get("which").map(String::as_str).unwrap_or("open") {
            "open" => IncidentList::Open,
            "at-risk" => IncidentList::AtRisk,
            "breached" => IncidentList::Breached,
            other => return Err(AppError::user(format!("which:{other}: use open, at-risk or breached"))),
        };
        let incidents = self.app.list_incidents(&self.member(), which, self.now()).await?;
        Ok(self.private(crate::app::present::incident_lines(&incidents, self.language())))
    }

    async fn balance(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let org = cmd.options.get("organisation").map(OrgId::new);
        let packs = self.app.balance(&self.member(), org, self.now()).await?;
        Ok(self.private(crate::app::present::balance_lines(
            &packs,
            &self.app.config.policy,
            self.language(),
        )))
    }

    async fn grant(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let lang = self.language();
        let grant = Grant {
            plan: PlanId::from_str(&required(cmd, "plan", lang)?).map_err(|e| AppError::user(e.to_string()))?,
            organisation: OrgId::new(required(cmd, "organisation", lang)?),
            owner: AccountId::new(required(cmd, "owner", lang)?),
            purchased_on: match cmd.options.get("purchased") {
                Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| AppError::user(format!("purchased:{d} is not a date like 2027-03-01")))?,
                None => self.now().date_naive(),
            },
            order_number: OrderNumber::new(required(cmd, "order", lang)?),
        };
        let e = self.app.grant(&self.member(), grant, self.now()).await?;
        Ok(self.private(format!(
            "{} {} {} · {} {}",
            lang.pick("Granted", "Tildelt"),
            e.id,
            e.plan,
            e.units_left,
            lang.pick("units", "enheter")
        )))
    }

    async fn transfer(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let lang = self.language();
        let pack = required(cmd, "pack", lang)?;
        let id = pack
            .trim_start_matches('E')
            .parse()
            .map(EntitlementId)
            .map_err(|_| AppError::user(format!("pack:{pack} is not a pack id like E1")))?;
        let e = self
            .app
            .transfer(
                &self.member(),
                id,
                AccountId::new(required(cmd, "owner", lang)?),
                OrderNumber::new(required(cmd, "order", lang)?),
                self.now(),
            )
            .await?;
        Ok(self.private(format!(
            "{} {} → {} (P-PLAN-4)",
            lang.pick("Moved", "Flyttet"),
            e.id,
            e.owner
        )))
    }

    fn plans(&mut self, cmd: &SlashCommand) -> Result<Posts, AppError> {
        let lang = self.language();
        let args = crate::cli::plans::PlansArgs {
            product: required(cmd, "product", lang)?,
            version: required(cmd, "version", lang)?,
            at: Some(self.now()),
            sign_in: self.user.sign_in,
            json: false,
        };
        let mut out = Vec::new();
        crate::cli::plans::run(&args, &self.app.config, self.now(), &mut out)
            .map_err(|e| AppError::user(e.to_string()))?;
        Ok(self.private(String::from_utf8_lossy(&out).into_owned()))
    }
}

/// A unique source id per console action (the idempotency key Discord ids give in production).
pub(super) fn fresh_source() -> SourceId {
    SourceId(format!("console-{:016x}", rand::random::<u64>()))
}

fn missing(option: &str, lang: Language) -> AppError {
    AppError::user(match lang {
        Language::En => format!("missing option {option}:…"),
        Language::No => format!("mangler valget {option}:…"),
    })
}

fn required(cmd: &SlashCommand, option: &str, lang: Language) -> Result<String, AppError> {
    cmd.options.get(option).cloned().ok_or_else(|| missing(option, lang))
}

fn parsed<T: FromStr>(cmd: &SlashCommand, option: &str, _lang: Language) -> Result<Option<T>, AppError>
where
    T::Err: std::fmt::Display,
{
    cmd.options
        .get(option)
        .map(|v| v.parse::<T>().map_err(|e| AppError::user(e.to_string())))
        .transpose()
}

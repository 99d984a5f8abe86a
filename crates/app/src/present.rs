//! Cards and lists built from domain values, in a given language: the incident card, its
//! status, refusals with their reasons grouped, the plans of a product, pack balances.

use crate::open::Resolved;
use crate::reply::{Action, Button, ButtonStyle, Card, Content, Field, Message, Reply, Text, TimeStyle};
use crate::request::PlanChoice;
use crate::say::{coverage_name, date, phase_name, plan_name, state_name, units_left, Label, Say};
use crate::turn::Turn;
use crate::App;
use chrono::{DateTime, Utc};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::{IncidentNumber, OrgId};
use intakebot_core::incident::IncidentState;
use intakebot_core::language::Language;
use intakebot_core::policy::{
    Decision, Denial, PlanView, Pointer, UnusableEntitlement, UNAVAILABLE_MESSAGE, UNAVAILABLE_MESSAGE_NO,
};
use intakebot_core::rules::RuleId;
use intakebot_core::severity::Severity;
use intakebot_store::{Incident, IncidentEvent, IncidentFlag, LedgerEntry, LedgerKind};

/// The longest title made from a problem statement.
const TITLE_CHARS: usize = 80;

/// The incident card posted in its new thread, in the incident's language.
pub(crate) fn incident_card(app: &App, i: &Incident, decision: &Decision, charged: &Entitlement) -> Card {
    let lang = i.language;
    let mut fields = vec![
        Field::new(Label::Severity.words(lang), severity_text(app, i.severity, lang)),
        Field::new(Label::Coverage.words(lang), coverage_name(i.coverage, lang)),
        Field::new(
            Label::Product.words(lang),
            format!("{} {} ({})", i.product, i.version, phase_name(decision.phase, lang)),
        ),
        Field::new(
            Label::Plan.words(lang),
            format!(
                "{} ({}) · {}",
                plan_name(&app.config.policy, charged.plan, lang),
                charged.id,
                units_left(charged.units_left, lang)
            ),
        ),
        Field::new(Label::ProblemDefinition.words(lang), i.problem.clone()),
        due_field(i, lang),
    ];
    if let Some(downgrade) = decision.target.downgrade {
        fields.push(Field::new(
            Label::Remark.words(lang),
            app.text(&Say::Downgrade(downgrade), lang),
        ));
    }
    if i.flags.contains(&IncidentFlag::BorderlineScope) {
        fields.push(Field::new(Label::Scope.words(lang), Label::BorderlineScope.words(lang)));
    }
    Card {
        title: Text::plain(format!("{} · {}", i.number, i.title)),
        description: None,
        fields,
        // P-CLOSE-5: the bot never promises a resolution.
        footer: Some(Text::plain(Label::NoResolutionPromise.words(lang))),
    }
}

/// A sub-incident's card: its own severity and clock, and its parent.
pub(crate) fn child_card(app: &App, child: &Incident) -> Card {
    let lang = child.language;
    let mut fields = vec![
        Field::new(Label::Severity.words(lang), severity_text(app, child.severity, lang)),
        Field::new(Label::Coverage.words(lang), coverage_name(child.coverage, lang)),
        Field::new(
            Label::Product.words(lang),
            format!("{} {}", child.product, child.version),
        ),
        Field::new(Label::ProblemDefinition.words(lang), child.problem.clone()),
        due_field(child, lang),
    ];
    if let Some(parent) = child.parent {
        fields.push(Field::new(Label::SubIncidentOf.words(lang), parent.to_string()));
    }
    Card {
        title: Text::plain(format!("{} · {}", child.number, child.title)),
        description: None,
        fields,
        footer: Some(Text::plain(Label::NoResolutionPromise.words(lang))),
    }
}

fn due_field(i: &Incident, lang: Language) -> Field {
    Field::new(
        Label::FirstResponseDue.words(lang),
        Text::new()
            .time(i.first_response_due, TimeStyle::Full)
            .push(" (")
            .time(i.first_response_due, TimeStyle::Relative)
            .push(")"),
    )
}

fn severity_text(app: &App, severity: Severity, lang: Language) -> String {
    let rule = app.config.policy.severity(severity);
    format!("{severity} · {}", lang.pick(&rule.meaning.en, &rule.meaning.no))
}

/// `/incident status`, in the reader's language; staff also see the internal notes.
pub(crate) fn status_card(app: &App, i: &Incident, notes: &[IncidentEvent], lang: Language) -> Card {
    let mut fields = vec![
        Field::new(Label::State.words(lang), state_name(i.state, lang)),
        Field::new(Label::Severity.words(lang), severity_text(app, i.severity, lang)),
        Field::new(Label::Product.words(lang), format!("{} {}", i.product, i.version)),
        due_field(i, lang),
    ];
    if let Some(at) = i.acknowledged_at {
        let met = at <= i.first_response_due;
        let verdict = if met {
            Label::WithinDeadline
        } else {
            Label::AfterDeadline
        };
        fields.push(Field::new(
            Label::FirstResponse.words(lang),
            Text::new()
                .time(at, TimeStyle::Full)
                .push(format!(" · {}", verdict.words(lang))),
        ));
    }
    if let Some(at) = i.closed_at {
        fields.push(Field::new(
            Label::Closed.words(lang),
            Text::new().time(at, TimeStyle::Full),
        ));
    }
    if !notes.is_empty() {
        let mut value = Text::new();
        for (k, note) in notes.iter().enumerate() {
            if k > 0 {
                value = value.push("\n");
            }
            value = value.time(note.at, TimeStyle::Full).push(" · ");
            if let intakebot_store::Author::Account(account) = &note.author {
                value = value.user(account.clone());
            }
            value = value.push(format!(": {}", note.reason));
        }
        fields.push(Field::new(Label::InternalNotes.words(lang), value));
    }
    Card {
        title: Text::plain(format!("{} · {}", i.number, i.title)),
        description: None,
        fields,
        footer: None,
    }
}

/// Acknowledge / Resolve / Close under an incident card.
pub(crate) fn incident_buttons(number: IncidentNumber, lang: Language) -> Vec<Button> {
    vec![
        Button {
            action: Action::Acknowledge(number),
            label: Label::AckButton.words(lang).to_string(),
            style: ButtonStyle::Primary,
        },
        Button {
            action: Action::Resolve(number),
            label: Label::ResolveButton.words(lang).to_string(),
            style: ButtonStyle::Success,
        },
        Button {
            action: Action::Close(number),
            label: Label::CloseButton.words(lang).to_string(),
            style: ButtonStyle::Secondary,
        },
    ]
}

/// A thread name: `INC-000123 · Sev B · SQL Server` (Discord allows 1 to 100 characters).
pub(crate) fn thread_name(i: &Incident) -> String {
    let name = format!(
        "{} · {} {} · {}",
        i.number,
        Label::SeverityShort.words(i.language),
        i.severity,
        i.product
    );
    cut(&name, 100)
}

/// A title from a problem statement: its first line, cut between words.
pub(crate) fn title_from(problem: &str) -> String {
    cut(problem.lines().next().unwrap_or_default().trim(), TITLE_CHARS)
}

pub(crate) use intakebot_core::text::cut;

/// A refused request: every reason, grouped where packs share them, and where the policy
/// points; a button shows the unavailable plans with the message of P-N1-3.
pub(crate) fn refusal(turn: &Turn<'_>, resolved: &Resolved, decision: &Decision) -> Reply {
    let lang = turn.lang();
    let app = turn.app;
    let product = format!("{} {}", resolved.product.name, resolved.version.name);
    let mut card = Card {
        title: app.text(
            &Say::RefusalIntro {
                product,
                phase: decision.phase,
            },
            lang,
        ),
        ..Card::default()
    };
    if decision.unusable.is_empty() {
        card.description = Some(app.text(&Say::NoPacksHeld, lang));
    }
    card.fields = grouped_reasons(app, &decision.unusable, lang);
    if let Some(field) = pointers_field(app, &decision.pointers, lang) {
        card.fields.push(field);
    }
    let button = Button {
        action: Action::ShowUnusablePacks {
            product: resolved.product.key.clone(),
            version: resolved.version.name.clone(),
        },
        label: Label::ShowUnavailableButton.words(lang).to_string(),
        style: ButtonStyle::Secondary,
    };
    turn.private_content(Content::Message(Message::card(card).with_buttons(vec![button])))
}

/// The plan the member named cannot be used: why, and the packs that would work (with units
/// left and expiry). Nothing is opened on another pack.
pub(crate) fn named_plan_refused(
    turn: &Turn<'_>,
    _resolved: &Resolved,
    decision: &Decision,
    named: PlanChoice,
) -> Reply {
    let lang = turn.lang();
    let app = turn.app;
    let matching: Vec<UnusableEntitlement> = decision
        .unusable
        .iter()
        .filter(|u| match named {
            PlanChoice::Pack(id) => u.entitlement.id == id,
            PlanChoice::Kind(plan) => u.entitlement.plan == plan,
        })
        .cloned()
        .collect();
    let name = match named {
        PlanChoice::Pack(id) => matching
            .first()
            .map(|u| format!("{} ({id})", plan_name(&app.config.policy, u.entitlement.plan, lang)))
            .unwrap_or_else(|| id.to_string()),
        PlanChoice::Kind(plan) => plan_name(&app.config.policy, plan, lang),
    };
    let mut card = Card {
        title: app.text(&Say::NamedPlanRefused { named: name }, lang),
        ..Card::default()
    };
    card.fields = grouped_reasons(app, &matching, lang);
    if matching.is_empty() {
        card.description = Some(app.text(&Say::NotHeld { named }, lang));
    }
    let usable: Vec<String> = decision
        .usable
        .iter()
        .map(|e| app.words(&Say::PackChoice(e.clone()), lang))
        .collect();
    card.fields.push(Field::new(
        app.words(&Say::WouldWork, lang),
        if usable.is_empty() {
            app.text(&Say::NothingElseWorks, lang)
        } else {
            Text::plain(usable.join("\n"))
        },
    ));
    turn.private_content(Content::Message(Message::card(card)))
}

/// Unusable packs grouped by identical reasons: one field per group, named by its packs.
fn grouped_reasons(app: &App, unusable: &[UnusableEntitlement], lang: Language) -> Vec<Field> {
    let mut groups: Vec<(Vec<String>, Text)> = Vec::new();
    for u in unusable {
        let reasons = reasons_text(app, &u.why.reasons, &u.entitlement, lang);
        let name = format!(
            "{} ({})",
            plan_name(&app.config.policy, u.entitlement.plan, lang),
            u.entitlement.id
        );
        match groups.iter_mut().find(|(_, r)| *r == reasons) {
            Some((names, _)) => names.push(name),
            None => groups.push((vec![name], reasons)),
        }
    }
    groups
        .into_iter()
        .map(|(names, reasons)| Field::new(names.join(", "), reasons))
        .collect()
}

fn reasons_text(app: &App, reasons: &[Denial], pack: &Entitlement, lang: Language) -> Text {
    Text::join(
        reasons.iter().map(|d| {
            let owner = matches!(d, Denial::NotOwner).then(|| pack.owner.clone());
            app.text(
                &Say::Denial {
                    denial: d.clone(),
                    owner,
                },
                lang,
            )
        }),
        "; ",
    )
}

fn pointers_field(app: &App, pointers: &[Pointer], lang: Language) -> Option<Field> {
    if pointers.is_empty() {
        return None;
    }
    let value = Text::join(pointers.iter().map(|p| app.text(&Say::PointerText(*p), lang)), "\n");
    Some(Field::new(Label::WhereToGo.words(lang), value))
}

/// "Show unavailable plans" (P-N1-3): each of the organisation's packs that cannot serve the
/// product with the exact message (product eligibility only) and the rules; other reasons
/// (owner, expiry, units) in their own words.
pub(crate) fn unavailable_packs(app: &App, decision: &Decision, lang: Language) -> Message {
    let mut card = Card {
        title: Text::plain(Label::UnavailablePlans.words(lang)),
        ..Card::default()
    };
    for u in &decision.unusable {
        let name = format!(
            "{} ({})",
            plan_name(&app.config.policy, u.entitlement.plan, lang),
            u.entitlement.id
        );
        card.fields.push(Field::new(
            name,
            eligibility_text(app, &u.why.reasons, &u.why.rules, &u.entitlement, lang),
        ));
    }
    if card.fields.is_empty() {
        card.description = Some(Text::plain(Label::NoPlans.words(lang)));
    }
    Message::card(card)
}

/// Product-eligibility reasons carry the exact P-N1-3 message and their rules; the rest of the
/// reasons follow in plain words.
fn eligibility_text(app: &App, reasons: &[Denial], rules: &[RuleId], pack: &Entitlement, lang: Language) -> Text {
    let (product, other): (Vec<&Denial>, Vec<&Denial>) = reasons.iter().partition(|d| is_product_eligibility(d));
    let mut parts = Vec::new();
    if !product.is_empty() {
        let rules: Vec<&str> = rules
            .iter()
            .filter(|r| **r == RuleId::N1_3 || product.iter().any(|d| d.rules().contains(r)))
            .map(|r| r.as_str())
            .collect();
        parts.push(Text::plain(format!(
            "\"{}\" [{}]",
            lang.pick(UNAVAILABLE_MESSAGE, UNAVAILABLE_MESSAGE_NO),
            rules.join(", ")
        )));
        parts.extend(product.iter().map(|d| {
            app.text(
                &Say::Denial {
                    denial: (*d).clone(),
                    owner: None,
                },
                lang,
            )
        }));
    }
    for d in other {
        let owner = matches!(d, Denial::NotOwner).then(|| pack.owner.clone());
        parts.push(app.text(
            &Say::Denial {
                denial: d.clone(),
                owner,
            },
            lang,
        ));
    }
    Text::join(parts, "\n")
}

/// Whether a reason is about the product (lifecycle, N-1, cloud, sign-in), not the pack.
fn is_product_eligibility(d: &Denial) -> bool {
    !matches!(d, Denial::Expired { .. } | Denial::NotOwner | Denial::NoUnitsLeft)
}

/// `/plans`: the kinds of plan that can serve a product version; on request the others with
/// the message of P-N1-3, grouped where they share their reasons.
pub(crate) fn plan_view(
    app: &App,
    resolved: &Resolved,
    view: &PlanView,
    show_unavailable: bool,
    lang: Language,
) -> Message {
    let product = format!(
        "{} {} · {}",
        resolved.product.name,
        resolved.version.name,
        phase_name(view.phase, lang)
    );
    let available: Vec<String> = view
        .available
        .iter()
        .map(|p| plan_name(&app.config.policy, *p, lang))
        .collect();
    let mut card = Card {
        title: Text::plain(product),
        ..Card::default()
    };
    card.fields.push(Field::new(
        Label::AvailablePlans.words(lang),
        if available.is_empty() {
            Label::NoPlans.words(lang).to_string()
        } else {
            available.join("\n")
        },
    ));
    if !show_unavailable {
        let button = Button {
            action: Action::ShowUnavailable {
                product: resolved.product.key.clone(),
                version: resolved.version.name.clone(),
            },
            label: Label::ShowUnavailableButton.words(lang).to_string(),
            style: ButtonStyle::Secondary,
        };
        return Message::card(card).with_buttons(vec![button]);
    }
    let mut groups: Vec<(Vec<String>, Text)> = Vec::new();
    for u in &view.unavailable {
        let text = Text::plain(format!(
            "\"{}\" [{}]\n",
            lang.pick(UNAVAILABLE_MESSAGE, UNAVAILABLE_MESSAGE_NO),
            u.rules.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
        ))
        .append(Text::join(
            u.reasons.iter().map(|d| {
                app.text(
                    &Say::Denial {
                        denial: d.clone(),
                        owner: None,
                    },
                    lang,
                )
            }),
            "\n",
        ));
        let name = plan_name(&app.config.policy, u.plan, lang);
        match groups.iter_mut().find(|(_, t)| *t == text) {
            Some((names, _)) => names.push(name),
            None => groups.push((vec![name], text)),
        }
    }
    for (names, text) in groups {
        card.fields.push(Field::new(names.join(", "), text));
    }
    Message::card(card)
}

/// One pack with its last ledger rows, for `/pack balance`.
#[derive(Debug, Clone)]
pub(crate) struct PackBalance {
    pub entitlement: Entitlement,
    pub expired: bool,
    pub recent: Vec<LedgerEntry>,
}

/// `/pack balance`: a card per organisation, a field per pack with its last uses.
pub(crate) fn balance(app: &App, sections: &[(OrgId, Vec<PackBalance>)], lang: Language) -> Content {
    let cards = sections
        .iter()
        .map(|(org, packs)| {
            let title = app.organisation(org).map_or(org.to_string(), |o| o.name.clone());
            let mut card = Card {
                title: Text::plain(title),
                ..Card::default()
            };
            for pack in packs {
                card.fields.push(pack_field(app, pack, lang));
            }
            if packs.is_empty() {
                card.description = Some(Text::plain(Label::NoPacks.words(lang)));
            }
            card
        })
        .collect();
    Content::Message(Message {
        cards,
        ..Message::default()
    })
}

fn pack_field(app: &App, pack: &PackBalance, lang: Language) -> Field {
    let e = &pack.entitlement;
    let name = format!("{} ({})", plan_name(&app.config.policy, e.plan, lang), e.id);
    let expiry = match (e.expires_on, pack.expired) {
        (Some(d), true) => format!("{} {}", Label::Expired.words(lang), date(d, lang)),
        (Some(d), false) => format!("{} {}", Label::Expires.words(lang), date(d, lang)),
        (None, _) => Label::NoExpiry.words(lang).to_string(),
    };
    let mut value = Text::plain(format!(
        "{} · {expiry} · {} ",
        units_left(e.units_left, lang),
        Label::Owner.words(lang)
    ))
    .user(e.owner.clone())
    .push(format!(" · {} {}", Label::OrderNumber.words(lang), e.order_number));
    for entry in &pack.recent {
        let incident = entry.incident.map(|n| format!(" {n}")).unwrap_or_default();
        value = value.push("\n").time(entry.at, TimeStyle::Date).push(format!(
            " {}{incident} {:+}",
            ledger_word(entry.kind, lang),
            entry.delta
        ));
    }
    Field::new(name, value)
}

fn ledger_word(kind: LedgerKind, lang: Language) -> &'static str {
    match kind {
        LedgerKind::Grant => Label::LedgerGrant,
        LedgerKind::Consume => Label::LedgerConsume,
        LedgerKind::Refund => Label::LedgerRefund,
        LedgerKind::Transfer => Label::LedgerTransfer,
        LedgerKind::Expire => Label::LedgerExpire,
    }
    .words(lang)
}

/// An incident in a staff list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListedIncident {
    pub number: IncidentNumber,
    pub severity: Severity,
    pub organisation: OrgId,
    pub product: String,
    pub version: String,
    pub state: IncidentState,
    pub due: DateTime<Utc>,
}

impl ListedIncident {
    pub fn of(i: &Incident) -> ListedIncident {
        ListedIncident {
            number: i.number,
            severity: i.severity,
            organisation: i.organisation.clone(),
            product: i.product.clone(),
            version: i.version.clone(),
            state: i.state,
            due: i.first_response_due,
        }
    }
}

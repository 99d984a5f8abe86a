//! What the scheduler posts: reminders, breach alerts, escalations, pack expiry, digests.

use super::{plan_name, span, units_left, Words};
use crate::reply::{Text, TimeStyle};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use intakebot_core::ids::{EntitlementId, IncidentNumber, OrgId};
use intakebot_core::language::Language;
use intakebot_core::plan::PlanId;
use intakebot_core::severity::Severity;

/// The incident a notice is about: `INC-000123 · Sev B · SQL Server 2022`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub number: IncidentNumber,
    pub severity: Severity,
    pub product: String,
    pub version: String,
    pub organisation: OrgId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
    Reminder {
        head: Head,
        due: DateTime<Utc>,
    },
    Breach {
        head: Head,
        due: DateTime<Utc>,
        late: Duration,
    },
    Escalation {
        step: u32,
        head: Head,
        due: DateTime<Utc>,
        late: Duration,
    },
    /// Added to a notice posted late because the bot was offline.
    Offline {
        late: Duration,
    },
    ExpirySoon {
        plan: PlanId,
        pack: EntitlementId,
        units: u32,
        expires: NaiveDate,
    },
    ExpiredToday {
        plan: PlanId,
        pack: EntitlementId,
        units: u32,
    },
    ConfigProblem {
        channel: u64,
    },
    GaveUp {
        channel: u64,
        attempts: u32,
    },
    DigestHeader {
        count: usize,
        at: DateTime<Utc>,
    },
    /// The managers' daily list of incidents still waiting past their deadline.
    BreachDigest {
        entries: Vec<DigestEntry>,
    },
}

/// One incident of the daily digest of breaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DigestEntry {
    pub head: Head,
    pub late: Duration,
    pub taken_over_by: Option<intakebot_core::ids::AccountId>,
}

/// The most incidents a digest lists one by one (a message holds 2,000 characters).
const DIGEST_LINES: usize = 15;

impl Notice {
    pub fn render(&self, w: &Words<'_>) -> Text {
        match self {
            Notice::Reminder { head, due } => Text::plain(format!("⏰ {}: ", head_text(head, w)))
                .push(w.pick("first response due ", "frist for første svar "))
                .time(*due, TimeStyle::Relative)
                .push(" (")
                .time(*due, TimeStyle::Full)
                .push(w.pick("). Not acknowledged yet.", "). Ikke kvittert ennå.")),
            Notice::Breach { head, due, late } => Text::plain(match w.lang {
                Language::En => format!("🚨 First-response deadline missed: {} ({}) was due ", head_text(head, w), head.organisation),
                Language::No => format!("🚨 Frist for første svar brutt: {} ({}) hadde frist ", head_text(head, w), head.organisation),
            })
            .time(*due, TimeStyle::Full)
            // At the deadline itself "0 min late" says nothing; later (a delayed pass) it does.
            .push(match (w.lang, *late < Duration::minutes(1)) {
                (_, true) => ".".to_string(),
                (Language::En, false) => format!(", {} late.", span(*late, w.lang)),
                (Language::No, false) => format!(", {} for sent.", span(*late, w.lang)),
            }),
            Notice::Escalation { step, head, due, late } => Text::plain(match w.lang {
                Language::En => format!(
                    "⏫ Escalation {step}: {} ({}) is still unacknowledged, {} past its deadline (",
                    head_text(head, w),
                    head.organisation,
                    span(*late, w.lang)
                ),
                Language::No => format!(
                    "⏫ Eskalering {step}: {} ({}) er fortsatt ikke kvittert, {} etter fristen (",
                    head_text(head, w),
                    head.organisation,
                    span(*late, w.lang)
                ),
            })
            .time(*due, TimeStyle::Full)
            .push(")."),
            Notice::Offline { late } => Text::plain(match w.lang {
                Language::En => format!(" (late by {}: the bot was offline)", span(*late, w.lang)),
                Language::No => format!(" ({} forsinket: boten var frakoblet)", span(*late, w.lang)),
            }),
            Notice::ExpirySoon { plan, pack, units, expires } => {
                let name = plan_name(w.policy, *plan, w.lang);
                let at = expires.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
                Text::plain(match w.lang {
                    Language::En => format!("📦 {name} ({pack}) has {}; they expire ", units_left(*units, w.lang)),
                    Language::No => format!("📦 {name} ({pack}) har {}; de utløper ", units_left(*units, w.lang)),
                })
                .time(at, TimeStyle::Relative)
                .push(" (P-PLAN-2).")
            }
            Notice::ExpiredToday { plan, pack, units } => {
                let name = plan_name(w.policy, *plan, w.lang);
                Text::plain(match (w.lang, *units) {
                    (Language::En, 1) => format!("📦 1 unused unit of {name} ({pack}) expired today (P-PLAN-2)."),
                    (Language::En, n) => format!("📦 {n} unused units of {name} ({pack}) expired today (P-PLAN-2)."),
                    (Language::No, 1) => format!("📦 1 ubrukt hendelse i {name} ({pack}) utløp i dag (P-PLAN-2)."),
                    (Language::No, n) => format!("📦 {n} ubrukte hendelser i {name} ({pack}) utløp i dag (P-PLAN-2)."),
                })
            }
            Notice::ConfigProblem { channel } => Text::plain(w.pick(
                "⚠️ Configuration problem: the bot cannot post to ",
                "⚠️ Konfigurasjonsproblem: boten kan ikke skrive i ",
            ))
            .channel(*channel)
            .push(w.pick(
                " (missing access or unknown channel). Notices for it are not retried; fix the channel id in intakebot.toml or the bot's permissions. Details are in the log.",
                " (mangler tilgang eller ukjent kanal). Varsler dit prøves ikke på nytt; rett kanal-ID-en i intakebot.toml eller botens tillatelser. Detaljer står i loggen.",
            )),
            Notice::GaveUp { channel, attempts } => Text::plain(w.pick(
                "⚠️ Discord kept refusing notices to ",
                "⚠️ Discord avviste gjentatte ganger varsler til ",
            ))
            .channel(*channel)
            .push(match w.lang {
                Language::En => format!(
                    " (rate limited or unavailable): they were given up after {attempts} attempts and are not posted. Details are in the log."
                ),
                Language::No => format!(
                    " (for mange forespørsler eller utilgjengelig): de ble gitt opp etter {attempts} forsøk og blir ikke sendt. Detaljer står i loggen."
                ),
            }),
            Notice::DigestHeader { count, at } => Text::plain(match (w.lang, *count) {
                (Language::En, 1) => "**1 notice due** (".to_string(),
                (Language::En, n) => format!("**{n} notices due** ("),
                (Language::No, 1) => "**1 varsel** (".to_string(),
                (Language::No, n) => format!("**{n} varsler** ("),
            })
            .time(*at, TimeStyle::Relative)
            .push(")"),
            Notice::BreachDigest { entries } => breach_digest(entries, w),
        }
    }
}

fn head_text(head: &Head, w: &Words<'_>) -> String {
    format!(
        "{} · {} {} · {} {}",
        head.number,
        w.pick("Sev", "Grad"),
        head.severity,
        head.product,
        head.version
    )
}

impl crate::App {
    pub(crate) fn notice_text(&self, notice: &Notice, lang: Language) -> Text {
        notice.render(&Words {
            policy: &self.config.policy,
            lang,
        })
    }
}

fn breach_digest(entries: &[DigestEntry], w: &Words<'_>) -> Text {
    let mut text = Text::plain(match w.lang {
        Language::En => format!(
            "📋 Still waiting for a first response past the deadline ({}):",
            entries.len()
        ),
        Language::No => format!("📋 Venter fortsatt på første svar etter fristen ({}):", entries.len()),
    });
    for entry in entries.iter().take(DIGEST_LINES) {
        text = text.push(format!(
            "\n- {} ({}), {}",
            head_text(&entry.head, w),
            entry.head.organisation,
            match w.lang {
                Language::En => format!("{} late", span(entry.late, w.lang)),
                Language::No => format!("{} for sent", span(entry.late, w.lang)),
            }
        ));
        if let Some(by) = &entry.taken_over_by {
            text = text
                .push(w.pick(", taken over by ", ", tatt over av "))
                .user(by.clone());
        }
    }
    if entries.len() > DIGEST_LINES {
        let more = entries.len() - DIGEST_LINES;
        text = text.push(match w.lang {
            Language::En => format!("\n… and {more} more: /incident list which:breached"),
            Language::No => format!("\n… og {more} til: /hendelse liste hvilke:frist brutt"),
        });
    }
    text
}

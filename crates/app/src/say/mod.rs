//! Every sentence the bot says, in English and Norwegian (bokmål, in the seed's words: see
//! `GLOSSARY.md`). A `Say` is what to say as data; `render` writes it in a language. Short
//! fixed words (buttons, form fields, card labels) are `Label`s. Each `match` below covers
//! every variant and both languages, so a sentence cannot exist in one language only.

mod errors;
mod intake;
mod labels;
mod notices;
mod policy;
mod report;
mod work;

pub(crate) use labels::Label;
pub(crate) use notices::{DigestEntry, Head, Notice};
pub(crate) use policy::{coverage_name, phase_name, plan_name, state_name};
pub(crate) use report::{report_card, weekly_intro};

use crate::error::ErrorId;
use crate::present::ListedIncident;
use crate::reply::{OpenNote, Text};
use crate::request::ListChoice;
use crate::App;
use chrono::{Duration, NaiveDate};
use intakebot_core::catalog::LifecyclePhase;
use intakebot_core::entitlement::{Entitlement, TransferRefused};
use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber, OrgId};
use intakebot_core::incident::{IncidentState, Outcome, RefundDecision, TransitionError};
use intakebot_core::intake::{ExclusionKey, MissingField, PointerKind, SeverityFinding};
use intakebot_core::language::Language;
use intakebot_core::plan::PlanId;
use intakebot_core::policy::{Denial, Downgrade, Pointer, Policy};

/// One thing the bot says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Say {
    // Errors and refusals a user can act on.
    Apology {
        id: ErrorId,
    },
    NotACustomer,
    WrongIntakeChannel {
        own: u64,
    },
    UnknownProduct {
        product: String,
        known: Vec<String>,
    },
    UnknownVersion {
        product: String,
        version: String,
        known: Vec<String>,
    },
    MissingSeverity,
    BadSeverity,
    MissingSolution,
    NoPlanUsable,
    AlreadyOpened {
        number: IncidentNumber,
    },
    NameTheIncident,
    NotFound {
        number: IncidentNumber,
    },
    NotAllowed {
        number: IncidentNumber,
        why: TransitionError,
    },
    OnlyEngineersResolve,
    ChooseOutcome,
    OnlyStaffNotes,
    EmptyNote,
    OnlyStaffLists,
    OnlyManagers,
    /// `/report sla` asked by a customer or an engineer.
    OnlyManagersSeeReports,
    NotAMember,
    UnknownOrganisation {
        org: OrgId,
    },
    NoSuchPack {
        pack: EntitlementId,
    },
    TransferRefused {
        pack: EntitlementId,
        why: TransferRefused,
    },
    NoUnitsLeft,
    PackExpired,
    OrderNumberMismatch,
    ChangedMeanwhile {
        number: IncidentNumber,
        now: IncidentState,
    },
    AlreadyRefunded {
        number: IncidentNumber,
    },
    OnlyAuthorCompletes,
    FormExpired,
    Invalid(crate::request::Invalid),
    AlreadyTakenOver {
        number: IncidentNumber,
        by: AccountId,
    },
    MissingOnCall,
    OnlyCustomersSwitch,
    Only24x7ForA {
        number: IncidentNumber,
    },
    Already24x7 {
        number: IncidentNumber,
    },
    AlreadyAnswered {
        number: IncidentNumber,
    },
    DeadlinePassed {
        number: IncidentNumber,
    },
    /// A manager took a breached incident over.
    TakenOver {
        number: IncidentNumber,
        by: AccountId,
        waiting: bool,
    },
    SwitchedTo24x7 {
        number: IncidentNumber,
        due: chrono::DateTime<chrono::Utc>,
        contact: String,
    },

    // Opening.
    Opened {
        number: IncidentNumber,
        thread: u64,
    },
    OpenedWithoutThread {
        number: IncidentNumber,
        id: ErrorId,
    },
    NewIncidentHeading,
    NewSubIncidentHeading,
    Note(OpenNote),
    Downgrade(Downgrade),
    /// None of the organisation's packs can serve the product version.
    RefusalIntro {
        product: String,
        phase: LifecyclePhase,
    },
    /// The plan the member named cannot be used (never swapped for another).
    NamedPlanRefused {
        named: String,
    },
    NoPacksHeld,
    /// The organisation holds no pack the member named.
    NotHeld {
        named: crate::request::PlanChoice,
    },
    /// The packs that would serve, offered instead of the one named.
    WouldWork,
    NothingElseWorks,
    /// Why a pack cannot be used, for a refusal.
    Denial {
        denial: Denial,
        owner: Option<AccountId>,
    },
    PointerText(Pointer),

    // Working an incident.
    Acknowledged {
        number: IncidentNumber,
        met: bool,
    },
    Closed {
        number: IncidentNumber,
        outcome: Outcome,
        note: String,
    },
    RefundDecided {
        number: IncidentNumber,
        decision: RefundDecision,
    },
    NoteForEngineers {
        number: IncidentNumber,
        author: AccountId,
        text: String,
    },
    NoteRecorded {
        number: IncidentNumber,
    },
    SplitDone {
        parent: IncidentNumber,
        created: Vec<IncidentNumber>,
        refused: Vec<RefusedPart>,
        left: u32,
    },

    // Packs.
    Granted {
        pack: EntitlementId,
        plan: PlanId,
        units: u32,
    },
    Transferred {
        pack: EntitlementId,
        owner: AccountId,
    },
    PackChoice(Entitlement),

    // Chat intake.
    /// An answer from the FAQ, already in its language.
    Verbatim(String),
    Pointer(PointerKind),
    OutOfScope(ExclusionKey),
    Missing {
        missing: Vec<MissingField>,
        severity: Option<SeverityFinding>,
        split_hint: bool,
    },
    /// A message to the bot that is no request, question or scope matter: how to ask.
    NotUnderstood,

    // Lists and overviews.
    IncidentList {
        which: ListChoice,
        incidents: Vec<ListedIncident>,
    },
    Faq,
}

/// A sub-problem of a split the pack's units did not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RefusedPart {
    pub title: String,
    /// The pack expired on this day; otherwise it had no units left.
    pub expired_on: Option<NaiveDate>,
}

/// What rendering needs besides the language: the policy's names and pages.
pub(crate) struct Words<'a> {
    pub policy: &'a Policy,
    pub lang: Language,
}

impl Words<'_> {
    /// English or Norwegian.
    pub fn pick<'s>(&self, en: &'s str, no: &'s str) -> &'s str {
        self.lang.pick(en, no)
    }

    pub fn is_no(&self) -> bool {
        self.lang == Language::No
    }
}

impl Say {
    /// Writes the sentence: one arm per variant, each in both languages.
    pub fn render(&self, w: &Words<'_>) -> Text {
        use Say::*;
        match self {
            Apology { id } => errors::apology(*id, w),
            NotACustomer => errors::not_a_customer(w),
            WrongIntakeChannel { own } => errors::wrong_intake_channel(*own, w),
            UnknownProduct { product, known } => errors::unknown_product(product, known, w),
            UnknownVersion {
                product,
                version,
                known,
            } => errors::unknown_version(product, version, known, w),
            MissingSeverity => errors::missing_severity(w),
            BadSeverity => errors::bad_severity(w),
            MissingSolution => errors::missing_solution(w),
            NoPlanUsable => errors::no_plan_usable(w),
            AlreadyOpened { number } => errors::already_opened(*number, w),
            NameTheIncident => errors::name_the_incident(w),
            NotFound { number } => errors::not_found(*number, w),
            NotAllowed { number, why } => errors::not_allowed(*number, why, w),
            OnlyEngineersResolve => errors::only_engineers_resolve(w),
            ChooseOutcome => errors::choose_outcome(w),
            OnlyStaffNotes => errors::only_staff_notes(w),
            EmptyNote => errors::empty_note(w),
            OnlyStaffLists => errors::only_staff_lists(w),
            OnlyManagers => errors::only_managers(w),
            OnlyManagersSeeReports => errors::only_managers_see_reports(w),
            NotAMember => errors::not_a_member(w),
            UnknownOrganisation { org } => errors::unknown_organisation(org, w),
            NoSuchPack { pack } => errors::no_such_pack(*pack, w),
            TransferRefused { pack, why } => errors::transfer_refused(*pack, why, w),
            NoUnitsLeft => errors::no_units_left(w),
            PackExpired => errors::pack_expired(w),
            OrderNumberMismatch => errors::order_number_mismatch(w),
            ChangedMeanwhile { number, now } => errors::changed_meanwhile(*number, *now, w),
            AlreadyRefunded { number } => errors::already_refunded(*number, w),
            OnlyAuthorCompletes => errors::only_author_completes(w),
            Invalid(invalid) => errors::invalid(invalid, w),
            AlreadyTakenOver { number, by } => work::already_taken_over(*number, by, w),
            MissingOnCall => Text::plain(w.pick(
                "Name the contact on your side who is on call around the clock; nothing was changed.",
                "Oppgi vaktkontakten hos dere som er tilgjengelig hele døgnet; ingenting ble endret.",
            )),
            OnlyCustomersSwitch => Text::plain(w.pick(
                "Only the customer's organisation can move an incident to 24x7: it commits them to being available around the clock (P-SEV-5).",
                "Bare kundens organisasjon kan flytte en hendelse til døgnet rundt (24/7): det forplikter dem til å være tilgjengelige hele døgnet (P-SEV-5).",
            )),
            Only24x7ForA { number } => work::only_24x7_for_a(*number, w),
            Already24x7 { number } => work::already_24x7(*number, w),
            AlreadyAnswered { number } => work::already_answered(*number, w),
            DeadlinePassed { number } => work::deadline_passed(*number, w),
            TakenOver { number, by, waiting } => work::taken_over(*number, by, *waiting, w),
            SwitchedTo24x7 { number, due, contact } => work::switched_to_24x7(*number, *due, contact, w),
            FormExpired => Text::plain(w.pick(
                "That form has expired; nothing was done. Run the command again.",
                "Skjemaet er utløpt; ingenting ble gjort. Kjør kommandoen på nytt.",
            )),
            Opened { number, thread } => work::opened(*number, *thread, w),
            OpenedWithoutThread { number, id } => work::opened_without_thread(*number, *id, w),
            NewIncidentHeading => Text::plain(w.pick("new incident", "ny hendelse")),
            NewSubIncidentHeading => Text::plain(w.pick("new sub-incident", "ny delhendelse")),
            Note(note) => intake::note(*note, w),
            Downgrade(downgrade) => policy::downgrade(*downgrade, w),
            RefusalIntro { product, phase } => policy::refusal_intro(product, *phase, w),
            NamedPlanRefused { named } => policy::named_plan_refused(named, w),
            NoPacksHeld => Text::plain(w.pick(
                "Your organisation holds no support plans.",
                "Organisasjonen din har ingen støtteplaner.",
            )),
            NotHeld { named } => policy::not_held(*named, w),
            WouldWork => Text::plain(w.pick("These plans can be used", "Disse støtteplanene kan brukes")),
            NothingElseWorks => Text::plain(w.pick(
                "None of your organisation's other plans can be used for it.",
                "Ingen av organisasjonens andre støtteplaner kan brukes for den.",
            )),
            Denial { denial, owner } => policy::denial(denial, owner.as_ref(), w),
            PointerText(pointer) => policy::pointer(*pointer, w),
            Acknowledged { number, met } => work::acknowledged(*number, *met, w),
            Closed { number, outcome, note } => work::closed(*number, *outcome, note, w),
            RefundDecided { number, decision } => work::refund_decided(*number, *decision, w),
            NoteForEngineers { number, author, text } => work::note_for_engineers(*number, author, text, w),
            NoteRecorded { number } => work::note_recorded(*number, w),
            SplitDone {
                parent,
                created,
                refused,
                left,
            } => work::split_done(*parent, created, refused, *left, w),
            Granted { pack, plan, units } => work::granted(*pack, *plan, *units, w),
            Transferred { pack, owner } => work::transferred(*pack, owner, w),
            PackChoice(pack) => work::pack_choice(pack, w),
            Verbatim(text) => Text::plain(text.clone()),
            Pointer(kind) => intake::pointer(*kind, w),
            OutOfScope(key) => intake::out_of_scope(*key, w),
            Missing {
                missing,
                severity,
                split_hint,
            } => intake::missing(missing, severity.as_ref(), *split_hint, w),
            IncidentList { which, incidents } => work::incident_list(*which, incidents, w),
            Faq => intake::faq(w),
            NotUnderstood => intake::not_understood(w),
        }
    }
}

impl App {
    /// A sentence in `lang`.
    pub(crate) fn text(&self, say: &Say, lang: Language) -> Text {
        say.render(&Words {
            policy: &self.config.policy,
            lang,
        })
    }

    /// A sentence in `lang` as plain words (labels, choices).
    pub(crate) fn words(&self, say: &Say, lang: Language) -> String {
        self.text(say, lang).words()
    }
}

/// "2 h 5 min" / "2 t 5 min".
pub(crate) fn span(d: Duration, lang: Language) -> String {
    let minutes = d.num_minutes().max(0);
    let (h, m) = (minutes / 60, minutes % 60);
    let hour = lang.pick("h", "t");
    match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} {hour}"),
        (h, m) => format!("{h} {hour} {m} min"),
    }
}

/// A date in a sentence: 2027-03-01 in English, 01.03.2027 in Norwegian.
pub(crate) fn date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::En => d.format("%Y-%m-%d").to_string(),
        Language::No => d.format("%d.%m.%Y").to_string(),
    }
}

/// "1 unit left" / "1 hendelse igjen", with the number agreeing.
pub(crate) fn units_left(n: u32, lang: Language) -> String {
    match (lang, n) {
        (Language::En, 1) => "1 unit left".to_string(),
        (Language::En, n) => format!("{n} units left"),
        (Language::No, 1) => "1 hendelse igjen".to_string(),
        (Language::No, n) => format!("{n} hendelser igjen"),
    }
}

/// A list of names: "a, b and c" / "a, b og c".
pub(crate) fn and_list(items: &[String], lang: Language) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.pick("and", "og")),
    }
}

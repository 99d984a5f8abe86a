//! Short fixed words: buttons, form titles and fields, card labels.

use intakebot_core::language::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub(crate) enum Label {
    AckButton,
    ResolveButton,
    CloseButton,
    ShowUnavailableButton,
    CompleteButton,
    TakeOverButton,
    SwitchTo24x7Button,
    FormNewIncident,
    FormOnCall,
    FieldOnCall,
    FormResolve,
    FormCompleteDraft,
    FieldTitle,
    FieldProblem,
    FieldSolution,
    FieldProduct,
    FieldVersion,
    FieldSeverity,
    Severity,
    SeverityShort,
    Coverage,
    Product,
    Plan,
    ProblemDefinition,
    FirstResponseDue,
    Remark,
    Scope,
    BorderlineScope,
    State,
    FirstResponse,
    WithinDeadline,
    AfterDeadline,
    Closed,
    SubIncidentOf,
    InternalNotes,
    NoResolutionPromise,
    AvailablePlans,
    UnavailablePlans,
    NoPlans,
    WhereToGo,
    NoPacks,
    Owner,
    OrderNumber,
    Expires,
    Expired,
    NoExpiry,
    LedgerGrant,
    LedgerConsume,
    LedgerRefund,
    LedgerTransfer,
    LedgerExpire,
}

impl Label {
    pub fn words(self, lang: Language) -> &'static str {
        let (en, no) = match self {
            Label::AckButton => ("Acknowledge", "Kvitter"),
            Label::ResolveButton => ("Resolve", "Løs"),
            Label::CloseButton => ("Close", "Lukk"),
            Label::ShowUnavailableButton => ("Show unavailable plans", "Vis utilgjengelige støtteplaner"),
            Label::CompleteButton => ("Complete the request", "Fullfør forespørselen"),
            Label::TakeOverButton => ("Take over", "Ta over"),
            Label::SwitchTo24x7Button => ("Switch to 24x7", "Bytt til døgnet rundt (24/7)"),
            Label::FormOnCall => ("Switch to 24x7", "Bytt til døgnet rundt (24/7)"),
            Label::FieldOnCall => (
                "On-call contact around the clock (name, phone)",
                "Vaktkontakt hele døgnet (navn, telefon)",
            ),
            Label::FormNewIncident => ("New incident", "Ny hendelse"),
            Label::FormResolve => ("Resolve the incident", "Løs hendelsen"),
            Label::FormCompleteDraft => ("Complete the request", "Fullfør forespørselen"),
            Label::FieldTitle => ("Title", "Tittel"),
            Label::FieldProblem => ("Agreed problem definition", "Avtalt problemdefinisjon"),
            Label::FieldSolution => ("Proposed solution", "Foreslått løsning"),
            Label::FieldProduct => ("Product", "Produkt"),
            Label::FieldVersion => ("Version", "Versjon"),
            Label::FieldSeverity => ("Severity (A, B or C)", "Alvorlighetsgrad (A, B eller C)"),
            Label::Severity => ("Severity", "Alvorlighetsgrad"),
            Label::SeverityShort => ("Sev", "Grad"),
            Label::Coverage => ("Coverage", "Dekning"),
            Label::Product => ("Product", "Produkt"),
            Label::Plan => ("Support plan", "Støtteplan"),
            Label::ProblemDefinition => ("Problem definition", "Problemdefinisjon"),
            Label::FirstResponseDue => ("First response due", "Frist for første svar"),
            Label::Remark => ("Note", "Merknad"),
            Label::Scope => ("Scope", "Omfang"),
            Label::BorderlineScope => (
                "borderline: an engineer will confirm it is covered (P-SCOPE-1)",
                "grensetilfelle: en tekniker bekrefter at hendelsen dekkes (P-SCOPE-1)",
            ),
            Label::State => ("State", "Status"),
            Label::FirstResponse => ("First response", "Første svar"),
            Label::WithinDeadline => ("within the deadline", "innen fristen"),
            Label::AfterDeadline => ("after the deadline", "etter fristen"),
            Label::Closed => ("Closed", "Lukket"),
            Label::SubIncidentOf => ("Sub-incident of", "Delhendelse av"),
            Label::InternalNotes => ("Internal notes", "Interne notater"),
            Label::NoResolutionPromise => (
                "We respond by the deadline; a resolution cannot be guaranteed.",
                "Vi svarer innen fristen; en løsning kan ikke garanteres.",
            ),
            Label::AvailablePlans => ("Support plans you can use", "Støtteplaner du kan bruke"),
            Label::UnavailablePlans => ("Unavailable support plans", "Utilgjengelige støtteplaner"),
            Label::NoPlans => ("(none)", "(ingen)"),
            Label::WhereToGo => ("Where to go instead", "Hvor du kan få hjelp i stedet"),
            Label::NoPacks => ("(no packs)", "(ingen pakker)"),
            Label::Owner => ("owner", "eier"),
            Label::OrderNumber => ("order number", "ordrenummer"),
            Label::Expires => ("expires", "utløper"),
            Label::Expired => ("expired", "utløpt"),
            Label::NoExpiry => ("does not expire", "utløper ikke"),
            Label::LedgerGrant => ("granted", "tildelt"),
            Label::LedgerConsume => ("charged", "trukket fra pakken"),
            Label::LedgerRefund => ("refunded", "ført tilbake til pakken"),
            Label::LedgerTransfer => ("moved to a new owner", "flyttet til ny eier"),
            Label::LedgerExpire => ("expired", "utløpt"),
        };
        lang.pick(en, no)
    }
}

#[cfg(test)]
mod tests {
    use super::Label;
    use intakebot_core::language::Language;
    use strum::IntoEnumIterator;

    #[test]
    fn every_label_is_norwegian_in_the_glossarys_words() {
        for label in Label::iter() {
            let no = label.words(Language::No);
            assert!(!no.trim().is_empty(), "{label:?} has no Norwegian words");
            let problems = intakebot_testkit::glossary::problems(no);
            assert!(problems.is_empty(), "{label:?} {no:?}: {problems:?}");
        }
    }
}

//! The fixed choices of command options, named in both languages, and what each means.

use intakebot_app::request::{CloseChoice, ListChoice};
use intakebot_core::incident::RefundDecision;
use intakebot_core::severity::{Coverage, Severity};

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum SeverityChoice {
    #[name = "A – critical business impact (2 h)"]
    #[name_localized("no", "A – kritisk forretningsinnvirkning (2 t)")]
    A,
    #[name = "B – moderate business impact (4 business h)"]
    #[name_localized("no", "B – moderat innvirkning (4 arbeidstimer)")]
    B,
    #[name = "C – minimal business impact (8 business h)"]
    #[name_localized("no", "C – minimal innvirkning (8 arbeidstimer)")]
    C,
}

impl From<SeverityChoice> for Severity {
    fn from(c: SeverityChoice) -> Severity {
        match c {
            SeverityChoice::A => Severity::A,
            SeverityChoice::B => Severity::B,
            SeverityChoice::C => Severity::C,
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum CoverageChoice {
    #[name = "Business hours"]
    #[name_localized("no", "Arbeidstid")]
    Business,
    #[name = "24x7 (severity A, with an on-call contact)"]
    #[name_localized("no", "Døgnet rundt (24/7) (A, med vaktkontakt)")]
    TwentyFourSeven,
}

impl From<CoverageChoice> for Coverage {
    fn from(c: CoverageChoice) -> Coverage {
        match c {
            CoverageChoice::Business => Coverage::BusinessHours,
            CoverageChoice::TwentyFourSeven => Coverage::TwentyFourSeven,
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum CloseOutcome {
    #[name = "unresolved"]
    #[name_localized("no", "uløst")]
    Unresolved,
    #[name = "out-of-scope"]
    #[name_localized("no", "utenfor omfanget av profesjonell støtte")]
    OutOfScope,
}

impl From<CloseOutcome> for CloseChoice {
    fn from(c: CloseOutcome) -> CloseChoice {
        match c {
            CloseOutcome::Unresolved => CloseChoice::Unresolved,
            CloseOutcome::OutOfScope => CloseChoice::OutOfScope,
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ListOption {
    #[name = "open"]
    #[name_localized("no", "åpne")]
    Open,
    #[name = "waiting"]
    #[name_localized("no", "venter på første svar")]
    Waiting,
    #[name = "at-risk"]
    #[name_localized("no", "i fare for fristbrudd")]
    AtRisk,
    #[name = "breached"]
    #[name_localized("no", "frist brutt")]
    Breached,
}

impl From<ListOption> for ListChoice {
    fn from(c: ListOption) -> ListChoice {
        match c {
            ListOption::Open => ListChoice::Open,
            ListOption::Waiting => ListChoice::Waiting,
            ListOption::AtRisk => ListChoice::AtRisk,
            ListOption::Breached => ListChoice::Breached,
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum RefundOption {
    #[name = "refund"]
    #[name_localized("no", "før tilbake til pakken")]
    Refund,
    #[name = "keep"]
    #[name_localized("no", "behold")]
    Keep,
}

impl From<RefundOption> for RefundDecision {
    fn from(c: RefundOption) -> RefundDecision {
        match c {
            RefundOption::Refund => RefundDecision::Refund,
            RefundOption::Keep => RefundDecision::Keep,
        }
    }
}

//! `/plans`: which kinds of plan can serve a product version for the member's sign-in, and on
//! request the others with the message of P-N1-3 and the rules that exclude them.

use crate::open::{evaluate, resolve_product};
use crate::present;
use crate::reply::Content;
use crate::turn::{Replies, Turn};
use intakebot_core::policy::{plan_view, SlaRequest, Subject};
use intakebot_core::severity::{Coverage, Severity};

pub(crate) fn plans(turn: &Turn<'_>, product: &str, version: &str, show_unavailable: bool) -> Replies {
    let resolved = resolve_product(turn.app, product, version)?;
    let subject = Subject {
        product: &resolved.product,
        version: &resolved.version,
    };
    let view = plan_view(&turn.app.config.policy, subject, turn.member.sign_in, turn.now());
    let message = present::plan_view(turn.app, &resolved, &view, show_unavailable, turn.lang());
    Ok(vec![turn.private_content(Content::Message(message))])
}

/// The organisation's packs that cannot serve this product version, and why (P-N1-3): the
/// "show unavailable plans" button under a refusal.
pub(crate) async fn unavailable_packs(turn: &Turn<'_>, product: &str, version: &str) -> Replies {
    let org = crate::open::customer_org(turn)?;
    let resolved = resolve_product(turn.app, product, version)?;
    let probe = SlaRequest {
        severity: Severity::C,
        coverage: Coverage::BusinessHours,
        has_on_call_contact: false,
    };
    let decision = evaluate(turn, &org, &resolved, probe).await?;
    let message = present::unavailable_packs(turn.app, &decision, turn.lang());
    Ok(vec![turn.private_content(Content::Message(message))])
}

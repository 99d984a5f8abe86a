//! Table tests of the policy engine at exact boundary dates, one group per rule.

use super::fixtures::*;
use super::*;
use crate::catalog::{LifecyclePhase, Product};
use crate::ids::AccountId;
use crate::plan::{PlanId, SignInKind};
use crate::rules::RuleId;
use crate::severity::{Coverage, Severity};
use chrono::NaiveDate;

const PARTNER_PACKS: [PlanId; 3] = [PlanId::PartnerGold20, PlanId::PartnerSilver15, PlanId::PartnerMaps10];

fn view(product: &Product, version: &str, day: NaiveDate, sign_in: SignInKind) -> PlanView {
    let subject = Subject {
        product,
        version: product.version(version).unwrap(),
    };
    plan_view(&policy(), subject, sign_in, at(day))
}

fn denied(view: &PlanView, plan: PlanId) -> Option<&UnavailablePlan> {
    view.unavailable.iter().find(|u| u.plan == plan)
}

fn is_available(view: &PlanView, plan: PlanId) -> bool {
    view.available.contains(&plan)
}

fn requester(account: &str, sign_in: SignInKind) -> Requester {
    Requester {
        account: AccountId::new(account),
        sign_in,
    }
}

const B_BUSINESS: SlaRequest = SlaRequest {
    severity: Severity::B,
    coverage: Coverage::BusinessHours,
    has_on_call_contact: false,
};

// P-LIFE-2: professional incidents (pay per incident, five-pack) cover mainstream and extended.
#[test]
fn p_life_2_professional_plans_cover_extended_support_to_its_last_day() {
    let sql = sql_server();
    let extended = view(&sql, "2017", d(2027, 10, 12), SignInKind::Personal);
    assert_eq!(extended.phase, LifecyclePhase::Extended);
    assert!(is_available(&extended, PlanId::PayPerIncident));
    assert!(is_available(&extended, PlanId::FivePack));
    assert!(is_available(&extended, PlanId::Signature));
}

// P-LIFE-4 (and P-SCOPE-1): out of lifecycle, no plan at all; the day before, still covered.
#[test]
fn p_life_4_p_scope_1_out_of_lifecycle_version_gets_no_plan_from_the_day_after_extended_ends() {
    let sql = sql_server();
    let last_day = view(&sql, "2016", d(2026, 7, 14), SignInKind::Personal);
    assert!(is_available(&last_day, PlanId::FivePack));
    let day_after = view(&sql, "2016", d(2026, 7, 15), SignInKind::Personal);
    assert_eq!(day_after.phase, LifecyclePhase::Out);
    assert!(day_after.available.is_empty());
    for plan in PlanId::ALL {
        let why = denied(&day_after, plan).unwrap();
        assert!(why.rules.contains(&RuleId::Life4), "{plan}: {:?}", why.rules);
        assert!(why.rules.contains(&RuleId::Scope1));
    }
}

// P-LIFE-1: a version not yet released is refused, as is its phase reported.
#[test]
fn p_life_1_unreleased_version_is_refused_until_release_day() {
    let sql = sql_server();
    let before = view(&sql, "2025", d(2025, 11, 17), SignInKind::Personal);
    assert_eq!(before.phase, LifecyclePhase::Unreleased);
    assert!(denied(&before, PlanId::FivePack)
        .unwrap()
        .rules
        .contains(&RuleId::Life1));
    assert!(is_available(
        &view(&sql, "2025", d(2025, 11, 18), SignInKind::Personal),
        PlanId::FivePack
    ));
}

// P-LIFE-3: partner packs only in mainstream: the last day of mainstream vs the day after.
#[test]
fn partner_packs_stop_the_day_after_mainstream_ends() {
    let sql = sql_server();
    // On its last mainstream day 2019 is N-1 (2022 current, 2025 unreleased): covered.
    let last_day = view(&sql, "2019", d(2025, 2, 28), SignInKind::Work);
    assert_eq!(last_day.phase, LifecyclePhase::Mainstream);
    let day_after = view(&sql, "2019", d(2025, 3, 1), SignInKind::Work);
    assert_eq!(day_after.phase, LifecyclePhase::Extended);
    for plan in PARTNER_PACKS {
        assert!(is_available(&last_day, plan), "{plan} on last mainstream day");
        let why = denied(&day_after, plan).unwrap();
        assert!(why.rules.contains(&RuleId::Life3), "{plan}: {:?}", why.rules);
    }
    // Paid support keeps serving it in extended.
    assert!(is_available(&day_after, PlanId::Signature));
}

// P-N1-2: the current version is covered by partner packs.
#[test]
fn partner_packs_cover_the_current_version() {
    let view = view(&sql_server(), "2025", d(2026, 11, 23), SignInKind::Work);
    for plan in PARTNER_PACKS {
        assert!(is_available(&view, plan));
    }
}

// P-N1-2: the previous version while it is in mainstream.
#[test]
fn partner_packs_cover_the_previous_version_in_mainstream() {
    let view = view(&sql_server(), "2022", d(2026, 11, 23), SignInKind::Work);
    assert_eq!(view.phase, LifecyclePhase::Mainstream);
    for plan in PARTNER_PACKS {
        assert!(is_available(&view, plan));
    }
}

// P-N1-2: not the previous version once it has left mainstream (Windows Server 2022 on 2026-10-14).
#[test]
fn partner_packs_refuse_the_previous_version_out_of_mainstream() {
    let windows = windows_server();
    let last_day = view(&windows, "2022", d(2026, 10, 13), SignInKind::Work);
    assert!(is_available(&last_day, PlanId::PartnerGold20));
    let day_after = view(&windows, "2022", d(2026, 10, 14), SignInKind::Work);
    let why = denied(&day_after, PlanId::PartnerGold20).unwrap();
    assert!(why.rules.contains(&RuleId::N1_2));
    assert!(why.reasons.contains(&Denial::NMinusOne {
        generations_behind: 1,
        previous_in_mainstream: false
    }));
}

// P-N1-2: N-2 is never covered by a partner pack, even while it is still in mainstream.
#[test]
fn partner_packs_refuse_n_minus_two_even_in_mainstream() {
    // On 2025-11-18 SQL Server 2025 ships: 2022 becomes N-1 and 2019 N-2 (2019 left mainstream in
    // February 2025, so use Windows Server 2019 on 2024-11-02 instead: N-2 after 2025 shipped, and
    // already in extended) and check that the N-1 reason is reported on its own terms.
    let windows = windows_server();
    let v = view(&windows, "2019", d(2024, 11, 2), SignInKind::Work);
    let why = denied(&v, PlanId::PartnerSilver15).unwrap();
    assert!(why.reasons.contains(&Denial::NMinusOne {
        generations_behind: 2,
        previous_in_mainstream: false
    }));
    // A version two generations behind while still in mainstream: SQL Server 2022 when a newer
    // release and another after it exist. Build that catalog by adding two releases.
    let mut sql = sql_server();
    sql.versions
        .push(crate::catalog::Version::with_default_lifecycle("2027", d(2027, 6, 1)));
    let v = view(&sql, "2022", d(2027, 6, 1), SignInKind::Work);
    assert_eq!(v.phase, LifecyclePhase::Mainstream);
    let why = denied(&v, PlanId::PartnerMaps10).unwrap();
    assert_eq!(
        why.reasons,
        vec![Denial::NMinusOne {
            generations_behind: 2,
            previous_in_mainstream: true
        }]
    );
    assert!(why.rules.contains(&RuleId::N1_2));
}

// P-N1-1: N-1 binds only the three partner packs; Signature, advanced partner and pay per incident are free of it.
#[test]
fn p_n1_1_n_minus_one_binds_only_partner_packs() {
    let view = view(&windows_server(), "2019", d(2026, 11, 23), SignInKind::Personal);
    for plan in [
        PlanId::Signature,
        PlanId::AdvancedPartner,
        PlanId::PayPerIncident,
        PlanId::FivePack,
    ] {
        assert!(is_available(&view, plan), "{plan}");
    }
    for plan in PARTNER_PACKS {
        assert!(denied(&view, plan).unwrap().rules.contains(&RuleId::N1_2), "{plan}");
    }
}

// P-N1-3: each unavailable plan carries the exact message and the rule that excluded it.
#[test]
fn unavailable_plans_carry_the_exact_message_and_rules() {
    let view = view(&windows_server(), "2019", d(2026, 11, 23), SignInKind::Work);
    assert!(!view.unavailable.is_empty());
    for plan in &view.unavailable {
        assert_eq!(
            plan.message,
            "Support plan cannot be used for support on the specified product"
        );
        assert_eq!(plan.rules[0], RuleId::N1_3);
        assert!(plan.rules.len() > 1, "names the excluding rule too");
    }
}

// P-N1-4: a partner excluded by N-1 is pointed to pay per incident.
#[test]
fn p_n1_4_n_minus_one_refusal_points_to_pay_per_incident() {
    let windows = windows_server();
    let subject = Subject {
        product: &windows,
        version: windows.version("2022").unwrap(),
    };
    let gold = entitlement(1, PlanId::PartnerGold20, 20, d(2026, 1, 1), "partner");
    let decision = decide(
        &policy(),
        subject,
        &requester("partner", SignInKind::Personal),
        &[gold],
        B_BUSINESS,
        at(d(2026, 11, 23)),
    );
    assert!(decision.is_refused());
    assert!(decision.unusable[0].why.pointers.contains(&Pointer::PayPerIncident));
    assert_eq!(decision.pointers, vec![Pointer::PayPerIncident]);
}

// P-CLOUD-1: partner packs don't cover cloud products; Signature Cloud does, and is pointed to.
#[test]
fn cloud_products_are_for_signature_cloud() {
    let azure = azure_sql();
    let view = view(&azure, "current", d(2026, 11, 23), SignInKind::Work);
    assert_eq!(view.available, vec![PlanId::SignatureCloud]);
    for plan in PARTNER_PACKS {
        let why = denied(&view, plan).unwrap();
        assert!(why.rules.contains(&RuleId::Cloud1));
        assert_eq!(why.pointers, vec![Pointer::SignatureCloud]);
        assert!(!why.rules.contains(&RuleId::N1_2), "N-1 is not about cloud products");
    }
    let on_prem = view_of_signature_cloud_on_prem();
    assert!(on_prem.rules.contains(&RuleId::Cloud1));
}

fn view_of_signature_cloud_on_prem() -> UnavailablePlan {
    let v = view(&sql_server(), "2025", d(2026, 11, 23), SignInKind::Work);
    denied(&v, PlanId::SignatureCloud).unwrap().clone()
}

// P-PLAN-5: pay per incident needs a personal sign-in; a work (Entra) sign-in is pointed to the personal route.
#[test]
fn pay_per_incident_refuses_work_sign_in() {
    let sql = sql_server();
    let personal = view(&sql, "2022", d(2026, 11, 23), SignInKind::Personal);
    assert!(is_available(&personal, PlanId::PayPerIncident));
    let work = view(&sql, "2022", d(2026, 11, 23), SignInKind::Work);
    let why = denied(&work, PlanId::PayPerIncident).unwrap();
    assert_eq!(why.rules, vec![RuleId::N1_3, RuleId::Plan5]);
    assert_eq!(why.pointers, vec![Pointer::PersonalAccount]);
}

// P-PLAN-5: when nothing held is usable and only the sign-in blocks pay per incident, point to the personal route.
#[test]
fn refusal_with_work_sign_in_points_to_personal_account_not_purchase() {
    let windows = windows_server();
    let subject = Subject {
        product: &windows,
        version: windows.version("2022").unwrap(),
    };
    let gold = entitlement(1, PlanId::PartnerGold20, 20, d(2026, 1, 1), "partner");
    let decision = decide(
        &policy(),
        subject,
        &requester("partner", SignInKind::Work),
        &[gold],
        B_BUSINESS,
        at(d(2026, 11, 23)),
    );
    assert_eq!(decision.pointers, vec![Pointer::PersonalAccount]);
}

// P-PLAN-2: five-pack units expire one year after purchase (usable through the day before).
#[test]
fn five_pack_expires_on_the_first_anniversary_of_purchase() {
    let sql = sql_server();
    let subject = Subject {
        product: &sql,
        version: sql.version("2022").unwrap(),
    };
    let pack = entitlement(7, PlanId::FivePack, 3, d(2026, 3, 15), "alice");
    let alice = requester("alice", SignInKind::Work);
    let on = |day| {
        decide(
            &policy(),
            subject,
            &alice,
            std::slice::from_ref(&pack),
            B_BUSINESS,
            at(day),
        )
    };
    assert_eq!(on(d(2027, 3, 14)).usable.len(), 1);
    let expired = on(d(2027, 3, 15));
    assert!(expired.is_refused());
    assert_eq!(
        expired.unusable[0].why.reasons,
        vec![Denial::Expired {
            expired_on: d(2027, 3, 15)
        }]
    );
    assert!(expired.unusable[0].why.rules.contains(&RuleId::Plan2));
}

// P-PLAN-3: only the account that bought a five-pack may use it.
#[test]
fn five_pack_is_usable_only_by_its_buyer() {
    let sql = sql_server();
    let subject = Subject {
        product: &sql,
        version: sql.version("2022").unwrap(),
    };
    let pack = entitlement(7, PlanId::FivePack, 3, d(2026, 3, 15), "alice");
    let now = at(d(2026, 11, 23));
    let by_alice = decide(
        &policy(),
        subject,
        &requester("alice", SignInKind::Work),
        std::slice::from_ref(&pack),
        B_BUSINESS,
        now,
    );
    assert_eq!(by_alice.usable.len(), 1);
    let by_bob = decide(
        &policy(),
        subject,
        &requester("bob", SignInKind::Work),
        &[pack],
        B_BUSINESS,
        now,
    );
    assert_eq!(by_bob.unusable[0].why.reasons, vec![Denial::NotOwner]);
    // A partner pack is shared by the organisation.
    let gold = entitlement(8, PlanId::PartnerGold20, 3, d(2026, 3, 15), "alice");
    let shared = decide(
        &policy(),
        subject,
        &requester("bob", SignInKind::Work),
        &[gold],
        B_BUSINESS,
        now,
    );
    assert_eq!(shared.usable.len(), 1);
}

// P-PLAN-6: no units left means the entitlement cannot be used.
#[test]
fn empty_entitlement_is_not_usable() {
    let sql = sql_server();
    let subject = Subject {
        product: &sql,
        version: sql.version("2022").unwrap(),
    };
    let empty = entitlement(9, PlanId::PartnerGold20, 0, d(2026, 3, 15), "alice");
    let decision = decide(
        &policy(),
        subject,
        &requester("alice", SignInKind::Work),
        &[empty],
        B_BUSINESS,
        at(d(2026, 11, 23)),
    );
    assert_eq!(decision.unusable[0].why.reasons, vec![Denial::NoUnitsLeft]);
    assert!(decision.unusable[0].why.rules.contains(&RuleId::Plan6));
}

// P-PLAN-1: the eight kinds, with their units; usable plans listed soonest-expiring first.
#[test]
fn p_plan_1_usable_entitlements_are_ordered_soonest_expiring_first() {
    let policy = policy();
    assert_eq!(policy.plans.len(), 8);
    assert_eq!(policy.plan(PlanId::FivePack).units, 5);
    assert_eq!(policy.plan(PlanId::PartnerGold20).units, 20);
    assert_eq!(policy.plan(PlanId::PartnerSilver15).units, 15);
    assert_eq!(policy.plan(PlanId::PartnerMaps10).units, 10);
    let sql = sql_server();
    let subject = Subject {
        product: &sql,
        version: sql.version("2025").unwrap(),
    };
    let held = [
        entitlement(1, PlanId::PartnerGold20, 12, d(2026, 1, 1), "alice"),
        entitlement(2, PlanId::FivePack, 2, d(2026, 5, 1), "alice"),
        entitlement(3, PlanId::FivePack, 5, d(2026, 2, 1), "alice"),
    ];
    let decision = decide(
        &policy,
        subject,
        &requester("alice", SignInKind::Work),
        &held,
        B_BUSINESS,
        at(d(2026, 11, 23)),
    );
    let order: Vec<i64> = decision.usable.iter().map(|e| e.id.0).collect();
    assert_eq!(order, vec![3, 2, 1]);
    assert_eq!(decision.default_entitlement().unwrap().id.0, 3);
}

// Deny wins and every reason is reported: a partner pack on an old version fails several rules at once.
#[test]
fn all_failing_rules_are_reported_together() {
    let view = view(&sql_server(), "2017", d(2026, 11, 23), SignInKind::Work);
    let why = denied(&view, PlanId::PartnerGold20).unwrap();
    assert!(why.rules.contains(&RuleId::Life3));
    assert!(why.rules.contains(&RuleId::N1_2));
    assert_eq!(why.reasons.len(), 2);
}

// P-SEV-1: A is 2 hours, clock hours when 24x7 is granted.
#[test]
fn p_sev_1_severity_a_on_24x7_counts_two_clock_hours() {
    let t = sla_target(
        &policy(),
        SlaRequest {
            severity: Severity::A,
            coverage: Coverage::TwentyFourSeven,
            has_on_call_contact: true,
        },
    );
    assert_eq!(
        (t.hours, t.clock, t.coverage, t.downgrade),
        (2, Clock::ClockHours, Coverage::TwentyFourSeven, None)
    );
    assert!(t.rules().contains(&RuleId::Sev1));
}

// P-SEV-2 and P-SEV-3: B is 4 and C is 8 business hours.
#[test]
fn p_sev_2_p_sev_3_severities_b_and_c_count_business_hours() {
    let b = sla_target(&policy(), B_BUSINESS);
    assert_eq!((b.hours, b.clock), (4, Clock::BusinessHours));
    assert!(b.rules().contains(&RuleId::Sev2));
    let c = sla_target(
        &policy(),
        SlaRequest {
            severity: Severity::C,
            ..B_BUSINESS
        },
    );
    assert_eq!((c.hours, c.clock), (8, Clock::BusinessHours));
    assert!(c.rules().contains(&RuleId::Sev3));
}

// P-SEV-4: 24x7 only for A; A on business hours counts business hours; B asking 24x7 is downgraded.
#[test]
fn only_severity_a_gets_24x7() {
    let a_business = sla_target(
        &policy(),
        SlaRequest {
            severity: Severity::A,
            coverage: Coverage::BusinessHours,
            has_on_call_contact: true,
        },
    );
    assert_eq!((a_business.hours, a_business.clock), (2, Clock::BusinessHours));
    let b_24x7 = sla_target(
        &policy(),
        SlaRequest {
            severity: Severity::B,
            coverage: Coverage::TwentyFourSeven,
            has_on_call_contact: true,
        },
    );
    assert_eq!(b_24x7.coverage, Coverage::BusinessHours);
    assert_eq!(b_24x7.downgrade, Some(Downgrade::SeverityNotEligible));
    assert!(b_24x7.rules().contains(&RuleId::Sev4));
}

// P-SEV-5: 24x7 needs an on-call contact; without one the incident runs on business hours and says why.
#[test]
fn twenty_four_seven_needs_an_on_call_contact() {
    let t = sla_target(
        &policy(),
        SlaRequest {
            severity: Severity::A,
            coverage: Coverage::TwentyFourSeven,
            has_on_call_contact: false,
        },
    );
    assert_eq!(t.coverage, Coverage::BusinessHours);
    assert_eq!(t.clock, Clock::BusinessHours);
    assert_eq!(t.downgrade, Some(Downgrade::NoOnCallContact));
    assert!(t.rules().contains(&RuleId::Sev5));
}

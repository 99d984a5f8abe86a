//! Pack expiry: notices to the organisation before units expire, and the write-off at expiry
//! (P-PLAN-2). Queued when a pack is granted; re-checked when due (units left, not yet expired).

use super::error::AppError;
use super::notices::{nonce, Kind, Target};
use super::App;
use crate::core::entitlement::Entitlement;
use crate::store::{NewNotification, NotificationKind, NotificationTarget};
use chrono::{Duration, TimeZone, Utc};

impl App {
    /// Queues the configured notices before expiry and the write-off on the expiry day.
    pub(crate) async fn enqueue_expiry_notices(&self, entitlement: &Entitlement) -> Result<(), AppError> {
        let Some(expires_on) = entitlement.expires_on else {
            return Ok(());
        };
        let expiry = Utc.from_utc_datetime(&expires_on.and_hms_opt(0, 0, 0).unwrap_or_default());
        let target = Target::Organisation(entitlement.organisation.clone());
        let scope = format!("p{}", entitlement.id.0);
        let mut days: Vec<u32> = self.config.app.reminders.expiry_notice_days.clone();
        days.push(0);
        let rows: Vec<NewNotification> = days
            .into_iter()
            .map(|days| {
                let kind = Kind::Expiry {
                    entitlement: entitlement.id,
                    days,
                };
                NewNotification {
                    due_at: expiry - Duration::days(i64::from(days)),
                    kind: NotificationKind(kind.to_string()),
                    nonce: nonce(&scope, kind, &target),
                    target: NotificationTarget(target.to_string()),
                }
            })
            .collect();
        self.store.enqueue(None, &rows).await?;
        Ok(())
    }
}

//! Pool settings both backends share.

use sqlx::pool::PoolOptions;
use sqlx::{Connection, Database};
use std::time::Duration;

/// A pooled connection idle this long is pinged before use: the server may have closed it.
const STALE_AFTER: Duration = Duration::from_secs(10);

/// sqlx pings every connection it hands out by default, a round trip per transaction; this pings
/// only connections that sat idle, so a busy bot pays nothing and a restarted server is still
/// noticed before a query fails on a dead connection.
pub(crate) fn ping_when_idle<DB: Database>(options: PoolOptions<DB>) -> PoolOptions<DB> {
    options.test_before_acquire(false).before_acquire(|conn, meta| {
        Box::pin(async move {
            if meta.idle_for >= STALE_AFTER {
                conn.ping().await?;
            }
            Ok(true)
        })
    })
}

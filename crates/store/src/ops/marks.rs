//! Read marks: per Discord channel or thread, the last message handled, so that what was posted
//! while the bot was down or reconnecting is read once on the next connect. A mark only moves
//! forward, whoever writes it (a live message and a catch-up can race).

macro_rules! mark_ops {
    ($store:ty) => {
        impl $store {
            /// The last message handled in `channel`; `None` if the bot never read there.
            pub async fn read_mark(&self, channel: u64) -> Result<Option<u64>, StoreError> {
                let last: Option<i64> = sqlx::query_scalar("SELECT last_message FROM read_marks WHERE channel = $1")
                    .bind(snowflake_to_db(channel)?)
                    .fetch_optional(self.read())
                    .await?;
                last.map(snowflake_from_db).transpose()
            }

            /// Moves the mark of `mark.channel` up to `mark.last_message` (creating it); a mark
            /// already past it stays. Whether it moved.
            pub async fn advance_mark(&self, mark: ReadMark) -> Result<bool, StoreError> {
                let moved = sqlx::query(
                    "INSERT INTO read_marks (channel, last_message) VALUES ($1, $2) \
                     ON CONFLICT (channel) DO UPDATE SET last_message = excluded.last_message \
                     WHERE read_marks.last_message < excluded.last_message",
                )
                .bind(snowflake_to_db(mark.channel)?)
                .bind(snowflake_to_db(mark.last_message)?)
                .execute(self.wpool())
                .await?
                .rows_affected();
                Ok(moved > 0)
            }

            /// The threads of incidents still waiting for their first response: the only
            /// threads where a missed message changes anything (P-SEV-6).
            pub async fn threads_awaiting_response(&self) -> Result<Vec<u64>, StoreError> {
                let threads: Vec<String> = sqlx::query_scalar(
                    "SELECT discord_thread_id FROM incidents \
                     WHERE state = 'open' AND discord_thread_id IS NOT NULL ORDER BY id",
                )
                .fetch_all(self.read())
                .await?;
                threads
                    .iter()
                    .map(|t| {
                        t.parse()
                            .map_err(|_| StoreError::corrupt(format!("thread id {t:?}")))
                    })
                    .collect()
            }
        }
    };
}
pub(crate) use mark_ops;

use crate::error::StoreError;

/// Snowflakes are stored as signed 64-bit integers, which hold every id Discord gives until 2084.
pub(crate) fn snowflake_to_db(id: u64) -> Result<i64, StoreError> {
    i64::try_from(id).map_err(|_| StoreError::SnowflakeOutOfRange(id))
}

pub(crate) fn snowflake_from_db(id: i64) -> Result<u64, StoreError> {
    u64::try_from(id).map_err(|_| StoreError::corrupt(format!("read mark {id}")))
}

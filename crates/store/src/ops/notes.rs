//! Internal notes: an event on the incident that changes nothing, shown to staff only.

macro_rules! note_ops {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Appends a note by `author` to the incident's events; its state stays as it is.
            pub async fn add_note(
                &self,
                number: IncidentNumber,
                author: &Author,
                text: &str,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let incident = self
                    .incident(number)
                    .await?
                    .ok_or(StoreError::IncidentNotFound(number))?;
                let mut tx = self.write().await?;
                Self::event_row(
                    &mut tx,
                    number.0,
                    at,
                    author,
                    EventKind::Note,
                    Some(incident.state),
                    incident.state,
                    text,
                    &[],
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            /// The incident's notes, oldest first.
            pub async fn notes(&self, number: IncidentNumber) -> Result<Vec<IncidentEvent>, StoreError> {
                Ok(self
                    .events(number)
                    .await?
                    .into_iter()
                    .filter(|e| e.kind == EventKind::Note)
                    .collect())
            }
        }
    };
}
pub(crate) use note_ops;

//! The store's last guard on text: PostgreSQL cannot store a NUL character (it fails the
//! statement with an encoding error) while SQLite would keep it, so both backends refuse one the
//! same way, with a typed error, before any row is written. User text is cleaned at the edge
//! (`intakebot_core::text::clean`); a NUL here is a front end that forgot to.

use crate::types::NewIncident;
use crate::StoreError;

/// `NulInText` naming `field` if `value` holds a NUL.
pub(crate) fn refuse_nul(field: &'static str, value: &str) -> Result<(), StoreError> {
    if value.contains('\0') {
        return Err(StoreError::NulInText { field });
    }
    Ok(())
}

impl NewIncident {
    /// Every free text an open writes (organisation and requester are ids from the config
    /// and Discord, not typed).
    pub(crate) fn refuse_nul(&self) -> Result<(), StoreError> {
        refuse_nul("source id", &self.source.0)?;
        refuse_nul("product", &self.product)?;
        refuse_nul("version", &self.version)?;
        refuse_nul("title", &self.title)?;
        refuse_nul("problem", &self.problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_anywhere_is_refused_by_field() {
        assert!(refuse_nul("title", "Backups fail\n\tat 02:00").is_ok());
        for text in ["\0", "a\0", "\0b", "a\0b"] {
            let err = refuse_nul("title", text).unwrap_err();
            assert!(matches!(err, StoreError::NulInText { field: "title" }), "{err}");
        }
    }
}

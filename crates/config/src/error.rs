//! Config errors: each names the file, the key and what is wrong.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the file: {source}", file.display())]
    Read { file: PathBuf, source: std::io::Error },
    #[error("{}: not valid TOML: {message}", file.display())]
    Syntax { file: PathBuf, message: String },
    #[error("{}: {key}: {reason}", file.display())]
    Invalid { file: PathBuf, key: String, reason: String },
    #[error("environment variable {var}: {reason}")]
    Env { var: String, reason: String },
}

impl ConfigError {
    pub fn invalid(file: &std::path::Path, key: impl Into<String>, reason: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            file: file.to_path_buf(),
            key: key.into(),
            reason: reason.into(),
        }
    }
}

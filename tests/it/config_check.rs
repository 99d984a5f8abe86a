//! `config check` on the shipped config and on broken copies of it: every error names
//! the file, the key and what is wrong.

use intakebot::config::{Config, ConfigError};
use std::path::{Path, PathBuf};

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

/// A copy of the shipped config with one file edited.
fn broken(file: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(shipped()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    dir
}

fn load(dir: &Path) -> Result<Config, ConfigError> {
    Config::load_with_env(dir, std::iter::empty())
}

fn error_of(dir: &Path) -> (String, String, String) {
    match load(dir).unwrap_err() {
        ConfigError::Invalid { file, key, reason } => {
            (file.file_name().unwrap().to_string_lossy().into_owned(), key, reason)
        }
        other => panic!("expected an invalid-key error, got {other}"),
    }
}

#[test]
fn shipped_config_passes() {
    let config = load(&shipped()).unwrap();
    let on_prem: Vec<_> = config.catalog.products.iter().filter(|p| !p.is_cloud()).collect();
    assert!(on_prem.len() >= 5);
    assert!(on_prem.iter().all(|p| p.versions.len() >= 3));
    assert!(config.catalog.products.iter().filter(|p| p.is_cloud()).count() >= 2);
    assert_eq!(config.policy.plans.len(), 8);
}

#[test]
fn unknown_key_is_rejected_with_file_and_key() {
    let dir = broken("intakebot.toml", |t| {
        t.replace("[database]", "[database]\npool_size = 5")
    });
    let (file, key, reason) = error_of(dir.path());
    assert_eq!((file.as_str(), key.as_str()), ("intakebot.toml", "database.pool_size"));
    assert!(reason.contains("unknown field"), "{reason}");
}

#[test]
fn bad_date_is_rejected_with_its_key() {
    let dir = broken("catalog.toml", |t| {
        t.replacen("released = 2016-06-01", "released = \"2016-13-01\"", 1)
    });
    let (file, key, reason) = error_of(dir.path());
    assert_eq!(
        (file.as_str(), key.as_str()),
        ("catalog.toml", "products[0].versions[0].released")
    );
    assert!(reason.contains("not a valid date"), "{reason}");
}

#[test]
fn unknown_plan_id_is_rejected() {
    let dir = broken("policy.toml", |t| {
        t.replace("[plans.partner-maps-10]", "[plans.partner-maps-11]")
    });
    let (file, key, reason) = error_of(dir.path());
    assert_eq!((file.as_str(), key.as_str()), ("policy.toml", "plans.partner-maps-11"));
    assert!(reason.contains("unknown plan id"), "{reason}");
}

#[test]
fn product_without_versions_is_rejected() {
    let dir = broken("catalog.toml", |t| {
        t + "\n[[products]]\nkey = \"dynamics\"\nname = \"Dynamics\"\ndeployment = \"on-premises\"\n"
    });
    let (file, key, reason) = error_of(dir.path());
    assert_eq!(file, "catalog.toml");
    assert!(key.ends_with(".versions"), "{key}");
    assert!(reason.contains("no versions"), "{reason}");
}

#[test]
fn syntax_error_names_the_file_and_line() {
    let dir = broken("policy.toml", |t| t.replace("units = 5", "units = = 5"));
    let err = load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("policy.toml") && err.contains("line"), "{err}");
}

#[test]
fn token_in_a_file_is_refused_and_never_echoed() {
    let dir = broken("intakebot.toml", |t| {
        t.replace("[discord]", "[discord]\ntoken = \"MTA.super.secret\"")
    });
    let err = load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("DISCORD_TOKEN"), "{err}");
    assert!(!err.contains("super.secret"), "{err}");
}

#[test]
fn environment_overrides_file_values() {
    let vars = [(
        "INTAKEBOT_DATABASE__URL".to_string(),
        "postgres://postgres@127.0.0.1/x".to_string(),
    )];
    let config = Config::load_with_env(&shipped(), vars).unwrap();
    assert_eq!(config.app.database.url, "postgres://postgres@127.0.0.1/x");
}

#[test]
fn environment_override_with_a_bad_value_names_the_key() {
    let vars = [("INTAKEBOT_DISCORD__GUILD_ID".to_string(), "not-a-number".to_string())];
    let err = Config::load_with_env(&shipped(), vars).unwrap_err().to_string();
    assert!(err.contains("discord.guild_id"), "{err}");
}

#[test]
fn unknown_calendar_of_an_organisation_is_rejected() {
    let dir = broken("intakebot.toml", |t| {
        t.replacen("calendar = \"oslo\"", "calendar = \"mars\"", 1)
    });
    let (_, key, reason) = error_of(dir.path());
    assert_eq!(key, "organisations[0].calendar");
    assert!(reason.contains("mars"), "{reason}");
}

#[test]
fn missing_config_folder_says_which_file() {
    let err = load(Path::new("/nonexistent/intakebot-config"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("/nonexistent/intakebot-config/"), "{err}");
}

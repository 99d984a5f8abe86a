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

/// Loads the shipped config with `intakebot.toml` edited; the refused key and reason.
fn app_refused(edit: impl FnOnce(String) -> String) -> (String, String) {
    let dir = broken("intakebot.toml", edit);
    let (file, key, reason) = error_of(dir.path());
    assert_eq!(file, "intakebot.toml");
    (key, reason)
}

/// Sets the first `key = "…"` line after `section` to `value`.
fn set(text: String, section: &str, key: &str, value: &str) -> String {
    let at = text.find(section).unwrap_or_else(|| panic!("no {section}"));
    let line_start = at + text[at..].find(&format!("\n{key} = ")).unwrap() + 1;
    let line_end = line_start + text[line_start..].find('\n').unwrap();
    format!("{}{key} = {value}{}", &text[..line_start], &text[line_end..])
}

const GUILD: &str = "\"1100000000000000001\"";
const ENGINEERS_CHANNEL: &str = "\"1100000000000000010\"";
const MANAGERS_CHANNEL: &str = "\"1100000000000000011\"";
const ENGINEER_ROLE: &str = "\"1100000000000000100\"";
const MANAGER_ROLE: &str = "\"1100000000000000101\"";
const ON_CALL_ROLE: &str = "\"1100000000000000102\"";
const CONTOSO_ROLE: &str = "\"1100000000000000200\"";

/// The second organisation (fabrikam) given `key = value`.
fn fabrikam(key: &str, value: &str) -> impl FnOnce(String) -> String {
    let (key, value) = (key.to_string(), value.to_string());
    move |t| set(t, "id = \"fabrikam\"", &key, &value)
}

#[test]
fn two_organisations_sharing_a_customer_role_are_refused() {
    let (key, reason) = app_refused(fabrikam("role", CONTOSO_ROLE));
    assert_eq!(key, "organisations[1].role");
    assert!(reason.contains("is also organisations[0].role"), "{reason}");
}

#[test]
fn an_organisation_role_equal_to_the_engineer_role_is_refused() {
    let (key, reason) = app_refused(fabrikam("role", ENGINEER_ROLE));
    assert_eq!(key, "organisations[1].role");
    assert!(reason.contains("is also discord.roles.engineer"), "{reason}");
}

#[test]
fn an_organisation_role_equal_to_the_manager_role_is_refused() {
    let (key, reason) = app_refused(fabrikam("role", MANAGER_ROLE));
    assert_eq!(key, "organisations[1].role");
    assert!(reason.contains("is also discord.roles.manager"), "{reason}");
}

#[test]
fn an_organisation_role_equal_to_the_on_call_role_is_refused() {
    let (key, reason) = app_refused(fabrikam("role", ON_CALL_ROLE));
    assert_eq!(key, "organisations[1].role");
    assert!(reason.contains("is also discord.roles.on_call"), "{reason}");
}

#[test]
fn an_organisation_role_equal_to_the_guild_id_everyone_is_refused() {
    let (key, reason) = app_refused(fabrikam("role", GUILD));
    assert_eq!(key, "organisations[1].role");
    assert!(
        reason.contains("is also discord.guild_id (the @everyone role)"),
        "{reason}"
    );
}

#[test]
fn an_intake_channel_equal_to_the_engineers_channel_is_refused() {
    let (key, reason) = app_refused(fabrikam("intake_channels", &format!("[{ENGINEERS_CHANNEL}]")));
    assert_eq!(key, "organisations[1].intake_channels[0]");
    assert!(reason.contains("is also discord.engineers_channel"), "{reason}");
}

#[test]
fn an_intake_channel_equal_to_the_managers_channel_is_refused() {
    let (key, reason) = app_refused(fabrikam("intake_channels", &format!("[{MANAGERS_CHANNEL}]")));
    assert_eq!(key, "organisations[1].intake_channels[0]");
    assert!(reason.contains("is also discord.managers_channel"), "{reason}");
}

#[test]
fn one_channel_for_engineers_and_managers_is_refused() {
    let (key, reason) = app_refused(|t| set(t, "[discord]", "managers_channel", ENGINEERS_CHANNEL));
    assert_eq!(key, "discord.managers_channel");
    assert!(reason.contains("is also discord.engineers_channel"), "{reason}");
}

#[test]
fn one_role_for_engineers_and_managers_is_refused() {
    let (key, reason) = app_refused(|t| set(t, "[discord.roles]", "manager", ENGINEER_ROLE));
    assert_eq!(key, "discord.roles.manager");
    assert!(reason.contains("is also discord.roles.engineer"), "{reason}");
}

#[test]
fn a_config_without_organisations_is_refused() {
    let (key, reason) = app_refused(|t| {
        let (first, reminders) = (t.find("[[organisations]]").unwrap(), t.find("[reminders]").unwrap());
        format!("organisations = []\n{}{}", &t[..first], &t[reminders..])
    });
    assert_eq!(key, "organisations");
    assert!(reason.contains("no organisation"), "{reason}");
}

#[test]
fn an_empty_product_list_is_refused() {
    let dir = broken("catalog.toml", |_| "products = []\n".to_string());
    let (file, key, reason) = error_of(dir.path());
    assert_eq!((file.as_str(), key.as_str()), ("catalog.toml", "products"));
    assert!(reason.contains("no product"), "{reason}");
}

/// Both ways an error is printed (`{err}` in main, `{err:?}` in a log or a panic).
fn printed(err: &ConfigError) -> String {
    format!("{err}\n{err:?}")
}

#[test]
fn a_syntax_error_never_echoes_a_password() {
    let dir = broken("intakebot.toml", |t| {
        t.replace(
            "url = \"sqlite://data/intakebot.db\"",
            "url = \"postgres://bob:hunter2pw@db/x",
        )
    });
    let err = load(dir.path()).unwrap_err();
    let shown = printed(&err);
    assert!(matches!(err, ConfigError::Syntax { .. }), "{shown}");
    assert!(shown.contains("intakebot.toml") && shown.contains("line 11"), "{shown}");
    assert!(shown.contains("url = ***"), "the line is still shown: {shown}");
    assert!(!shown.contains("hunter2pw"), "{shown}");
}

#[test]
fn a_syntax_error_on_another_key_hides_url_passwords_on_its_line() {
    let dir = broken("intakebot.toml", |t| {
        t.replace(
            "[database]",
            "[database]\nnote = \"copy of postgres://bob:hunter2pw@db/x\" =",
        )
    });
    let shown = printed(&load(dir.path()).unwrap_err());
    assert!(shown.contains("postgres://bob:***@db/x"), "{shown}");
    assert!(!shown.contains("hunter2pw"), "{shown}");
}

#[test]
fn a_type_error_never_echoes_a_password() {
    // A numeric password pasted as the URL: serde's message would print "integer `739164825`".
    let dir = broken("intakebot.toml", |t| {
        t.replace("url = \"sqlite://data/intakebot.db\"", "url = 739164825")
    });
    let err = load(dir.path()).unwrap_err();
    let shown = printed(&err);
    assert!(
        shown.contains("database.url") && shown.contains("invalid type"),
        "{shown}"
    );
    assert!(!shown.contains("739164825"), "{shown}");
}

#[test]
fn a_type_error_hides_url_passwords_under_any_key() {
    let dir = broken("intakebot.toml", |t| {
        t.replace(GUILD, "\"postgres://bob:hunter2pw@db/x\"")
    });
    let shown = printed(&load(dir.path()).unwrap_err());
    assert!(
        shown.contains("discord.guild_id") && shown.contains("bob:***@db"),
        "{shown}"
    );
    assert!(!shown.contains("hunter2pw"), "{shown}");
}

#[test]
fn an_environment_override_error_never_echoes_a_password() {
    for (var, value, key) in [
        ("INTAKEBOT_DATABASE__URL", "739164825", "database.url"),
        (
            "INTAKEBOT_DISCORD__GUILD_ID",
            "postgres://bob:739164825@db/x",
            "discord.guild_id",
        ),
        (
            "INTAKEBOT_DISCORD__PROXY_URL",
            "http://bob:739164825@[proxy",
            "discord.proxy_url",
        ),
    ] {
        let err = Config::load_with_env(&shipped(), [(var.to_string(), value.to_string())]).unwrap_err();
        let shown = printed(&err);
        assert!(shown.contains(key), "{shown}");
        assert!(!shown.contains("739164825"), "{shown}");
    }
}

#[test]
fn a_leader_hang_after_outside_6s_to_60s_is_refused_with_its_key() {
    for value in ["\"5s\"", "\"61s\""] {
        let (key, reason) = app_refused(|t| set(t, "[database]", "leader_hang_after", value));
        assert_eq!(key, "database.leader_hang_after");
        assert!(reason.contains("between 6s and 60s"), "{reason}");
    }
    let dir = broken("intakebot.toml", |t| {
        set(t, "[database]", "leader_hang_after", "\"10s\"")
    });
    let config = load(dir.path()).unwrap();
    assert_eq!(config.app.database.leader_hang_after.0, chrono::Duration::seconds(10));
}

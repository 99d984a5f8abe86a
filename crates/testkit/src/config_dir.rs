//! The shipped `config/` copied into a test folder and pointed at the local Discord server (guild,
//! REST proxy, database, HTTP address and, when asked, channels and roles). `intakebot.toml` is
//! edited as a TOML table: its comments and layout do not matter, and a moved table is an error.

use crate::TestkitError;
use std::net::SocketAddr;
use std::path::Path;

const MAIN_FILE: &str = "intakebot.toml";

/// Role ids a test config gives the shipped staff roles and organisations.
pub const ENGINEER_ROLE: u64 = 9_000_000_000_000_000_100;
pub const MANAGER_ROLE: u64 = 9_000_000_000_000_000_101;
pub const ON_CALL_ROLE: u64 = 9_000_000_000_000_000_102;
pub const CONTOSO_ROLE: u64 = 9_000_000_000_000_000_200;
pub const FABRIKAM_ROLE: u64 = 9_000_000_000_000_000_201;

/// Where the copied config points.
#[derive(Debug, Clone)]
pub struct ConfigOptions<'a> {
    /// The config folder to copy (the shipped `config/`).
    pub source: &'a Path,
    /// `[database] url`.
    pub database_url: &'a str,
    /// `[discord] proxy_url`, where REST goes; `None` keeps the file's (the shipped file has none).
    pub rest_url: Option<&'a str>,
    /// `[discord] guild_id`.
    pub guild_id: u64,
    /// `[http] listen` (port 0: any free port).
    pub listen: SocketAddr,
    /// The channels made in the fake, with the roles above; `None` keeps the file's ids.
    pub channels: Option<Channels>,
}

/// Channels made in the fake for the staff and the shipped config's two organisations.
#[derive(Debug, Clone, Copy)]
pub struct Channels {
    pub engineers: u64,
    pub managers: u64,
    pub contoso_intake: u64,
    pub fabrikam_intake: u64,
}

/// Copies every file of `options.source` into `dest` and writes `intakebot.toml` pointed as
/// `options` says. A table or organisation the edit needs and does not find is an error.
pub fn write_config(dest: &Path, options: &ConfigOptions<'_>) -> Result<(), TestkitError> {
    for entry in std::fs::read_dir(options.source)? {
        let from = entry?.path();
        if from.is_file() && from.file_name() != Some(MAIN_FILE.as_ref()) {
            std::fs::copy(&from, dest.join(from.file_name().unwrap_or_default()))?;
        }
    }
    let text = std::fs::read_to_string(options.source.join(MAIN_FILE))?;
    let mut config: toml::Table = text.parse().map_err(|e| config_error(format!("not TOML: {e}")))?;
    point(&mut config, options)?;
    let text = toml::to_string(&config).map_err(|e| config_error(e.to_string()))?;
    Ok(std::fs::write(dest.join(MAIN_FILE), text)?)
}

fn point(config: &mut toml::Table, options: &ConfigOptions<'_>) -> Result<(), TestkitError> {
    let text = |s: &str| toml::Value::String(s.to_string());
    let id = |n: u64| toml::Value::String(n.to_string());
    table(config, "database")?.insert("url".into(), text(options.database_url));
    table(config, "http")?.insert("listen".into(), text(&options.listen.to_string()));
    let discord = table(config, "discord")?;
    discord.insert("guild_id".into(), id(options.guild_id));
    if let Some(url) = options.rest_url {
        discord.insert("proxy_url".into(), text(url));
    }
    let Some(ch) = options.channels else {
        return Ok(());
    };
    discord.insert("engineers_channel".into(), id(ch.engineers));
    discord.insert("managers_channel".into(), id(ch.managers));
    let roles = table(discord, "roles")?;
    roles.insert("engineer".into(), id(ENGINEER_ROLE));
    roles.insert("manager".into(), id(MANAGER_ROLE));
    roles.insert("on_call".into(), id(ON_CALL_ROLE));
    let organisations = config.get_mut("organisations").and_then(toml::Value::as_array_mut);
    for org in organisations.into_iter().flatten() {
        let name = org.get("id").and_then(toml::Value::as_str).unwrap_or("?");
        let (role, channel) = match name {
            "contoso" => (CONTOSO_ROLE, ch.contoso_intake),
            "fabrikam" => (FABRIKAM_ROLE, ch.fabrikam_intake),
            _ => return Err(config_error(format!("no test ids for organisation {name}"))),
        };
        // Only a table has an `id`: indexing cannot panic here.
        org["role"] = id(role);
        org["intake_channels"] = toml::Value::Array(vec![id(channel)]);
    }
    Ok(())
}

fn table<'t>(parent: &'t mut toml::Table, key: &str) -> Result<&'t mut toml::Table, TestkitError> {
    let found = parent.get_mut(key).and_then(toml::Value::as_table_mut);
    found.ok_or_else(|| config_error(format!("no table `{key}`")))
}

fn config_error(reason: String) -> TestkitError {
    TestkitError::Config(format!("{MAIN_FILE}: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn shipped() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config")
    }

    fn written(dir: &Path) -> toml::Table {
        std::fs::read_to_string(dir.join(MAIN_FILE)).unwrap().parse().unwrap()
    }

    fn options(source: &Path, channels: Option<Channels>) -> ConfigOptions<'_> {
        ConfigOptions {
            source,
            database_url: "sqlite://somewhere/bot.db",
            rest_url: Some("http://127.0.0.1:4321"),
            guild_id: 42,
            listen: "127.0.0.1:0".parse().unwrap(),
            channels,
        }
    }

    const CHANNELS: Channels = Channels {
        engineers: 10,
        managers: 11,
        contoso_intake: 20,
        fabrikam_intake: 21,
    };

    #[test]
    fn the_shipped_config_is_copied_and_pointed_at_the_options() {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), &options(&shipped(), None)).unwrap();
        for name in ["calendars.toml", "catalog.toml", "policy.toml"] {
            assert!(dir.path().join(name).is_file(), "{name} copied");
        }
        let t = written(dir.path());
        assert_eq!(t["database"]["url"].as_str(), Some("sqlite://somewhere/bot.db"));
        assert_eq!(t["http"]["listen"].as_str(), Some("127.0.0.1:0"));
        assert_eq!(t["discord"]["guild_id"].as_str(), Some("42"));
        assert_eq!(t["discord"]["proxy_url"].as_str(), Some("http://127.0.0.1:4321"));
        // Without channels the file's example channels and roles stay.
        let shipped: toml::Table = std::fs::read_to_string(shipped().join(MAIN_FILE))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(t["discord"]["roles"], shipped["discord"]["roles"]);
        assert_eq!(t["organisations"], shipped["organisations"]);
    }

    #[test]
    fn channels_replace_the_staff_channels_roles_and_each_organisations_channel() {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), &options(&shipped(), Some(CHANNELS))).unwrap();
        let t = written(dir.path());
        let d = &t["discord"];
        assert_eq!(d["engineers_channel"].as_str(), Some("10"));
        assert_eq!(d["managers_channel"].as_str(), Some("11"));
        assert_eq!(d["roles"]["on_call"].as_str(), Some(ON_CALL_ROLE.to_string().as_str()));
        let orgs = t["organisations"].as_array().unwrap();
        assert_eq!(orgs[1]["id"].as_str(), Some("fabrikam"));
        assert_eq!(orgs[1]["role"].as_str(), Some(FABRIKAM_ROLE.to_string().as_str()));
        assert_eq!(orgs[1]["intake_channels"].as_array().unwrap()[0].as_str(), Some("21"));
    }

    #[test]
    fn an_unknown_organisation_and_a_missing_table_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let source = tempfile::tempdir().unwrap();
        let main = "[database]\n[http]\n[discord]\n[discord.roles]\n[[organisations]]\nid = \"northwind\"\n";
        std::fs::write(source.path().join(MAIN_FILE), main).unwrap();
        let err = write_config(dir.path(), &options(source.path(), Some(CHANNELS))).unwrap_err();
        assert!(
            err.to_string().contains("no test ids for organisation northwind"),
            "{err}"
        );

        std::fs::write(source.path().join(MAIN_FILE), "[database]\nurl = \"x\"\n").unwrap();
        let err = write_config(dir.path(), &options(source.path(), None)).unwrap_err();
        assert!(err.to_string().contains("no table `http`"), "{err}");
    }
}

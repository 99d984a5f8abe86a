//! Reading a TOML file, layering `INTAKEBOT_…` environment overrides on it, and
//! deserializing with the exact key path of any error.

use super::error::ConfigError;
use super::redact;
use serde::de::DeserializeOwned;
use std::path::Path;

/// The prefix of environment overrides: `INTAKEBOT_DATABASE__URL` sets `database.url`.
pub const ENV_PREFIX: &str = "INTAKEBOT_";

pub fn read_table(file: &Path) -> Result<toml::Table, ConfigError> {
    let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    parse_table(file, &text)
}

pub fn parse_table(file: &Path, text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|e| ConfigError::Syntax {
        file: file.to_path_buf(),
        message: syntax_message(text, &e),
    })
}

/// `line 3, column 7: invalid basic string; the line reads: url = ***`, built from the error's
/// parts (toml's own text echoes the line verbatim) with the line's secrets hidden.
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let what = redact::userinfo(&e.message().trim_end().replace('\n', "; "));
    let Some(span) = e.span() else {
        return what;
    };
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let number = text[..start].matches('\n').count() + 1;
    let column = text[line_start..start].chars().count() + 1;
    let line = redact::source_line(text[line_start..line_end].trim_end_matches('\r'));
    format!(
        "line {number}, column {column}: {what}; the line reads: {}",
        line.trim()
    )
}

/// Applies overrides: a variable `INTAKEBOT_A__B` (double underscore between levels) sets
/// key `a.b`. The value is read as a TOML value when it is one (`42`, `true`, `["1","2"]`),
/// otherwise as a string. Variables without `__` are not overrides and are ignored here.
pub fn apply_env(table: &mut toml::Table, vars: impl IntoIterator<Item = (String, String)>) -> Result<(), ConfigError> {
    for (var, value) in vars {
        let Some(path) = var.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        if !path.contains("__") {
            continue;
        }
        let keys: Vec<String> = path.split("__").map(str::to_ascii_lowercase).collect();
        if keys.iter().any(String::is_empty) {
            return Err(ConfigError::Env {
                var,
                reason: "empty key between `__` separators".into(),
            });
        }
        set_path(table, &keys, env_value(&value)).map_err(|reason| ConfigError::Env {
            var: var.clone(),
            reason,
        })?;
    }
    Ok(())
}

fn env_value(raw: &str) -> toml::Value {
    format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_string()))
}

fn set_path(table: &mut toml::Table, keys: &[String], value: toml::Value) -> Result<(), String> {
    let (last, parents) = keys.split_last().ok_or("no key")?;
    let mut current = table;
    for key in parents {
        let entry = current
            .entry(key.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        current = entry
            .as_table_mut()
            .ok_or_else(|| format!("`{key}` is not a table, it cannot hold `{last}`"))?;
    }
    current.insert(last.clone(), value);
    Ok(())
}

/// Deserializes a table into `T`, naming the failing key path in the error.
/// Values under secret-like keys are hidden in the reason.
pub fn deserialize<T: DeserializeOwned>(file: &Path, table: toml::Table) -> Result<T, ConfigError> {
    let secrets = redact::Secrets::of(&table);
    serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|err| {
        let key = err.path().to_string();
        let reason = err.into_inner().to_string();
        let reason = secrets.hide(reason.lines().next().unwrap_or_default());
        ConfigError::invalid(file, if key == "." { "(top level)".to_string() } else { key }, reason)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_set_nested_keys_with_typed_values() {
        let mut table = parse_table(Path::new("x.toml"), "[database]\nurl = \"sqlite://a.db\"\n").unwrap();
        let vars = [
            ("INTAKEBOT_DATABASE__URL".to_string(), "postgres://db/x".to_string()),
            ("INTAKEBOT_DISCORD__GUILD_ID".to_string(), "42".to_string()),
            ("INTAKEBOT_LOG".to_string(), "ignored".to_string()),
            ("PATH".to_string(), "/bin".to_string()),
        ];
        apply_env(&mut table, vars).unwrap();
        assert_eq!(table["database"]["url"].as_str(), Some("postgres://db/x"));
        assert_eq!(table["discord"]["guild_id"].as_integer(), Some(42));
        assert!(!table.contains_key("log"));
    }

    #[test]
    fn env_override_into_a_scalar_is_an_error_naming_the_variable() {
        let mut table = parse_table(Path::new("x.toml"), "database = 1\n").unwrap();
        let err = apply_env(&mut table, [("INTAKEBOT_DATABASE__URL".to_string(), "x".to_string())]).unwrap_err();
        assert!(err.to_string().contains("INTAKEBOT_DATABASE__URL"), "{err}");
    }
}

//! Keeping secrets out of config errors: values of keys named like a secret (url, token,
//! password, secret…) and the password of any URL's userinfo are shown as `***`.
//!
//! Errors are printed to the terminal and logs at start, so a TOML syntax error's echoed
//! source line, a type error's echoed value or an override's value must never carry one.

/// Parts of key names whose values are never shown (compared case-insensitively).
const SENSITIVE: [&str; 8] = [
    "url",
    "uri",
    "dsn",
    "token",
    "password",
    "passwd",
    "secret",
    "credential",
];

/// What a hidden value prints as.
pub const HIDDEN: &str = "***";

/// Whether a key's value must never be shown: `database.url`, `proxy_url`, `api_token`…
pub fn is_sensitive(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SENSITIVE.iter().any(|s| key.contains(s))
}

/// Replaces the password of every URL in `text`: `postgres://bob:pw@db/x` → `postgres://bob:***@db/x`.
pub fn userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace() || "\"'`,;)]}>".contains(c))
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority
            .rsplit_once('@')
            .and_then(|(info, host)| Some((info.split_once(':')?.0, host)))
        {
            Some((user, host)) => {
                out.push_str(user);
                out.push(':');
                out.push_str(HIDDEN);
                out.push('@');
                out.push_str(host);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// One line of TOML source as it may be echoed: the value after every sensitive key
/// (`url = "…"`, also inside inline tables) is hidden, then any URL password.
pub fn source_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(eq) = rest.find('=') {
        let (before, after) = (&rest[..eq], &rest[eq + 1..]);
        out.push_str(before);
        out.push('=');
        let key = before
            .rsplit(|c: char| c.is_whitespace() || "{,.".contains(c))
            .find(|k| !k.is_empty())
            .unwrap_or_default();
        if is_sensitive(key.trim_matches(|c| c == '"' || c == '\'')) {
            out.push(' ');
            out.push_str(HIDDEN);
            rest = &after[value_len(after)..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    userinfo(&out)
}

/// The length of the value at the start of `text` (after `=`): a quoted string up to its
/// closing quote (or the line's end when unterminated), else up to `,`, `}` or the end.
fn value_len(text: &str) -> usize {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    let Some(quote) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        let end = trimmed.find([',', '}']).unwrap_or(trimmed.len());
        return lead + trimmed[..end].trim_end().len();
    };
    let body = &trimmed[1..];
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            '\\' if quote == '"' && !escaped => escaped = true,
            c if c == quote && !escaped => return lead + 1 + i + 1,
            _ => escaped = false,
        }
    }
    text.len()
}

/// The values of sensitive keys anywhere in a table, to hide them wherever they appear in a
/// deserialization error (`invalid type: string "…"`).
#[derive(Debug, Default)]
pub struct Secrets(Vec<String>);

impl Secrets {
    pub fn of(table: &toml::Table) -> Secrets {
        let mut found = Secrets::default();
        found.collect_table(table);
        found
    }

    fn collect_table(&mut self, table: &toml::Table) {
        for (key, value) in table {
            if is_sensitive(key) {
                self.collect_values(value);
            } else {
                self.collect_nested(value);
            }
        }
    }

    fn collect_nested(&mut self, value: &toml::Value) {
        match value {
            toml::Value::Table(t) => self.collect_table(t),
            toml::Value::Array(items) => items.iter().for_each(|v| self.collect_nested(v)),
            _ => {}
        }
    }

    /// Every scalar under a sensitive key, as the forms serde messages show it.
    fn collect_values(&mut self, value: &toml::Value) {
        match value {
            toml::Value::String(s) => self.0.push(s.clone()),
            toml::Value::Table(t) => t.values().for_each(|v| self.collect_values(v)),
            toml::Value::Array(items) => items.iter().for_each(|v| self.collect_values(v)),
            other => self.0.push(other.to_string()),
        }
    }

    /// `text` with every collected value (and any URL password) hidden.
    pub fn hide(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in self.0.iter().filter(|s| !s.is_empty()) {
            out = out.replace(&format!("{secret:?}"), &format!("\"{HIDDEN}\""));
            out = out.replace(&format!("`{secret}`"), &format!("`{HIDDEN}`"));
            // Bare occurrences too, unless the value is so short that hiding it would garble
            // the message's own words.
            if secret.chars().count() >= 4 {
                out = out.replace(secret.as_str(), HIDDEN);
            }
        }
        userinfo(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_hidden_wherever_they_appear() {
        assert_eq!(userinfo("postgres://bob:pw@db/x"), "postgres://bob:***@db/x");
        assert_eq!(
            userinfo("a \"postgres://bob:p@ss@db:5432/x?sslmode=require\" and http://h/"),
            "a \"postgres://bob:***@db:5432/x?sslmode=require\" and http://h/"
        );
        assert_eq!(userinfo("postgres://bob@db/x"), "postgres://bob@db/x");
        assert_eq!(userinfo("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn values_of_sensitive_keys_are_hidden_in_source_lines() {
        assert_eq!(source_line(r#"url = "postgres://bob:pw@db/x"#), "url = ***");
        assert_eq!(source_line(r#"db_password = 'x' # note"#), "db_password = *** # note");
        assert_eq!(
            source_line(r#"database = { url = "a\"b", pool = 5, api_token = x }"#),
            "database = { url = ***, pool = 5, api_token = *** }"
        );
        assert_eq!(source_line("units = = 5"), "units = = 5");
        assert_eq!(
            source_line(r#"note = "see https://u:pw@h/x""#),
            r#"note = "see https://u:***@h/x""#
        );
    }

    #[test]
    fn collected_secrets_are_hidden_in_messages() {
        let table: toml::Table = toml::from_str("[database]\nurl = \"hunter2-db\"\n[x]\nkey = \"keep\"").unwrap();
        let secrets = Secrets::of(&table);
        assert_eq!(
            secrets.hide("invalid value: string \"hunter2-db\" (hunter2-db), key keep"),
            "invalid value: string \"***\" (***), key keep"
        );
    }
}

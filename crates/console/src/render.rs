//! The app's replies as terminal text: instants in the reply's time zone and language, channels
//! by name, cards as boxes, buttons numbered for `:press`, forms with the `:submit` to fill them.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use intakebot_app::reply::{Card, ChannelKind, Form, Message, PingRole, Span, Text, TimeStyle};
use intakebot_core::ids::IncidentNumber;
use intakebot_core::language::Language;

/// Synthetic Discord ids of incident threads in a try-out: this plus the incident number.
pub const THREAD_BASE: u64 = 9_000_000_000;

/// How the console names channels: the configured staff channels and intake channels.
pub struct Names {
    pub engineers: u64,
    pub managers: u64,
    pub intake: Vec<(u64, String)>,
}

impl Names {
    pub fn channel(&self, id: u64) -> String {
        if id == self.engineers {
            return "#engineers".into();
        }
        if id == self.managers {
            return "#managers".into();
        }
        if let Some((_, org)) = self.intake.iter().find(|(c, _)| *c == id) {
            return format!("#{org}-intake");
        }
        match id.checked_sub(THREAD_BASE) {
            Some(n) if n < THREAD_BASE => IncidentNumber(n as i64).to_string(),
            _ => format!("#{id}"),
        }
    }

    pub fn destination(kind: &ChannelKind) -> String {
        match kind {
            ChannelKind::Engineers => "#engineers".into(),
            ChannelKind::Managers => "#managers".into(),
            ChannelKind::Thread(n) => n.to_string(),
            ChannelKind::Intake(org) => format!("#{org}-intake"),
        }
    }
}

/// Text in a zone and language, relative times against `now`.
pub struct Writer<'a> {
    pub names: &'a Names,
    pub zone: Tz,
    pub lang: Language,
    pub now: DateTime<Utc>,
}

impl Writer<'_> {
    pub fn text(&self, text: &Text) -> String {
        text.0.iter().map(|span| self.span(span)).collect()
    }

    fn span(&self, span: &Span) -> String {
        match span {
            Span::Plain(p) | Span::Typed(p) => p.clone(),
            Span::Time(t, TimeStyle::Full) => self.full(*t),
            Span::Time(t, TimeStyle::Date) => self.date(*t),
            Span::Time(t, TimeStyle::Relative) => self.relative(*t),
            Span::Channel(id) => self.names.channel(*id),
            Span::User(account) => format!("@{account}"),
        }
    }

    fn full(&self, t: DateTime<Utc>) -> String {
        let local = t.with_timezone(&self.zone);
        match self.lang {
            Language::En => local.format("%Y-%m-%d %H:%M %Z").to_string(),
            Language::No => local.format("%d.%m.%Y %H:%M %Z").to_string(),
        }
    }

    fn date(&self, t: DateTime<Utc>) -> String {
        let local = t.with_timezone(&self.zone);
        match self.lang {
            Language::En => local.format("%Y-%m-%d").to_string(),
            Language::No => local.format("%d.%m.%Y").to_string(),
        }
    }

    /// "in 2 h 5 min" / "om 2 t 5 min", "7 min ago" / "for 7 min siden".
    fn relative(&self, t: DateTime<Utc>) -> String {
        let minutes = (t - self.now).num_minutes();
        let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
        let hour = self.lang.pick("h", "t");
        let span = match (h, m) {
            (0, m) => format!("{m} min"),
            (h, 0) => format!("{h} {hour}"),
            (h, m) => format!("{h} {hour} {m} min"),
        };
        match (self.lang, minutes >= 0) {
            (Language::En, true) => format!("in {span}"),
            (Language::En, false) => format!("{span} ago"),
            (Language::No, true) => format!("om {span}"),
            (Language::No, false) => format!("for {span} siden"),
        }
    }

    /// A message: pings, text, cards, then its buttons numbered from `first_button`.
    pub fn message(&self, m: &Message, first_button: usize) -> String {
        let pings: Vec<&str> = m
            .pings
            .iter()
            .map(|p| match p.role {
                PingRole::Engineers => "@Engineers",
                PingRole::Managers => "@Managers",
                PingRole::OnCall => "@On-call",
            })
            .collect();
        let mut out = pings.join(" ");
        let text = self.text(&m.text);
        if !text.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&text);
        }
        for card in &m.cards {
            out.push('\n');
            out.push_str(&self.card(card));
        }
        for file in &m.files {
            out.push_str(&format!("\n📎 {} ({} bytes)", file.filename, file.bytes.len()));
        }
        if !m.buttons.is_empty() {
            let buttons: Vec<String> = m
                .buttons
                .iter()
                .enumerate()
                .map(|(i, b)| format!("[{} {}]", first_button + i, b.label))
                .collect();
            out.push_str(&format!("\n{}   (:press N)", buttons.join(" ")));
        }
        out.trim_start_matches('\n').to_string()
    }

    fn card(&self, card: &Card) -> String {
        let mut out = format!("┌ {}\n", self.text(&card.title));
        if let Some(d) = &card.description {
            out.push_str(&format!("│ {}\n", self.text(d).replace('\n', "\n│ ")));
        }
        for field in &card.fields {
            let value = self.text(&field.value).replace('\n', "\n│   ");
            out.push_str(&format!("│ {}: {value}\n", field.name));
        }
        if let Some(footer) = &card.footer {
            out.push_str(&format!("└ {}\n", self.text(footer)));
        }
        out.trim_end().to_string()
    }

    pub fn form(&self, form: &Form) -> String {
        let mut out = format!("📝 {}", form.title);
        for f in &form.fields {
            let value = f.value.as_deref().map(|v| format!(" = {v:?}")).unwrap_or_default();
            let required = if f.required { "" } else { " (optional)" };
            out.push_str(&format!("\n   {}: {}{required}{value}", f.id, f.label));
        }
        let example: Vec<String> = form.fields.iter().map(|f| format!("{}:\"…\"", f.id)).collect();
        out.push_str(&format!("\n   fill it in with :submit {}", example.join(" ")));
        out
    }
}

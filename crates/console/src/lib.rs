//! The console front end: the same app as the Discord bot (policy, SLA clock, intake, store,
//! scheduler) in a terminal, on embedded SQLite, with a simulated clock. It translates lines
//! into the app's commands and prints its replies; it decides nothing, and the database is out
//! of its reach (this crate does not depend on the store).
//!
//! Interactive with line editing and history when stdin is a terminal; otherwise it reads
//! a script from stdin and prints the transcript (`intakebot console < demo.txt`).

mod clock;
mod commands;
mod demo;
pub mod line;
mod render;
mod sender;
mod session;

pub use clock::SimClock;
pub use demo::{User, UserRole};
pub use render::THREAD_BASE;
pub use session::{Flow, Session};

use chrono::{DateTime, Utc};
use intakebot_app::App;
use intakebot_config::Config;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, clap::Args)]
pub struct ConsoleArgs {
    /// Keep everything in memory: nothing is saved.
    #[arg(long)]
    pub memory: bool,
    /// The database of the try-out (default: a file under data/, apart from the bot's own).
    #[arg(long, default_value = "sqlite://data/console.db")]
    pub database: String,
    /// Where the simulated clock starts on the first run (RFC 3339); default: now.
    #[arg(long)]
    pub start: Option<DateTime<Utc>>,
}

pub const HELP: &str = "\
Act as a user, type slash commands or plain messages, and watch the bot answer.
  :as NAME            act as alice or bob (Contoso customers), frank (Fabrikam), erik (engineer), mona (manager)
  :who                list the users
  :thread INC-000001  enter an incident's thread (your messages go there); :thread alone leaves it
  :press 2            press button 2 of the last replies; :unavailable presses \"show unavailable plans\"
  :submit title:\"…\" problem:\"…\"   fill in the form the bot asked for
  :advance 3h         move the simulated clock (reminders and breach alerts appear when due)
  :advance to 2027-03-29T08:00
  :now                show the simulated time
  :help  :quit        (Ctrl-D also quits; everything is kept for next time)
Commands (options as on Discord):
  /incident open product:\"SQL Server\" version:2022 severity:B problem:\"…\" [coverage:24x7 on_call:bob plan:E1 title:\"…\"]
  /incident ack | resolve solution:\"…\" | close [outcome:unresolved|out-of-scope] | status | split parts:\"a; b\"
  /incident note text:\"…\"   /incident refund incident:INC-000002 decision:refund|keep
  /incident list which:open|waiting|at-risk|breached
  /pack balance [organisation:contoso]   /pack grant plan:five-pack organisation:contoso owner:bob order:ORD-1
  /pack transfer pack:E1 owner:bob order:ORD-5PK-1001   /plans product:\"Windows Server\" version:2022   /faq
  /report sla [period:this-week|last-week|this-month|last-month] [organisation:contoso]   (managers; the chart
      and the CSV are written next to the database)
Plain messages in an intake channel are read like Discord messages: \"Sev B: SQL Server 2022 backups fail\";
start one with @bot to address the bot.
";

/// The first screen: three things to try.
const QUICK_START: &str = "\
Try: /incident open product:\"SQL Server\" version:2022 severity:B problem:\"Nightly backup fails\"
     Sev B: our Exchange SE server rejects mail from partners   (a plain message, as alice)
     :as erik  then  :thread INC-000001  and write a reply;  :advance 5h  to see reminders";

/// Runs the console until the input ends or `:quit`.
pub async fn run(config: Config, args: &ConsoleArgs) -> anyhow::Result<()> {
    let (url, clock_file) = if args.memory {
        ("sqlite::memory:".to_string(), None)
    } else {
        (args.database.clone(), clock_file_for(&args.database))
    };
    // Files the bot sends (a report's chart and CSV) go beside the database.
    let files = clock_file
        .as_ref()
        .and_then(|f| f.parent())
        .map_or_else(std::env::temp_dir, |d| {
            if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d.to_path_buf()
            }
        });
    let clock = Arc::new(clock::SimClock::load(clock_file, args.start.unwrap_or_else(Utc::now)));
    let app = App::connect_to(config, &url).await?.with_clock(clock.clone());
    let mut session = Session::new(app, clock).with_files_dir(files);
    let mut out = std::io::stdout();
    session.seed(&mut out).await?;
    writeln!(
        out,
        "intakebot console · {} · type :help",
        session.now().format("%Y-%m-%d %H:%M UTC")
    )?;
    writeln!(out, "{QUICK_START}")?;
    if std::io::stdin().is_terminal() {
        interactive(&mut session, &mut out).await
    } else {
        script(&mut session, std::io::stdin().lock(), &mut out).await
    }
}

/// Reads lines from `input`, echoing each after the prompt, as a transcript. A line that is not
/// UTF-8 is skipped with an error; the script goes on.
pub async fn script(session: &mut Session, mut input: impl BufRead, out: &mut impl Write) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    for number in 1.. {
        bytes.clear();
        if input.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            writeln!(out, "  ! line {number} is not valid UTF-8; skipped")?;
            continue;
        };
        let line = line.trim_end_matches(['\n', '\r']);
        writeln!(out, "{}{line}", session.prompt())?;
        if session.handle(line, out).await? == Flow::Quit {
            break;
        }
    }
    Ok(())
}

async fn interactive(session: &mut Session, out: &mut impl Write) -> anyhow::Result<()> {
    let mut editor = rustyline::DefaultEditor::new()?;
    let history = PathBuf::from("data/console-history.txt");
    let _ = editor.load_history(&history);
    loop {
        match editor.readline(&session.prompt()) {
            Ok(line) => {
                let _ = editor.add_history_entry(line.as_str());
                if session.handle(&line, out).await? == Flow::Quit {
                    break;
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => continue,
            Err(rustyline::error::ReadlineError::Eof) => break,
            Err(err) => return Err(err.into()),
        }
    }
    let _ = editor.save_history(&history);
    Ok(())
}

/// The simulated clock is kept beside a file database: `data/console.db` → `data/console.clock`.
fn clock_file_for(url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix("sqlite://")?;
    let path = path.split('?').next()?;
    Some(PathBuf::from(path).with_extension("clock"))
}

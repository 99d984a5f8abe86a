//! `intakebot intake …`: operator tools for the chat intake grammar.
//!
//! - `explain "TEXT" [--lang en|no] [--to-bot] [--json]`: what the bot would make of one
//!   message, which patterns matched and which precedence rule decided; `-` reads the
//!   message from stdin.
//! - `explain --jsonl`: one message per stdin line, one JSON object per stdout line
//!   (`stream`); a bad line gets an error object and the stream goes on.
//! - `eval CORPUS`: accuracy and per-category precision and recall on a labelled corpus
//!   (`eval`); exit 1 below the floor.

mod eval;
mod explain;
mod stream;

pub use explain::{explain_json, ExplainRecord};

use crate::core::catalog::Catalog;
use crate::core::intake::{IntakeContext, IntakePatterns, Language, ProductIndex};
use crate::core::policy::Policy;
use clap::{Args, Subcommand, ValueEnum};
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum IntakeCommand {
    /// Show how a message would be read, and why.
    Explain(ExplainArgs),
    /// Score the grammar against a labelled corpus (see tests/intake/corpus.txt).
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The message text, as a user would write it; `-` reads it from stdin.
    #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
    pub text: Option<String>,
    /// The channel's language (used when the text does not tell).
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,
    /// Read the message as addressed to the bot (a mention or a reply to it).
    #[arg(long)]
    pub to_bot: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Read one message per stdin line and print one JSON object per line.
    #[arg(long)]
    pub jsonl: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The corpus file.
    pub corpus: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    No,
}

impl From<LangArg> for Language {
    fn from(l: LangArg) -> Language {
        match l {
            LangArg::En => Language::En,
            LangArg::No => Language::No,
        }
    }
}

/// How a run ended when it ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeOutcome {
    Success,
    /// Some `--jsonl` lines failed, or the corpus is below the floor: exit 1.
    Failed,
}

impl From<IntakeOutcome> for std::process::ExitCode {
    fn from(o: IntakeOutcome) -> Self {
        match o {
            IntakeOutcome::Success => std::process::ExitCode::SUCCESS,
            IntakeOutcome::Failed => std::process::ExitCode::from(super::EXIT_FAILURE),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeCliError {
    /// The cause follows in the error chain.
    #[error("cannot write the output")]
    Io(#[from] std::io::Error),
    #[error("cannot read the message from stdin: {0}")]
    Stdin(std::io::Error),
    #[error("the message on stdin is not UTF-8 text: {0}")]
    StdinNotUtf8(std::string::FromUtf8Error),
    #[error("cannot read the corpus {path}: {error}")]
    CorpusFile { path: PathBuf, error: std::io::Error },
    #[error("corpus {path}: {error}")]
    Corpus {
        path: PathBuf,
        error: crate::core::intake::eval::CorpusError,
    },
    #[error("cannot encode JSON")]
    Json(#[from] serde_json::Error),
}

/// What every intake command reads with.
#[derive(Debug, Clone, Copy)]
pub struct Grammar<'a> {
    pub patterns: &'a IntakePatterns,
    pub catalog: &'a Catalog,
    pub policy: &'a Policy,
}

pub fn run(
    command: &IntakeCommand,
    grammar: Grammar<'_>,
    stdin: impl BufRead,
    out: &mut impl Write,
) -> Result<IntakeOutcome, IntakeCliError> {
    let products = ProductIndex::new(grammar.catalog);
    let ctx = IntakeContext {
        patterns: grammar.patterns,
        products: &products,
        language_hint: Language::En,
        in_incident_thread: false,
        addressed_to_bot: false,
    };
    match command {
        IntakeCommand::Explain(args) => {
            let ctx = IntakeContext {
                language_hint: args.lang.into(),
                addressed_to_bot: args.to_bot,
                ..ctx
            };
            if args.jsonl {
                return stream::run(&ctx, grammar.policy, stdin, out);
            }
            explain::run(args, &ctx, grammar.policy, stdin, out)?;
            Ok(IntakeOutcome::Success)
        }
        IntakeCommand::Eval(args) => eval::run(&args.corpus, &ctx, out),
    }
}

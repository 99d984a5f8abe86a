use clap::Parser;

fn main() -> anyhow::Result<()> {
    let _cli = intakebot::cli::Cli::parse();
    Ok(())
}

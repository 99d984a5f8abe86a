//! The local Discord server in a process of its own, driven over stdin/stdout
//! (`intakebot_testkit::remote`): `cargo run -p intakebot-testkit --bin fake-discord`.

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(e) = runtime.block_on(intakebot_testkit::remote::serve_stdio()) {
        eprintln!("fake-discord: {e}");
        std::process::exit(1);
    }
}

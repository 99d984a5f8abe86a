//! `sqlx::migrate!` embeds `migrations/` at compile time, but cargo does not see that folder:
//! without this, a new migration file would not rebuild the binary that has to apply it.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}

//! The README's invite link and permission table agree with the code's one list of the
//! permissions the bot needs (`ops::permissions::NEEDED`), so an admin who follows the README
//! gets a bot that can open incidents.

use intakebot::ops::permissions::{NEEDED, REQUIRED};
use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

#[test]
fn the_invite_links_permissions_integer_is_the_codes() {
    let readme = readme();
    let links: Vec<&str> = readme
        .split("&permissions=")
        .skip(1)
        .map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next().unwrap_or_default())
        .collect();
    assert!(!links.is_empty(), "the README has an invite link with &permissions=");
    for value in links {
        assert_eq!(
            value.parse::<u64>().ok(),
            Some(REQUIRED.bits()),
            "README permissions={value}; the code needs {} ({})",
            REQUIRED.bits(),
            REQUIRED.get_permission_names().join(", ")
        );
    }
}

#[test]
fn the_readmes_permission_table_lists_each_needed_permission_and_its_purpose() {
    let readme = readme();
    let rows: Vec<(String, String)> = readme
        .lines()
        .map(str::trim)
        .skip_while(|l| *l != "| permission | what for |")
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].to_string(), cells.get(1).unwrap_or(&"").to_string())
        })
        .collect();
    let expected: Vec<(String, String)> = NEEDED
        .iter()
        .map(|(p, why)| (p.get_permission_names().concat(), why.to_string()))
        .collect();
    assert_eq!(rows, expected);
}

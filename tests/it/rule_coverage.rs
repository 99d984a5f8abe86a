//! Every rule of the policy is named by a test: in the test's name (`p_n1_3_…`) or in a string
//! the test checks (an expected reply quoting "(P-N1-3)"). Comments do not count, nor do names
//! outside tests: the code is read as Rust with `syn`, so a rule mentioned in passing is not
//! mistaken for a tested one.

use intakebot::core::rules::RuleId;
use proc_macro2::{TokenStream, TokenTree};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() && !path.ends_with("target") {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// What the tests in one file name: each test's name and the string literals in its body.
#[derive(Default)]
struct TestTexts {
    names: Vec<String>,
    strings: Vec<String>,
}

impl TestTexts {
    fn of_source(source: &str) -> TestTexts {
        let mut texts = TestTexts::default();
        if let Ok(file) = syn::parse_file(source) {
            texts.visit_file(&file);
        }
        texts
    }

    fn add_test(&mut self, name: String, body: TokenStream) {
        self.names.push(name);
        literals(body, &mut self.strings);
    }
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().segments.last().is_some_and(|s| s.ident == "test"))
}

/// Every string literal in a token stream, macro arguments (`assert!`, `format!`) included.
fn literals(tokens: TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            TokenTree::Group(group) => literals(group.stream(), out),
            TokenTree::Literal(lit) => {
                if let Ok(syn::Lit::Str(s)) = syn::parse_str::<syn::Lit>(&lit.to_string()) {
                    out.push(s.value());
                }
            }
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for TestTexts {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if is_test(&f.attrs) {
            let body = quote::ToTokens::to_token_stream(&f.block);
            self.add_test(f.sig.ident.to_string(), body);
        }
        syn::visit::visit_item_fn(self, f);
    }

    /// Tests inside `proptest! { … }` are not items to syn: read the macro's tokens.
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if m.path.segments.last().is_some_and(|s| s.ident == "proptest") {
            let mut previous_fn = false;
            for token in m.tokens.clone() {
                if let TokenTree::Ident(ident) = &token {
                    if previous_fn {
                        self.names.push(ident.to_string());
                    }
                    previous_fn = ident == "fn";
                }
            }
            literals(m.tokens.clone(), &mut self.strings);
        }
        syn::visit::visit_macro(self, m);
    }
}

/// The rules a body of tests names: `P-N1-3` in a string, or `p_n1_3` in a test's name
/// (followed by a non-digit, so P-N1-1 is not P-N1-10).
fn named_rules(texts: &TestTexts) -> BTreeSet<&'static str> {
    RuleId::ALL
        .iter()
        .map(|r| r.as_str())
        .filter(|id| {
            let in_string = regex::Regex::new(&format!(r"{}(\D|$)", regex::escape(id))).unwrap();
            let snake = id.to_lowercase().replace('-', "_");
            let in_name = regex::Regex::new(&format!(r"(^|_){}(\D|$)", regex::escape(&snake))).unwrap();
            texts.strings.iter().any(|s| in_string.is_match(s)) || texts.names.iter().any(|n| in_name.is_match(n))
        })
        .collect()
}

#[test]
fn every_rule_is_named_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "crates", "tests"] {
        rust_files(&root.join(dir), &mut files);
    }
    let self_path = root.join("tests/it/rule_coverage.rs");
    let mut all = TestTexts::default();
    for file in files.iter().filter(|f| **f != self_path) {
        let texts = TestTexts::of_source(&std::fs::read_to_string(file).unwrap());
        all.names.extend(texts.names);
        all.strings.extend(texts.strings);
    }
    let named = named_rules(&all);
    let untested: Vec<&str> = RuleId::ALL
        .iter()
        .map(|r| r.as_str())
        .filter(|id| !named.contains(id))
        .collect();
    assert!(
        untested.is_empty(),
        "rules no test names (in its name or a checked string): {untested:?}"
    );
}

#[test]
fn comments_and_code_outside_tests_do_not_count() {
    let source = r#"
        // P-SEV-1 is only mentioned here.
        fn helper() -> &'static str { "P-SEV-2" }
        #[test]
        fn p_sev_3_is_in_the_name() { /* P-SEV-4 in a comment */ }
        #[tokio::test]
        async fn checks_a_reply() { assert!(reply().contains("(P-SEV-5)"), "P-SEV-6 or not"); }
        proptest! { #[test] fn p_plan_6_never_below_zero(x in 0..3u32) { prop_assert!(x < 3); } }
    "#;
    let named = named_rules(&TestTexts::of_source(source));
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        vec!["P-PLAN-6", "P-SEV-3", "P-SEV-5", "P-SEV-6"]
    );
}

#[test]
fn docs_and_code_know_the_same_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/policy.md")).unwrap();
    let re = regex::Regex::new(r"\*\*(P-[A-Z0-9]+-\d+)\*\*").unwrap();
    let ids: Vec<String> = re.captures_iter(&doc).map(|c| c[1].to_string()).collect();
    let code: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(ids, code);
}

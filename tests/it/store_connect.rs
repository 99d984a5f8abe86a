//! Starting the store: clear errors for bad URLs and unreachable servers, and a SQLite file
//! (with its folder) created on first start.

use intakebot::store::{Opened, Store, StoreError};

#[tokio::test]
async fn an_unknown_scheme_is_a_bad_url() {
    let err = Store::connect("mysql://root@localhost/db").await.unwrap_err();
    assert!(matches!(err, StoreError::BadUrl { .. }), "{err}");
    assert!(
        err.to_string().contains("sqlite://"),
        "the message shows the accepted forms: {err}"
    );
}

#[tokio::test]
async fn a_malformed_postgres_url_is_a_bad_url_without_its_password() {
    let err = Store::connect("postgres://bot:s3cret@127.0.0.1:notaport/db")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::BadUrl { .. } | StoreError::Unreachable { .. }),
        "{err}"
    );
    assert!(!err.to_string().contains("s3cret"), "{err}");
}

#[tokio::test]
async fn an_unreachable_server_is_a_clear_error() {
    let err = Store::connect("postgres://postgres:pw@127.0.0.1:1/intakebot")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
    let shown = err.to_string();
    assert!(
        shown.starts_with("cannot connect to the database at postgres://postgres:***@127.0.0.1:1"),
        "{shown}"
    );
}

#[tokio::test]
async fn the_sqlite_file_and_its_folder_are_created_on_first_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested/data/intakebot.db");
    let url = format!("sqlite://{}", file.display());
    let store = Store::connect(&url).await.unwrap();
    assert!(file.exists());
    store.close().await;
    // A second start finds the schema in place and leaves it.
    let report = intakebot::cli::migrate::run(&url).await.unwrap();
    assert_eq!(report.backend, "sqlite");
    assert!(report.schema_version >= 1);
}

#[tokio::test]
async fn a_folder_that_cannot_be_created_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let url = format!("sqlite://{}/sub/intakebot.db", blocker.display());
    let err = Store::connect(&url).await.unwrap_err();
    assert!(matches!(err, StoreError::CreateFolder { .. }), "{err}");
}

#[tokio::test]
async fn an_in_memory_database_works_for_quick_tools() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    let org = intakebot::core::ids::OrgId::new("mem");
    store.upsert_organisation(&org, "In memory").await.unwrap();
    assert_eq!(store.list_entitlements(&org).await.unwrap(), vec![]);
    assert_eq!(store.check_all_ledgers().await.unwrap(), vec![]);
}

async fn sqlite_pragma(store: &Store, name: &str) -> String {
    let Store::Sqlite(s) = store else {
        panic!("a SQLite store")
    };
    let value: sqlx::sqlite::SqliteRow = sqlx::query(&format!("PRAGMA {name}"))
        .fetch_one(s.pool())
        .await
        .unwrap();
    use sqlx::Row;
    value
        .try_get::<String, _>(0)
        .or_else(|_| value.try_get::<i64, _>(0).map(|v| v.to_string()))
        .unwrap()
}

/// WAL mode (readers never block the writer), and the open path works on a file database.
#[tokio::test]
async fn sqlite_files_run_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fresh.db");
    let store = Store::connect(&format!("sqlite://{}", file.display())).await.unwrap();
    assert_eq!(sqlite_pragma(&store, "journal_mode").await, "wal");
    assert_eq!(sqlite_pragma(&store, "foreign_keys").await, "1");
    let seed = crate::helpers::db::seed(&store, "contoso", 2).await;
    let opened = store
        .open_incident(&crate::helpers::db::request(&seed, "wal-1", seed.pack.id))
        .await
        .unwrap();
    assert!(matches!(opened, Opened::New(_)), "{opened:?}");
    assert_eq!(store.check_all_ledgers().await.unwrap(), vec![]);
    store.close().await;
}

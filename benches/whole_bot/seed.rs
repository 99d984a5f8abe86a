//! A fresh database with a working history, written as the store writes it (same columns,
//! labels and timestamp text) in one transaction of multi-row INSERTs that both SQLite and
//! PostgreSQL accept: closed incidents with their packs, ledger and events; open incidents
//! with their pending reminders; the burst's reminders parked far ahead until the bench makes
//! them due; packs for the bench customer's opens.

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, SubsecRound, Utc};
use sqlx::Connection;

/// Units per pack (a Signature pack) and incidents charged to one historical pack.
const UNITS: usize = 50;
const PER_PACK: usize = 45;
/// The open incidents' packs are spent: the organisations' chargeable packs are the bench
/// customer's (an open judges every chargeable pack; docs/performance.md).
const LIVE_PER_PACK: usize = UNITS;
/// Customers per organisation.
const CUSTOMERS: usize = 200;
pub const BENCH_CUSTOMER: u64 = 5_000_000_000_000_000_001;
pub const ENGINEER: u64 = 5_000_000_000_000_000_003;
const MANAGER: u64 = 5_000_000_000_000_000_004;
const ORGS: [&str; 2] = ["contoso", "fabrikam"];
/// Nonces of the burst's rows start with this; nothing else's do.
pub const BURST_NONCE: &str = "wbd";

/// How much of everything, from the scale (1.0: 100k open incidents, 1M ledger rows).
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub open: usize,
    pub closed: usize,
    /// Open incidents whose two reminders (thread, engineers) make up the burst.
    pub burst_incidents: usize,
    pub bench_packs: usize,
}

impl Sizes {
    pub fn at(scale: f64, opens_needed: u64) -> Sizes {
        let n = |x: f64| ((x * scale).round() as usize).max(10);
        let open = n(100_000.0);
        let ledger = n(1_000_000.0) as f64;
        // ledger = grants (old + live packs) + expiries (old packs) + consumes + refunds (1/8)
        let closed = ((ledger - open as f64 * (1.0 + 1.0 / LIVE_PER_PACK as f64))
            / (1.0 + 0.125 + 2.0 / PER_PACK as f64))
            .max(0.0) as usize;
        Sizes {
            open,
            closed,
            burst_incidents: (n(10_000.0) / 2).min(open),
            bench_packs: opens_needed as usize / UNITS + 2,
        }
    }

    fn old_packs(&self) -> usize {
        self.closed.div_ceil(PER_PACK)
    }
    fn live_packs(&self) -> usize {
        self.open.div_ceil(LIVE_PER_PACK)
    }
}

/// What was written.
#[derive(Debug, Default)]
pub struct Counts {
    pub incidents: usize,
    pub events: usize,
    pub ledger: usize,
    pub outbox: usize,
    pub packs: usize,
}

/// Either backend's connection; the statements are the same text.
pub enum Db {
    Sqlite(sqlx::SqliteConnection),
    Pg(sqlx::PgConnection),
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        if url.starts_with("sqlite:") {
            Ok(Db::Sqlite(sqlx::SqliteConnection::connect(url).await?))
        } else {
            Ok(Db::Pg(sqlx::PgConnection::connect(url).await?))
        }
    }

    pub async fn exec(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Db::Sqlite(c) => sqlx::raw_sql(sql).execute(c).await.map(drop),
            Db::Pg(c) => sqlx::raw_sql(sql).execute(c).await.map(drop),
        }
    }

    pub async fn count(&mut self, sql: &str) -> Result<i64, sqlx::Error> {
        match self {
            Db::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await,
            Db::Pg(c) => sqlx::query_scalar(sql).fetch_one(c).await,
        }
    }

    /// Makes the burst's reminders due now.
    pub async fn release_burst(&mut self, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        let sql = format!(
            "UPDATE outbox SET due_at = {} WHERE nonce LIKE '{BURST_NONCE}%'",
            ts(now)
        );
        self.exec(&sql).await
    }

    /// Burst rows not yet delivered.
    pub async fn burst_left(&mut self) -> Result<i64, sqlx::Error> {
        let sql = format!(
            "SELECT count(*) FROM outbox WHERE nonce LIKE '{BURST_NONCE}%' AND state IN ('pending', 'claimed')"
        );
        self.count(&sql).await
    }
}

/// Multi-row INSERTs of at most `CHUNK` rows.
struct Insert<'a> {
    db: &'a mut Db,
    head: &'static str,
    rows: Vec<String>,
    written: usize,
}

const CHUNK: usize = 500;

impl<'a> Insert<'a> {
    fn new(db: &'a mut Db, head: &'static str) -> Self {
        Insert {
            db,
            head,
            rows: Vec::with_capacity(CHUNK),
            written: 0,
        }
    }

    async fn row(&mut self, values: String) -> Result<(), sqlx::Error> {
        self.rows.push(values);
        if self.rows.len() == CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn finish(mut self) -> Result<usize, sqlx::Error> {
        self.flush().await?;
        Ok(self.written)
    }

    async fn flush(&mut self) -> Result<(), sqlx::Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!("{} VALUES ({})", self.head, self.rows.join("), ("));
        self.db.exec(&sql).await?;
        self.written += self.rows.len();
        self.rows.clear();
        Ok(())
    }
}

/// A timestamp as sqlx writes it for SQLite (RFC 3339, `+00:00`, microseconds at most);
/// PostgreSQL reads the same literal into `timestamptz`.
pub fn ts(t: DateTime<Utc>) -> String {
    format!("'{}'", t.trunc_subsecs(6).to_rfc3339_opts(SecondsFormat::AutoSi, false))
}

fn day(d: NaiveDate) -> String {
    format!("'{}'", d.format("%Y-%m-%d"))
}

fn customer(org: usize, k: usize) -> u64 {
    6_000_000_000_000_000_000 + org as u64 * 1_000 + (k % CUSTOMERS) as u64
}

/// Everything the bench needs: the history, the open incidents (the burst's first, their
/// threads in `threads`) and the bench customer's packs.
pub async fn seed(db: &mut Db, sizes: Sizes, threads: &[u64], now: DateTime<Utc>) -> Result<Counts, sqlx::Error> {
    if let Db::Sqlite(_) = db {
        // A bench database: a crash while seeding only means seeding again.
        db.exec("PRAGMA synchronous = OFF").await?;
    }
    db.exec("BEGIN").await?;
    let mut counts = Counts::default();
    people(db).await?;
    counts.packs = packs(db, sizes, now).await?;
    counts.incidents = incidents(db, sizes, threads, now).await?;
    counts.events = events(db, sizes, now).await?;
    counts.ledger = ledger(db, sizes, now).await?;
    counts.outbox = outbox(db, sizes, now).await?;
    db.exec("COMMIT").await?;
    let max_incident = db.count("SELECT max(id) FROM incidents").await?;
    assert_eq!(
        max_incident as usize, counts.incidents,
        "incident ids are 1..n in order"
    );
    Ok(counts)
}

async fn people(db: &mut Db) -> Result<(), sqlx::Error> {
    db.exec("INSERT INTO organisations (id, name) VALUES ('contoso', 'Contoso AS'), ('fabrikam', 'Fabrikam Inc.')")
        .await?;
    let mut accounts = Insert::new(db, "INSERT INTO accounts (id, organisation, role, sign_in)");
    accounts
        .row(format!("'{BENCH_CUSTOMER}', 'contoso', 'customer', 'work'"))
        .await?;
    for (o, org) in ORGS.iter().enumerate() {
        let sign_in = if o == 0 { "work" } else { "personal" };
        for k in 0..CUSTOMERS {
            accounts
                .row(format!("'{}', '{org}', 'customer', '{sign_in}'", customer(o, k)))
                .await?;
        }
    }
    accounts.finish().await.map(drop)
}

/// A pack as (organisation index, owner, units left, purchased, expires).
struct Pack {
    org: usize,
    owner: u64,
    left: usize,
    purchased: NaiveDate,
    expires: NaiveDate,
}

/// Ids 1..: old packs (expired, written off), live packs (the open incidents'), bench packs.
fn all_packs(sizes: Sizes, now: DateTime<Utc>) -> Vec<Pack> {
    let today = now.date_naive();
    let mut packs = Vec::new();
    for p in 0..sizes.old_packs() {
        let purchased = today - Duration::days(800) + Duration::days((p % 300) as i64);
        packs.push(Pack {
            org: p % 2,
            owner: customer(p % 2, p),
            left: 0,
            purchased,
            expires: purchased + Duration::days(365),
        });
    }
    for p in 0..sizes.live_packs() {
        let used = LIVE_PER_PACK.min(sizes.open - p * LIVE_PER_PACK);
        let purchased = today - Duration::days(30);
        // Organisations alternate by pack id, as `facts` reads them.
        let org = (sizes.old_packs() + p) % 2;
        packs.push(Pack {
            org,
            owner: customer(org, p),
            left: UNITS - used,
            purchased,
            expires: purchased + Duration::days(365),
        });
    }
    for _ in 0..sizes.bench_packs {
        packs.push(Pack {
            org: 0,
            owner: BENCH_CUSTOMER,
            left: UNITS,
            purchased: today,
            expires: today + Duration::days(365),
        });
    }
    packs
}

async fn packs(db: &mut Db, sizes: Sizes, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut rows = Insert::new(
        db,
        "INSERT INTO entitlements (plan, organisation, owner, units_granted, units_left, purchased_on, expires_on, order_number)",
    );
    for (i, p) in all_packs(sizes, now).iter().enumerate() {
        rows.row(format!(
            "'signature', '{}', '{}', {UNITS}, {}, {}, {}, 'ORD-{:06}'",
            ORGS[p.org],
            p.owner,
            p.left,
            day(p.purchased),
            day(p.expires),
            i + 1
        ))
        .await?;
    }
    rows.finish().await
}

/// One incident's facts, by its id (1-based): closed ones first, then the open ones.
struct Facts {
    pack: usize,
    org: usize,
    requester: u64,
    opened: DateTime<Utc>,
    due: DateTime<Utc>,
    closed: Option<DateTime<Utc>>,
    acknowledged: bool,
    refunded: bool,
    /// Open and waiting: its reminders are queued.
    waiting: bool,
}

fn facts(sizes: Sizes, id: usize, now: DateTime<Utc>) -> Facts {
    let span = Duration::days(600).num_seconds() / sizes.closed.max(1) as i64;
    if id <= sizes.closed {
        let j = id - 1;
        let pack = j / PER_PACK + 1;
        let opened = now - Duration::days(700) + Duration::seconds(j as i64 * span);
        return Facts {
            pack,
            org: (pack - 1) % 2,
            requester: customer((pack - 1) % 2, j),
            opened,
            due: opened + Duration::hours(4),
            closed: Some(opened + Duration::days(2)),
            acknowledged: true,
            refunded: j % 8 == 0,
            waiting: false,
        };
    }
    let k = id - sizes.closed - 1;
    let pack = sizes.old_packs() + k / LIVE_PER_PACK + 1;
    let org = (pack - 1) % 2;
    // The burst's incidents are waiting; after them every other one is acknowledged.
    let waiting = k < sizes.burst_incidents || k % 2 == 0;
    Facts {
        pack,
        org,
        requester: customer(org, k),
        opened: now - Duration::minutes((k % 600) as i64),
        // Deadlines a week ahead: nothing falls due while the bench watches the bot idle.
        due: now + Duration::days(8) + Duration::seconds(k as i64),
        closed: None,
        acknowledged: !waiting,
        refunded: false,
        waiting,
    }
}

async fn incidents(db: &mut Db, sizes: Sizes, threads: &[u64], now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut rows = Insert::new(
        db,
        "INSERT INTO incidents (source_id, organisation, requester, entitlement, product, version, severity, \
         coverage, title, problem, language, flags, state, outcome, refund, opened_at, first_response_due, \
         acknowledged_at, acknowledged_by, first_response_met, closed_at, discord_channel_id, \
         discord_thread_id, discord_message_id)",
    );
    for id in 1..=sizes.closed + sizes.open {
        let f = facts(sizes, id, now);
        let severity = ["A", "B", "C"][id % 3];
        let coverage = if severity == "A" { "24x7" } else { "business" };
        let language = if f.org == 0 { "no" } else { "en" };
        let (state, outcome, refund) = match (f.closed, f.acknowledged) {
            (Some(_), _) if f.refunded => ("closed", "'unresolved'", "'refund'"),
            (Some(_), _) => ("closed", "'resolved'", "NULL"),
            (None, true) => ("acknowledged", "NULL", "NULL"),
            (None, false) => ("open", "NULL", "NULL"),
        };
        let (ack_at, ack_by, met) = if f.acknowledged {
            (ts(f.opened + Duration::hours(1)), format!("'{ENGINEER}'"), "TRUE")
        } else {
            ("NULL".into(), "NULL".into(), "NULL")
        };
        // The burst's incidents (the first open ones) have threads in the fake server.
        let burst_thread = id.checked_sub(sizes.closed + 1).and_then(|k| threads.get(k));
        let thread = burst_thread.copied().unwrap_or(1_300_000_000_000_000_000 + id as u64);
        rows.row(format!(
            "'{}', '{}', '{}', {}, 'SQL Server', '2022', '{severity}', '{coverage}', 'Nightly backup fails on node {id}', \
             'The nightly full backup of the production cluster fails with error 3041 since the last patch.', \
             '{language}', '', '{state}', {outcome}, {refund}, {}, {}, {ack_at}, {ack_by}, {met}, {}, \
             '1100000000000000020', '{thread}', '{}'",
            1_200_000_000_000_000_000u64 + id as u64,
            ORGS[f.org],
            f.requester,
            f.pack,
            ts(f.opened),
            ts(f.due),
            f.closed.map(ts).unwrap_or_else(|| "NULL".into()),
            1_400_000_000_000_000_000u64 + id as u64,
        ))
        .await?;
    }
    rows.finish().await
}

async fn events(db: &mut Db, sizes: Sizes, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut rows = Insert::new(
        db,
        "INSERT INTO incident_events (incident, at, author, kind, from_state, to_state, reason, rules)",
    );
    for id in 1..=sizes.closed + sizes.open {
        let f = facts(sizes, id, now);
        rows.row(format!(
            "{id}, {}, '{}', 'opened', NULL, 'open', 'opened', ''",
            ts(f.opened),
            f.requester
        ))
        .await?;
        if let Some(closed) = f.closed {
            let to = if f.refunded {
                "closed/unresolved/refund"
            } else {
                "closed/resolved"
            };
            rows.row(format!(
                "{id}, {}, '{ENGINEER}', 'closed', 'acknowledged', '{to}', 'Fixed by the cumulative update', ''",
                ts(closed)
            ))
            .await?;
        } else if f.acknowledged {
            rows.row(format!(
                "{id}, {}, '{ENGINEER}', 'acknowledged', 'open', 'acknowledged', 'acknowledged', ''",
                ts(f.opened + Duration::hours(1))
            ))
            .await?;
        }
    }
    rows.finish().await
}

async fn ledger(db: &mut Db, sizes: Sizes, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let packs = all_packs(sizes, now);
    let mut rows = Insert::new(
        db,
        "INSERT INTO ledger (entitlement, kind, delta, actor, incident, reason, at)",
    );
    let at_nine = |d: NaiveDate| ts(d.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc());
    for (i, p) in packs.iter().enumerate() {
        rows.row(format!(
            "{}, 'grant', {UNITS}, '{MANAGER}', NULL, 'granted', {}",
            i + 1,
            at_nine(p.purchased)
        ))
        .await?;
    }
    // What each old pack has left when it expires: granted − consumed + refunded.
    let mut left = vec![UNITS as i64; sizes.old_packs()];
    for id in 1..=sizes.closed + sizes.open {
        let f = facts(sizes, id, now);
        rows.row(format!(
            "{}, 'consume', -1, '{}', {id}, 'opened', {}",
            f.pack,
            f.requester,
            ts(f.opened)
        ))
        .await?;
        if let (Some(closed), true) = (f.closed, f.refunded) {
            rows.row(format!(
                "{}, 'refund', 1, '{ENGINEER}', {id}, 'refund decided at close', {}",
                f.pack,
                ts(closed)
            ))
            .await?;
        }
        if let Some(l) = left.get_mut(f.pack - 1) {
            *l += if f.refunded { 0 } else { -1 };
        }
    }
    for (i, l) in left.iter().enumerate().filter(|(_, l)| **l > 0) {
        rows.row(format!(
            "{}, 'expire', {}, 'system', NULL, 'expired one year after purchase (P-PLAN-2)', {}",
            i + 1,
            -l,
            at_nine(packs[i].expires)
        ))
        .await?;
    }
    rows.finish().await
}

async fn outbox(db: &mut Db, sizes: Sizes, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let mut rows = Insert::new(db, "INSERT INTO outbox (incident, kind, target, due_at, state, nonce)");
    for id in sizes.closed + 1..=sizes.closed + sizes.open {
        let f = facts(sizes, id, now);
        if !f.waiting {
            continue;
        }
        let k = id - sizes.closed - 1;
        // The burst's rows wait a month ahead until the bench makes them due.
        let (prefix, due) = if k < sizes.burst_incidents {
            (BURST_NONCE, now + Duration::days(30))
        } else {
            ("wbo", f.due - Duration::hours(1))
        };
        for (target, t) in [("thread", 't'), ("engineers", 'e')] {
            rows.row(format!(
                "{id}, 'reminder-1', '{target}', {}, 'pending', '{prefix}{k}r1{t}'",
                ts(due)
            ))
            .await?;
        }
    }
    rows.finish().await
}

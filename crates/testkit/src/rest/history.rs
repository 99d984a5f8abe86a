//! `GET /channels/{id}/messages` as Discord answers it (message resource docs): `before`, `after`
//! and `around` are mutually exclusive; `limit` is 1-100 (default 50); the answer is newest
//! first. `after` gives the oldest `limit` messages after the id, `before` the newest before it,
//! `around` about half on each side with the anchor itself (Discord does not document the split;
//! this takes `limit / 2` older ones).

use serde_json::Value;

use super::super::events::id_of;
use super::reply::Reply;

pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 100;

/// Which messages a query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Latest,
    Before(u64),
    After(u64),
    Around(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryQuery {
    pub anchor: Anchor,
    pub limit: usize,
}

/// Parses the query string; bad values are 400 / 50035 with the field's path.
pub fn parse(query: &[(String, String)]) -> Result<HistoryQuery, Reply> {
    let mut anchor = Anchor::Latest;
    let mut limit = DEFAULT_LIMIT;
    for (key, value) in query {
        let snowflake = || {
            value
                .parse::<u64>()
                .map_err(|_| Reply::invalid_form(key, "NUMBER_TYPE_COERCE", "Value is not snowflake."))
        };
        let next = match key.as_str() {
            "before" => Anchor::Before(snowflake()?),
            "after" => Anchor::After(snowflake()?),
            "around" => Anchor::Around(snowflake()?),
            "limit" => {
                limit = parse_limit(value)?;
                continue;
            }
            _ => continue,
        };
        if anchor != Anchor::Latest {
            return Err(Reply::invalid_form(
                key,
                "BASE_TYPE_INVALID",
                "before, after and around are mutually exclusive.",
            ));
        }
        anchor = next;
    }
    Ok(HistoryQuery { anchor, limit })
}

fn parse_limit(value: &str) -> Result<usize, Reply> {
    let limit: usize = value
        .parse()
        .map_err(|_| Reply::invalid_form("limit", "NUMBER_TYPE_COERCE", "Value is not int."))?;
    match limit {
        0 => Err(Reply::invalid_form(
            "limit",
            "NUMBER_TYPE_MIN",
            "int value should be greater than or equal to 1.",
        )),
        l if l > MAX_LIMIT => Err(Reply::invalid_form(
            "limit",
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 100.",
        )),
        l => Ok(l),
    }
}

/// The page for `query` from a channel's messages (any order), newest first.
pub fn select(messages: &[Value], query: HistoryQuery) -> Vec<Value> {
    let mut sorted: Vec<&Value> = messages.iter().collect();
    sorted.sort_by_key(|m| id_of(m, "id"));
    let id = |m: &&Value| id_of(m, "id");
    let limit = query.limit;
    let mut page: Vec<&Value> = match query.anchor {
        Anchor::Latest => sorted.iter().rev().take(limit).copied().collect(),
        Anchor::Before(before) => sorted
            .iter()
            .rev()
            .filter(|m| id(m) < before)
            .take(limit)
            .copied()
            .collect(),
        Anchor::After(after) => sorted.iter().filter(|m| id(m) > after).take(limit).copied().collect(),
        Anchor::Around(around) => {
            let older = limit / 2;
            let mut page: Vec<&Value> = sorted
                .iter()
                .rev()
                .filter(|m| id(m) < around)
                .take(older)
                .copied()
                .collect();
            page.extend(sorted.iter().filter(|m| id(m) >= around).take(limit - older));
            page
        }
    };
    page.sort_by_key(|m| std::cmp::Reverse(id_of(m, "id")));
    page.into_iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(ids: std::ops::RangeInclusive<u64>) -> Vec<Value> {
        ids.map(|id| json!({ "id": id.to_string() })).collect()
    }

    fn ids(page: &[Value]) -> Vec<u64> {
        page.iter().map(|m| id_of(m, "id")).collect()
    }

    fn query(pairs: &[(&str, &str)]) -> Result<HistoryQuery, Reply> {
        let owned: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        parse(&owned)
    }

    #[test]
    fn pages_are_newest_first_and_after_takes_the_oldest_after() {
        let all = messages(1..=10);
        assert_eq!(ids(&select(&all, query(&[("limit", "3")]).unwrap())), [10, 9, 8]);
        assert_eq!(
            ids(&select(&all, query(&[("before", "5"), ("limit", "2")]).unwrap())),
            [4, 3]
        );
        assert_eq!(
            ids(&select(&all, query(&[("after", "5"), ("limit", "2")]).unwrap())),
            [7, 6]
        );
        assert_eq!(
            ids(&select(&all, query(&[("around", "5"), ("limit", "3")]).unwrap())),
            [6, 5, 4]
        );
        assert_eq!(
            ids(&select(&all, query(&[("around", "5"), ("limit", "1")]).unwrap())),
            [5]
        );
    }

    #[test]
    fn limits_and_exclusive_anchors_are_checked() {
        assert_eq!(query(&[]).unwrap().limit, 50);
        for bad in [
            &[("limit", "0")][..],
            &[("limit", "101")],
            &[("before", "x")],
            &[("before", "1"), ("after", "2")],
        ] {
            assert_eq!(query(bad).unwrap_err().status, 400, "{bad:?}");
        }
    }
}

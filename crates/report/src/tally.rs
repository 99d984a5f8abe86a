//! Counting outcomes and the nearest-rank percentiles of times to first response.

use crate::figures::{Counts, SlaRow};
use crate::outcome::Outcome;
use intakebot_core::ids::OrgId;
use intakebot_core::severity::Severity;

/// Outcomes of a group of incidents, with their response times in seconds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub counts: Counts,
    responses: Vec<i64>,
}

impl Tally {
    pub fn add(&mut self, outcome: &Outcome) {
        let c = &mut self.counts;
        c.opened += 1;
        match outcome {
            Outcome::Met { .. } => c.met += 1,
            Outcome::Breached(_) => c.breached += 1,
            Outcome::Waiting => c.waiting += 1,
            Outcome::Withdrawn => c.withdrawn += 1,
        }
        if let Some(r) = outcome.response() {
            self.responses.push(r.num_seconds());
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        let (c, o) = (&mut self.counts, &other.counts);
        c.opened += o.opened;
        c.met += o.met;
        c.breached += o.breached;
        c.waiting += o.waiting;
        c.withdrawn += o.withdrawn;
        self.responses.extend_from_slice(&other.responses);
    }

    pub fn row(&self, organisation: Option<OrgId>, severity: Option<Severity>) -> SlaRow {
        let mut sorted = self.responses.clone();
        sorted.sort_unstable();
        SlaRow {
            organisation,
            severity,
            counts: self.counts,
            pct_met: self.counts.pct_met(),
            median_response_secs: nearest_rank(&sorted, 50),
            p90_response_secs: nearest_rank(&sorted, 90),
        }
    }
}

/// The `p`-th percentile by nearest rank: the smallest value with at least `p` % of the values
/// at or below it (the value at rank ⌈p·n/100⌉). Always a time that really happened; for an
/// even count the median is the lower middle value.
pub(crate) fn nearest_rank(sorted: &[i64], p: usize) -> Option<i64> {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5], 50), Some(3));
        // ⌈0.9·10⌉ = 9, ⌈0.9·11⌉ = 10
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 90), Some(9));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(nearest_rank(&eleven, 90), Some(10));
    }
}

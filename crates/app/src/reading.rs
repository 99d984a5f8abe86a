//! Messages being handled, per channel, so that a read mark never passes one still in flight.
//!
//! Live messages are handled concurrently: a newer one can be answered while an older one in the
//! same channel is still being handled. If the mark moved to the newer one and the process died
//! then, the catch-up after the restart would start past the older one and it would never be
//! read. So a channel's mark is the newest message handled, but never at or past the oldest one
//! still being handled. Pure bookkeeping; the app stores what it returns.
//!
//! Only channels a reconnect reads (intake channels, incident threads) get marks; the turn that
//! handles a message already looks its channel up, so it says so here (`read_here`) rather than
//! the mark looking the channel up again.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

#[derive(Debug, Default)]
pub(crate) struct Reading {
    channels: Mutex<HashMap<u64, InFlight>>,
}

#[derive(Debug, Default)]
struct InFlight {
    /// Messages being handled now, each with how many times (one read live and again from
    /// history at once counts twice).
    running: BTreeMap<u64, usize>,
    /// The newest message finished while others ran.
    done: u64,
    /// A reconnect reads this channel: its marks are stored.
    read_here: bool,
}

/// A mark the channel may be given now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    pub upto: u64,
    /// Whether a turn found the channel to be one a reconnect reads.
    pub read_here: bool,
}

impl Reading {
    /// `message` in `channel` is being handled from now on.
    pub(crate) fn started(&self, channel: u64, message: u64) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        *channels.entry(channel).or_default().running.entry(message).or_default() += 1;
    }

    /// A message being handled in `channel` showed it is one a reconnect reads.
    pub(crate) fn read_here(&self, channel: u64) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(flight) = channels.get_mut(&channel) {
            flight.read_here = true;
        }
    }

    /// `message` is finished; returns the mark the channel may now be given, if any. Pass no
    /// message to bound a mark that comes from elsewhere (a history page read to its end).
    pub(crate) fn finished(&self, channel: u64, message: Option<u64>, upto: u64) -> Option<Mark> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        let Some(flight) = channels.get_mut(&channel) else {
            return (upto > 0).then_some(Mark { upto, read_here: false });
        };
        if let Some(message) = message {
            if let Some(count) = flight.running.get_mut(&message) {
                *count -= 1;
                if *count == 0 {
                    flight.running.remove(&message);
                }
            }
        }
        flight.done = flight.done.max(upto);
        let upto = match flight.running.keys().next() {
            // Everything older than the oldest one running is finished.
            Some(&oldest) => flight.done.min(oldest - 1),
            None => flight.done,
        };
        let read_here = flight.read_here;
        if flight.running.is_empty() {
            channels.remove(&channel);
        }
        (upto > 0).then_some(Mark { upto, read_here })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Reading {
        fn finished_at(&self, channel: u64, message: Option<u64>, upto: u64) -> Option<u64> {
            self.finished(channel, message, upto).map(|m| m.upto)
        }
    }

    #[test]
    fn a_channel_is_marked_only_once_a_turn_said_a_reconnect_reads_it() {
        let reading = Reading::default();
        reading.started(7, 100);
        assert_eq!(
            reading.finished(7, Some(100), 100),
            Some(Mark {
                upto: 100,
                read_here: false
            })
        );
        reading.started(7, 200);
        reading.read_here(7);
        assert_eq!(
            reading.finished(7, Some(200), 200),
            Some(Mark {
                upto: 200,
                read_here: true
            })
        );
    }

    #[test]
    fn a_newer_message_finished_first_does_not_pass_an_older_one_running() {
        let reading = Reading::default();
        reading.started(7, 100);
        reading.started(7, 200);
        assert_eq!(reading.finished_at(7, Some(200), 200), Some(99));
        assert_eq!(
            reading.finished_at(7, Some(100), 100),
            Some(200),
            "both done: the newest"
        );
    }

    #[test]
    fn in_order_the_mark_follows_each_message() {
        let reading = Reading::default();
        reading.started(7, 100);
        assert_eq!(reading.finished_at(7, Some(100), 100), Some(100));
        reading.started(7, 200);
        assert_eq!(reading.finished_at(7, Some(200), 200), Some(200));
    }

    #[test]
    fn a_message_read_twice_at_once_holds_the_mark_until_both_end() {
        let reading = Reading::default();
        reading.started(7, 100);
        reading.started(7, 100);
        reading.started(7, 200);
        assert_eq!(reading.finished_at(7, Some(200), 200), Some(99));
        assert_eq!(
            reading.finished_at(7, Some(100), 100),
            Some(99),
            "the other read still runs"
        );
        assert_eq!(reading.finished_at(7, Some(100), 100), Some(200));
    }

    #[test]
    fn channels_are_apart() {
        let reading = Reading::default();
        reading.started(7, 100);
        reading.started(8, 150);
        assert_eq!(reading.finished_at(8, Some(150), 150), Some(150));
        assert_eq!(reading.finished_at(7, Some(100), 100), Some(100));
    }

    #[test]
    fn a_page_mark_stops_before_a_message_still_running() {
        let reading = Reading::default();
        reading.started(7, 300);
        assert_eq!(reading.finished_at(7, None, 400), Some(299));
        assert_eq!(reading.finished_at(7, Some(300), 300), Some(400));
        assert_eq!(
            reading.finished_at(7, None, 500),
            Some(500),
            "nothing running: as given"
        );
    }
}

//! The hash chain over the stored events, and its verification.
//!
//! Each event row holds `prev_hash` and
//! `hash = hex(sha256(prev_hash + "\n" + canonical_json))`, where `prev_hash`
//! is the `hash` of the row with the sequence number one lower, and the
//! first row's `prev_hash` is [`GENESIS`] (64 zeros). A purge deletes a prefix
//! of the chain and keeps an anchor: the sequence number and hash of the
//! last purged event, which the first remaining event must link to.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event ever stored.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    const D: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(D[(b >> 4) as usize] as char);
        s.push(D[(b & 15) as usize] as char);
    }
    s
}

/// Hex SHA-256 of some bytes (how a notice snapshot is named).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The hash of the event whose canonical JSON is `canonical`, after `prev`.
pub fn link(prev: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex(&h.finalize())
}

/// One stored row as the verifier sees it.
#[derive(Debug, Clone)]
pub struct Row {
    pub seq: i64,
    pub event_id: String,
    pub consent_id: String,
    pub notice: String,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The first broken link found: where, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    pub seq: i64,
    pub event_id: String,
    pub reason: String,
}

/// Walks the rows in sequence order, starting after an anchor.
pub struct Verifier {
    next_seq: i64,
    prev_hash: String,
    /// How many rows were checked.
    pub count: u64,
}

impl Verifier {
    /// Starts after `anchor_seq` (0 when nothing was purged), whose hash is
    /// `anchor_hash` ([`GENESIS`] when nothing was purged).
    pub fn new(anchor_seq: i64, anchor_hash: &str) -> Self {
        Verifier { next_seq: anchor_seq + 1, prev_hash: anchor_hash.to_string(), count: 0 }
    }

    /// Checks the next row: its number, its link to the one before, its own
    /// hash, and that its indexed columns say what its JSON says.
    pub fn check(&mut self, row: &Row) -> Result<(), Broken> {
        let broken = |reason: String| Broken { seq: row.seq, event_id: row.event_id.clone(), reason };
        if row.seq != self.next_seq {
            return Err(broken(format!("expected sequence number {}, found {}", self.next_seq, row.seq)));
        }
        if row.prev_hash != self.prev_hash {
            return Err(broken("prev_hash is not the hash of the event before".into()));
        }
        if link(&row.prev_hash, &row.body) != row.hash {
            return Err(broken("hash does not match the stored event JSON".into()));
        }
        let columns_agree = serde_json::from_str::<serde_json::Value>(&row.body).ok().is_some_and(|v| {
            v["eventId"] == row.event_id.as_str()
                && v["consentId"] == row.consent_id.as_str()
                && v["notice"] == row.notice.as_str()
        });
        if !columns_agree {
            return Err(broken("event_id, consent_id or notice column differs from the event JSON".into()));
        }
        self.next_seq += 1;
        self.prev_hash = row.hash.clone();
        self.count += 1;
        Ok(())
    }

    /// After the last row: the chain head must name the last row checked.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), Broken> {
        if head_seq != self.next_seq - 1 || head_hash != self.prev_hash {
            return Err(Broken {
                seq: self.next_seq,
                event_id: String::new(),
                reason: format!(
                    "chain head says sequence {head_seq}, but the events end at {} (events missing at the end?)",
                    self.next_seq - 1
                ),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_is_sha256_of_prev_newline_body() {
        // printf '%s\n%s' 000…0 '{}' | sha256sum
        assert_eq!(link(GENESIS, "{}"), sha256_hex(format!("{GENESIS}\n{{}}").as_bytes()));
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

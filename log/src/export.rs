//! Lines of an export: CSV (one row an event, the decisions as JSON in one
//! column) or JSON lines (one object an event).

use crate::store::Stored;
use crate::time;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Csv,
    Jsonl,
}

/// The CSV header line.
pub const CSV_HEADER: &str = "seq,received_at,received,event_id,consent_id,kind,method,time,language,revision,gpc,path,build,notice,decisions,hash\n";

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One event as a line in `format`, ending in a newline.
pub fn line(e: &Stored, format: Format) -> String {
    match format {
        // The body is canonical JSON from the store and the hash is hex.
        Format::Jsonl => format!(
            "{{\"seq\":{},\"receivedAt\":{},\"hash\":\"{}\",\"event\":{}}}\n",
            e.seq, e.received_at, e.hash, e.body
        ),
        Format::Csv => {
            let v: serde_json::Value = serde_json::from_str(&e.body).unwrap_or_default();
            let text = |k: &str| match &v[k] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let fields = [
                e.seq.to_string(),
                e.received_at.to_string(),
                time::format(e.received_at),
                text("eventId"),
                text("consentId"),
                text("kind"),
                text("method"),
                text("time"),
                text("language"),
                text("revision"),
                text("gpc"),
                text("path"),
                text("build"),
                text("notice"),
                v["decisions"].to_string(),
                e.hash.clone(),
            ];
            let mut out = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
            out.push('\n');
            out
        }
    }
}

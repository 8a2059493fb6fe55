//! Merging an edited profile with the record another operator saved meanwhile.

use super::*;

/// Three-way merge of profiles, field by field: where `mine` differs from `base` the operator
/// changed it and it wins; everywhere else `theirs` (the record as stored now) is kept.
pub fn merge_profiles(
    base: &CustomerProfile,
    mine: &CustomerProfile,
    theirs: &CustomerProfile,
) -> CustomerProfile {
    fn merge(base: &Value, mine: &Value, theirs: &Value) -> Value {
        match (base, mine, theirs) {
            (Value::Object(b), Value::Object(m), Value::Object(t)) => Value::Object(
                t.iter()
                    .map(|(k, tv)| {
                        let merged = match (b.get(k), m.get(k)) {
                            (Some(bv), Some(mv)) => merge(bv, mv, tv),
                            _ => tv.clone(),
                        };
                        (k.clone(), merged)
                    })
                    .collect(),
            ),
            _ if mine != base => mine.clone(),
            _ => theirs.clone(),
        }
    }
    use serde_json::Value;
    let as_value = |p: &CustomerProfile| serde_json::to_value(p).unwrap_or(Value::Null);
    let merged = merge(&as_value(base), &as_value(mine), &as_value(theirs));
    serde_json::from_value(merged).unwrap_or_else(|_| mine.clone())
}

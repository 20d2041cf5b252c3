//! Reads the few values a paginator needs from a page's JSON (the item
//! count, the next cursor, the total, `has_more`) without building the page.
//!
//! The page itself is decoded into its model by the usual typed path; this
//! scan skips everything it was not asked for with `IgnoredAny`, so it costs a
//! tokenizer pass and no allocation per skipped value. A `serde_json::Value`
//! of every page would allocate the whole page a second time.

use std::fmt;

use serde::de::{
    self as de, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

/// A JSON path as object keys from the root; empty is the root itself.
pub(crate) type Path = &'static [&'static str];

/// A scalar found at a wanted path. Numbers are kept as their text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Text(String),
    Number(String),
    Bool(bool),
    Null,
    /// An object or array where a scalar was wanted.
    Other,
}

impl Scalar {
    /// The value as a cursor: text or a number; `None` for null, empty text
    /// and anything else (the documented "no next page").
    pub(crate) fn cursor(&self) -> Option<String> {
        match self {
            Scalar::Text(text) if !text.is_empty() => Some(text.clone()),
            Scalar::Number(number) => Some(number.clone()),
            _ => None,
        }
    }

    /// The value as a non-negative integer (totals, page counts).
    pub(crate) fn count(&self) -> Option<u64> {
        match self {
            Scalar::Number(number) => number
                .parse::<u64>()
                .ok()
                .or_else(|| number.parse::<f64>().ok().map(|f| f.max(0.0) as u64)),
            Scalar::Text(text) => text.parse().ok(),
            _ => None,
        }
    }
}

/// What to look for: the items array (counted; with a path inside each
/// item whose value in the last item is kept) and up to three scalars.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Wanted {
    pub(crate) items: Option<Path>,
    pub(crate) in_last_item: Option<Path>,
    pub(crate) next: Option<Path>,
    pub(crate) total: Option<Path>,
    pub(crate) more: Option<Path>,
}

/// What the scan found; `None` where the page has no such value.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Found {
    pub(crate) items: Option<usize>,
    pub(crate) last_item: Option<Scalar>,
    pub(crate) next: Option<Scalar>,
    pub(crate) total: Option<Scalar>,
    pub(crate) more: Option<Scalar>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Items,
    LastItem,
    Next,
    Total,
    More,
}

#[derive(Debug, Clone, Copy)]
struct Want {
    path: Path,
    slot: Slot,
}

/// Scans `body`; `Err` when it is not JSON (the typed decoding reports it).
pub(crate) fn probe(body: &[u8], wanted: &Wanted) -> Result<Found, serde_json::Error> {
    let mut wants = Vec::with_capacity(4);
    let slots = [
        (wanted.items, Slot::Items),
        (wanted.next, Slot::Next),
        (wanted.total, Slot::Total),
        (wanted.more, Slot::More),
    ];
    for (path, slot) in slots {
        if let Some(path) = path {
            wants.push(Want { path, slot });
        }
    }
    let mut found = Found::default();
    let mut de = serde_json::Deserializer::from_slice(body);
    Node {
        wants,
        depth: 0,
        in_last_item: wanted.in_last_item,
        found: &mut found,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(found)
}

/// One JSON value and the wants that pass through it (all `depth` keys deep).
struct Node<'a> {
    wants: Vec<Want>,
    depth: usize,
    in_last_item: Option<Path>,
    found: &'a mut Found,
}

impl Node<'_> {
    fn set(&mut self, value: &Scalar) {
        for want in &self.wants {
            if want.path.len() == self.depth {
                let slot = match want.slot {
                    Slot::Next => &mut self.found.next,
                    Slot::Total => &mut self.found.total,
                    Slot::More => &mut self.found.more,
                    Slot::LastItem => &mut self.found.last_item,
                    // An items path that holds no array: no items.
                    Slot::Items => continue,
                };
                *slot = Some(value.clone());
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<(), E> {
        self.set(&Scalar::Bool(v));
        Ok(())
    }

    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<(), E> {
        self.set(&Scalar::Number(v.to_string()));
        Ok(())
    }

    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<(), E> {
        self.set(&Scalar::Number(v.to_string()));
        Ok(())
    }

    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<(), E> {
        self.set(&Scalar::Number(v.to_string()));
        Ok(())
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<(), E> {
        self.set(&Scalar::Text(v.to_owned()));
        Ok(())
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.set(&Scalar::Null);
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.set(&Scalar::Other);
        while let Some(matched) = map.next_key_seed(Key {
            wants: &self.wants,
            depth: self.depth,
        })? {
            if matched.is_empty() {
                map.next_value::<IgnoredAny>()?;
            } else {
                map.next_value_seed(Node {
                    wants: matched,
                    depth: self.depth + 1,
                    in_last_item: self.in_last_item,
                    found: &mut *self.found,
                })?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let is_items = self
            .wants
            .iter()
            .any(|w| w.slot == Slot::Items && w.path.len() == self.depth);
        self.set(&Scalar::Other);
        if !is_items {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        let mut count = 0;
        loop {
            let more = match self.in_last_item {
                // Each item overwrites the value: the last item's stays.
                Some(path) => seq
                    .next_element_seed(Node {
                        wants: vec![Want {
                            path,
                            slot: Slot::LastItem,
                        }],
                        depth: 0,
                        in_last_item: None,
                        found: &mut *self.found,
                    })?
                    .is_some(),
                None => seq.next_element::<IgnoredAny>()?.is_some(),
            };
            if !more {
                break;
            }
            count += 1;
        }
        self.found.items = Some(count);
        Ok(())
    }
}

/// An object key: the wants that continue below it.
struct Key<'w> {
    wants: &'w [Want],
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Vec<Want>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Want>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = Vec<Want>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Vec<Want>, E> {
        Ok(self
            .wants
            .iter()
            .filter(|w| w.path.get(self.depth) == Some(&key))
            .copied()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(body: &str, wanted: Wanted) -> Found {
        probe(body.as_bytes(), &wanted).unwrap()
    }

    #[test]
    fn counts_items_and_reads_scalars() {
        let found = scan(
            r#"{"start":0,"end":2,"totalCount":7,"services":[{"a":1},{"a":2}],"x":{"y":[1]}}"#,
            Wanted {
                items: Some(&["services"]),
                total: Some(&["totalCount"]),
                ..Wanted::default()
            },
        );
        assert_eq!(found.items, Some(2));
        assert_eq!(found.total.and_then(|t| t.count()), Some(7));
        assert_eq!(found.next, None);
    }

    #[test]
    fn last_item_cursor_and_nested_paths() {
        let found = scan(
            r#"{"data":[{"id":"a"},{"id":"b","n":{}}],"meta":{"next":null,"has_more":true}}"#,
            Wanted {
                items: Some(&["data"]),
                in_last_item: Some(&["id"]),
                next: Some(&["meta", "next"]),
                more: Some(&["meta", "has_more"]),
                ..Wanted::default()
            },
        );
        assert_eq!(found.last_item, Some(Scalar::Text("b".into())));
        assert_eq!(found.next, Some(Scalar::Null));
        assert_eq!(found.more, Some(Scalar::Bool(true)));
        assert_eq!(Scalar::Null.cursor(), None);
        assert_eq!(Scalar::Text(String::new()).cursor(), None);
        assert_eq!(Scalar::Number("12".into()).cursor().as_deref(), Some("12"));
    }

    #[test]
    fn root_array_and_escaped_keys() {
        let found = scan(
            r#"[1,2,3]"#,
            Wanted {
                items: Some(&[]),
                ..Wanted::default()
            },
        );
        assert_eq!(found.items, Some(3));
        let found = scan(
            r#"{"next\u005fcursor":"c1","items":{}}"#,
            Wanted {
                items: Some(&["items"]),
                next: Some(&["next_cursor"]),
                ..Wanted::default()
            },
        );
        assert_eq!(found.next, Some(Scalar::Text("c1".into())));
        assert_eq!(found.items, None, "an object is no items array");
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        for body in ["", "{", "[1,", "{\"a\":1} x", "\u{0}"] {
            assert!(
                probe(body.as_bytes(), &Wanted::default()).is_err(),
                "{body}"
            );
        }
    }
}

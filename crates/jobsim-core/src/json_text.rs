//! JSON text written straight from typed values, every object's keys in sorted order: byte for
//! byte what `serde_json::to_value(x)?.to_string()` gives (serde_json's `Map` is sorted), without
//! building the `Value` tree (issue 10, "text out"; BENCHMARKS.md).
//!
//! Why not `serde_json::to_writer`: the event payloads, the state of a snapshot and the world
//! declare their fields in the order that reads well, not alphabetically, and the stored JSON
//! (logs, snapshots, outcome lines) has always had sorted keys. Objects are written in place;
//! one whose keys arrive out of order (or twice: the last wins, as in a `Map`) is re-laid in
//! sorted order when it ends — one copy of that object, none for objects already in order.
//!
//! Numbers and strings are written as the `Value` would write them: `f32` widened to `f64`, a
//! non-finite float as `null`, integer map keys as strings. [`VariantContent`] writes only the
//! content of an externally tagged enum variant (an envelope's `payload`).

use serde::ser::{self, Impossible, Serialize, Serializer};
use serde_json::Error;

/// `value` as compact JSON text with sorted keys (`null` if it cannot be written, as
/// `to_value(..).unwrap_or(Null)` gives).
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(256);
    match write(value, &mut out) {
        // Everything written is UTF-8 (JSON text of Rust strings).
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| "null".into()),
        Err(_) => "null".into(),
    }
}

/// Appends `value` to `out` as compact JSON text with sorted keys, or `null` if it cannot be
/// written (as [`to_text`]): one line of JSON Lines, one element of an array.
pub fn append<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    let at = out.len();
    if write(value, out).is_err() {
        out.truncate(at);
        out.extend_from_slice(b"null");
    }
}

/// Appends `value` to `out` as compact JSON text with sorted keys. On error `out` holds a
/// partial value: callers truncate or discard it.
pub fn write<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    let mut entries = Vec::new();
    value.serialize(Writer { out, entries: &mut entries })
}

/// One object entry being written: where its key starts and its value ends in the output.
#[derive(Clone, Copy)]
struct Entry {
    key: usize,
    key_end: usize,
    end: usize,
}

/// The serializer: the output and a stack of the open objects' entries (shared by nested
/// objects, so writing allocates nothing per object).
struct Writer<'a> {
    out: &'a mut Vec<u8>,
    entries: &'a mut Vec<Entry>,
}

impl<'a> Writer<'a> {
    fn scalar<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, v)
    }

    fn object(self, variant: Option<&'static str>) -> Object<'a> {
        if let Some(variant) = variant {
            open_variant(self.out, variant);
        }
        self.out.push(b'{');
        let (start, base) = (self.out.len(), self.entries.len());
        Object { out: self.out, entries: self.entries, start, base, sorted: true, variant: variant.is_some() }
    }

    fn array(self, variant: Option<&'static str>) -> Array<'a> {
        if let Some(variant) = variant {
            open_variant(self.out, variant);
        }
        self.out.push(b'[');
        Array { out: self.out, entries: self.entries, first: true, variant: variant.is_some() }
    }
}

/// `{"variant":` — an externally tagged variant, as `Value` writes it.
fn open_variant(out: &mut Vec<u8>, variant: &str) {
    out.push(b'{');
    let _ = serde_json::to_writer(&mut *out, variant);
    out.push(b':');
}

/// Numbers written as the wider type they convert to losslessly.
macro_rules! widen {
    ($($method:ident($ty:ty) => $wide_method:ident($wide:ty)),* $(,)?) => {$(
        fn $method(self, v: $ty) -> Result<(), Error> {
            self.$wide_method(<$wide>::from(v))
        }
    )*};
}

impl<'a> Serializer for Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = Array<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    widen!(
        serialize_i8(i8) => serialize_i64(i64),
        serialize_i16(i16) => serialize_i64(i64),
        serialize_i32(i32) => serialize_i64(i64),
        serialize_u8(u8) => serialize_u64(u64),
        serialize_u16(u16) => serialize_u64(u64),
        serialize_u32(u32) => serialize_u64(u64),
        // `Value` keeps an f32 as the f64 it widens to, and writes that.
        serialize_f32(f32) => serialize_f64(f64)
    );
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        string(self.out, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.scalar(v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        open_variant(self.out, variant);
        value.serialize(Writer { out: &mut *self.out, entries: &mut *self.entries })?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Array<'a>, Error> {
        Ok(self.array(None))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Array<'a>, Error> {
        Ok(self.array(None))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Array<'a>, Error> {
        Ok(self.array(None))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Array<'a>, Error> {
        Ok(self.array(Some(variant)))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, Error> {
        Ok(self.object(None))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Object<'a>, Error> {
        Ok(self.object(None))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Object<'a>, Error> {
        Ok(self.object(Some(variant)))
    }
}

/// An array being written.
struct Array<'a> {
    out: &'a mut Vec<u8>,
    entries: &'a mut Vec<Entry>,
    first: bool,
    variant: bool,
}

impl Array<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        value.serialize(Writer { out: &mut *self.out, entries: &mut *self.entries })
    }

    fn close(self) -> Result<(), Error> {
        self.out.push(b']');
        if self.variant {
            self.out.push(b'}');
        }
        Ok(())
    }
}

/// The four array-like serde traits write their elements alike.
macro_rules! array_like {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Array<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}

array_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// An object being written: its entries go on the shared stack from `base`; `start` is where
/// its first key is written. `sorted` stays true while every key is greater than the previous.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    entries: &'a mut Vec<Entry>,
    start: usize,
    base: usize,
    sorted: bool,
    variant: bool,
}

impl Object<'_> {
    /// Writes `,` (after the first entry) and the key, and opens its entry.
    fn key_with(
        &mut self,
        write_key: impl FnOnce(&mut Vec<u8>, &mut Vec<Entry>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if self.entries.len() > self.base {
            self.out.push(b',');
        }
        let key = self.out.len();
        write_key(self.out, self.entries)?;
        let key_end = self.out.len();
        if let Some(previous) = self.entries.last().filter(|_| self.entries.len() > self.base) {
            let previous = &self.out[previous.key..previous.key_end];
            if key_order(previous, &self.out[key..key_end]) != std::cmp::Ordering::Less {
                self.sorted = false;
            }
        }
        self.out.push(b':');
        self.entries.push(Entry { key, key_end, end: key_end });
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Writer { out: &mut *self.out, entries: &mut *self.entries })?;
        if let Some(entry) = self.entries.last_mut() {
            entry.end = self.out.len();
        }
        Ok(())
    }

    fn close(self) -> Result<(), Error> {
        if !self.sorted {
            relay_sorted(self.out, &mut self.entries[self.base..], self.start);
        }
        self.entries.truncate(self.base);
        self.out.push(b'}');
        if self.variant {
            self.out.push(b'}');
        }
        Ok(())
    }
}

/// Rewrites an object's entries (written from `start`) in key order, the last of equal keys kept.
fn relay_sorted(out: &mut Vec<u8>, entries: &mut [Entry], start: usize) {
    let written = out.split_off(start);
    let key = |e: &Entry| &written[e.key - start..e.key_end - start];
    // Stable: of equal keys the last written stays last, and is the one kept below.
    entries.sort_by(|a, b| key_order(key(a), key(b)));
    let mut first = true;
    for (i, e) in entries.iter().enumerate() {
        if entries.get(i + 1).is_some_and(|next| key(next) == key(e)) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(&written[e.key - start..e.end - start]);
    }
}

/// Writes a map key: a string as it is, an integer or a bool as its text in quotes (as `Value`
/// keys are); anything else is refused.
fn map_key<T: Serialize + ?Sized>(key: &T, out: &mut Vec<u8>, entries: &mut Vec<Entry>) -> Result<(), Error> {
    let at = out.len();
    key.serialize(Writer { out: &mut *out, entries })?;
    quote_key(out, at)
}

/// The check of [`map_key`], apart from its generic part (one copy in the wasm, not one per key type).
#[inline(never)]
fn quote_key(out: &mut Vec<u8>, at: usize) -> Result<(), Error> {
    match out.get(at) {
        Some(b'"') => Ok(()),
        Some(b'-' | b'0'..=b'9' | b't' | b'f') if !out[at..].contains(&b'.') => {
            out.insert(at, b'"');
            out.push(b'"');
            Ok(())
        }
        _ => Err(ser::Error::custom("key must be a string")),
    }
}

/// A string as JSON: copied whole between quotes when no byte needs an escape (every name and
/// value jobsim writes but user text with quotes, backslashes or control characters), else
/// escaped by serde_json, so the bytes cannot differ. Why: at opt-level "z" serde_json's
/// escaping loop is not inlined (a `split_at` per byte) and was the heaviest wasm function of
/// the API mix (BENCHMARKS.md, "Issue 10 — API mix in wasm").
fn string(out: &mut Vec<u8>, s: &str) -> Result<(), Error> {
    if needs_escape(s.as_bytes()) {
        return serde_json::to_writer(out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// Whether a string has a byte JSON escapes (a quote, a backslash, a control character): a plain loop,
/// which the size-optimized build keeps in place (an iterator adapter was a call per string).
fn needs_escape(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 || b == b'"' || b == b'\\' {
            return true;
        }
        i += 1;
    }
    false
}

/// The order of two keys written as JSON strings: the order of the strings themselves (a
/// `Map`'s), which is the order of their text unless one has an escape.
fn key_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    if !a.contains(&b'\\') && !b.contains(&b'\\') {
        return a.cmp(b);
    }
    let unescaped = |t: &[u8]| serde_json::from_slice::<String>(t).unwrap_or_default();
    unescaped(a).cmp(&unescaped(b))
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key_with(|out, entries| map_key(key, out, entries))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.key_with(|out, _| string(out, key))?;
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

/// Serializes only the content of an externally tagged enum variant: `{"Tag": {fields}}` is
/// written as `{fields}`, `{"Tag": value}` as `value`. An envelope's `payload` is its event's
/// variant content, so the event's derived `Serialize` stays the one definition of a payload.
pub struct VariantContent<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for VariantContent<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Content(serializer))
    }
}

/// `Serializer` methods of one scalar argument that refuse it: not an enum variant.
macro_rules! refuse_scalars {
    ($($method:ident($ty:ty)),*) => {$(
        fn $method(self, _: $ty) -> Result<S::Ok, S::Error> {
            Err(not_a_variant())
        }
    )*};
}

/// The serializer behind [`VariantContent`]: a struct variant becomes a struct, a newtype
/// variant its value, a unit variant `{}`; anything that is not an enum variant is refused.
struct Content<S>(S);

fn not_a_variant<E: ser::Error>() -> E {
    E::custom("expected an externally tagged enum variant")
}

/// The fields of a struct variant, written as those of a struct.
struct StructContent<S: Serializer>(S::SerializeStruct);

impl<S: Serializer> ser::SerializeStructVariant for StructContent<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), S::Error> {
        ser::SerializeStruct::serialize_field(&mut self.0, key, value)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        ser::SerializeStruct::end(self.0)
    }
}

impl<S: Serializer> Serializer for Content<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = Impossible<S::Ok, S::Error>;
    type SerializeStructVariant = StructContent<S>;

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        _variant: &'static str,
        len: usize,
    ) -> Result<StructContent<S>, S::Error> {
        self.0.serialize_struct(name, len).map(StructContent)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(self.0)
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        ser::SerializeStruct::end(self.0.serialize_struct(name, 0)?)
    }
    refuse_scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8])
    );
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _value: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, S::Error> {
        Err(not_a_variant())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Unsorted {
        zeta: u32,
        alpha: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        mid_word: Vec<Inner>,
        by_number: BTreeMap<u32, f32>,
        tagged: Tag,
        unit: Kind,
    }

    #[derive(Serialize)]
    struct Inner {
        b: bool,
        a: f64,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase", tag = "kind")]
    enum Tag {
        Exited { code: i32 },
    }

    #[derive(Serialize)]
    enum Kind {
        First,
        Second(u8),
        Third { y: u8, x: (u8, String) },
    }

    /// The writer gives what `to_value(..).to_string()` gives: keys sorted at every level (an
    /// internally tagged enum's tag too), numeric map keys sorted as strings, f32 widened, a
    /// non-finite float `null`, escapes in keys ordered by the string.
    #[test]
    fn text_is_the_sorted_value_text() {
        let mut by_number = BTreeMap::new();
        for (k, v) in [(2, 0.1f32), (10, f32::NAN), (1, 1.5)] {
            by_number.insert(k, v);
        }
        for unit in [Kind::First, Kind::Second(7), Kind::Third { y: 1, x: (2, "\"q\"".into()) }] {
            let v = Unsorted {
                zeta: 1,
                alpha: None,
                skipped: None,
                mid_word: vec![Inner { b: true, a: 0.5 }, Inner { b: false, a: f64::INFINITY }],
                by_number: by_number.clone(),
                tagged: Tag::Exited { code: -3 },
                unit,
            };
            assert_eq!(to_text(&v), serde_json::to_value(&v).unwrap().to_string());
        }
        let keys = json!({"b\"": 1, "b": 2, "a\\": 3, "a\n": 4, "é": 5, "Z": 6});
        let mut map = BTreeMap::new();
        for (k, v) in keys.as_object().unwrap().iter().rev() {
            map.insert(k.clone(), v.clone());
        }
        assert_eq!(to_text(&map), keys.to_string());
        assert_eq!(to_text(&keys), keys.to_string());
    }

    #[test]
    fn variant_content_drops_the_tag() {
        #[derive(Serialize)]
        enum E {
            S { b: u8, a: u8 },
            N(String),
            U,
        }
        assert_eq!(to_text(&VariantContent(&E::S { b: 1, a: 2 })), r#"{"a":2,"b":1}"#);
        assert_eq!(serde_json::to_value(VariantContent(&E::S { b: 1, a: 2 })).unwrap(), json!({"a": 2, "b": 1}));
        assert_eq!(to_text(&VariantContent(&E::N("x".into()))), r#""x""#);
        assert_eq!(to_text(&VariantContent(&E::U)), "{}");
        assert_eq!(to_text(&VariantContent(&3u8)), "null", "not a variant: an error, written as null");
    }

    proptest::proptest! {
        /// Any string, escapes and all, as a value and as a key, is written as serde_json writes
        /// it: the copied-whole path and the escaped path give the same bytes (R8).
        #[test]
        fn any_string_as_serde_json(s in proptest::prelude::any::<String>(), key in "[ -~\\n\\t\"\\\\]{0,12}") {
            let map = BTreeMap::from([(key, s.clone())]);
            proptest::prop_assert_eq!(to_text(&s), serde_json::to_string(&s).unwrap());
            proptest::prop_assert_eq!(to_text(&map), serde_json::to_string(&map).unwrap());
        }
    }
}

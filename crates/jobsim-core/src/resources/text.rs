//! The JSON text writer of every typed answer ([`super::write_json`]): byte for byte what
//! `serde_json::to_writer` writes (compact, fields in declaration order), with a cheaper path
//! for strings.
//!
//! Why it exists: in the size-optimized wasm (opt-level "z") serde_json's string escaping is not
//! inlined — it calls `split_at` and `split_first` per byte — and was the heaviest wasm function
//! of the API mix (BENCHMARKS.md, "Issue 10 — API mix in wasm"). Here a string that needs no
//! escape (every string jobsim writes but user text with quotes, backslashes or control
//! characters) is checked by one plain loop and copied whole; any other string, and every
//! number, goes through serde_json itself on the same output, so the bytes cannot differ.
//! Objects and arrays are the three punctuation bytes serde_json's compact formatter writes.

use serde::ser::{self, Serialize};
use serde_json::Error;
use std::io;

/// Where the text goes: an answer's buffer (the hot path, no `dyn` call per token) or any
/// writer (e.g. `event.rs` counting the JSON size of a payload).
pub(super) enum Sink<'w> {
    Buffer(&'w mut Vec<u8>),
    Writer(&'w mut dyn io::Write),
}

impl Sink<'_> {
    /// The hot path: matched here, not through `io::Write` (one call fewer per token, which
    /// measured 6 % of the API mix's wasm instructions).
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        match self {
            Sink::Buffer(out) => {
                out.extend_from_slice(bytes);
                Ok(())
            }
            Sink::Writer(out) => out.write_all(bytes).map_err(Error::io),
        }
    }

    /// A string as JSON: copied whole between quotes when no byte needs an escape, else
    /// escaped by serde_json.
    fn string(&mut self, s: &str) -> Result<(), Error> {
        if !needs_escape(s.as_bytes()) {
            self.put(b"\"")?;
            self.put(s.as_bytes())?;
            self.put(b"\"")
        } else {
            ser::Serializer::serialize_str(&mut self.json(), s)
        }
    }

    /// serde_json's own serializer on this output, for numbers and escaped strings.
    fn json(&mut self) -> serde_json::Serializer<&mut Self> {
        serde_json::Serializer::new(self)
    }
}

/// Whether a string has a byte JSON escapes (`"`, `\\`, a control character): a plain loop,
/// which the size-optimized build keeps in place (an iterator adapter here was a call per string
/// that did not inline).
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

impl io::Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Buffer(out) => {
                out.extend_from_slice(buf);
                Ok(())
            }
            Sink::Writer(out) => out.write_all(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes `value` as compact JSON text to `sink`.
pub(super) fn write<T: Serialize + ?Sized>(value: &T, sink: &mut Sink<'_>) -> Result<(), Error> {
    value.serialize(Writer(sink))
}

/// `i8`–`i32` and `u8`–`u32` as the 64-bit integer they widen to (serde_json writes them alike).
macro_rules! widen {
    () => {
        widen!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32 => serialize_i64: i64);
        widen!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32 => serialize_u64: u64);
    };
    ($($method:ident: $ty:ty),* => $wide:ident: $to:ty) => {$(
        fn $method(self, v: $ty) -> Result<(), Error> {
            self.$wide(<$to>::from(v))
        }
    )*};
}

/// Numbers written by serde_json itself (integers, and floats: `ryu`, non-finite as `null`).
macro_rules! numbers {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), Error> {
            ser::Serializer::$method(&mut self.0.json(), v)
        }
    )*};
}

/// Integer map keys: serde_json's digits between quotes.
macro_rules! quoted_numbers {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), Error> {
            self.quoted(|s| ser::Serializer::$method(&mut s.json(), v))
        }
    )*};
}

/// The serializer: a handle on the sink.
struct Writer<'a, 'w>(&'a mut Sink<'w>);

/// An object or array being written: whether the next entry needs a comma first, and what
/// closes it (`}` or `]`, then `}` after a variant's value).
struct Compound<'a, 'w> {
    sink: &'a mut Sink<'w>,
    first: bool,
    close: &'static [u8],
}

impl<'a, 'w> Compound<'a, 'w> {
    fn open(sink: &'a mut Sink<'w>, open: &[u8], close: &'static [u8]) -> Result<Self, Error> {
        sink.put(open)?;
        Ok(Compound { sink, first: true, close })
    }

    /// `{"variant":` and then the variant's array or object.
    fn variant(sink: &'a mut Sink<'w>, variant: &str, open: &[u8], close: &'static [u8]) -> Result<Self, Error> {
        sink.put(b"{")?;
        sink.string(variant)?;
        Compound::open(sink, open, close)
    }

    /// The comma before every entry but the first.
    fn next(&mut self) -> Result<(), Error> {
        if self.first {
            self.first = false;
            Ok(())
        } else {
            self.sink.put(b",")
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.next()?;
        value.serialize(Writer(self.sink))
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.next()?;
        self.sink.string(key)?;
        self.sink.put(b":")?;
        value.serialize(Writer(self.sink))
    }

    fn close(self) -> Result<(), Error> {
        self.sink.put(self.close)
    }
}

impl<'a, 'w> ser::Serializer for Writer<'a, 'w> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'w>;
    type SerializeTuple = Compound<'a, 'w>;
    type SerializeTupleStruct = Compound<'a, 'w>;
    type SerializeTupleVariant = Compound<'a, 'w>;
    type SerializeMap = Compound<'a, 'w>;
    type SerializeStruct = Compound<'a, 'w>;
    type SerializeStructVariant = Compound<'a, 'w>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0.put(if v { b"true" } else { b"false" })
    }
    widen!();
    numbers!(serialize_i64: i64, serialize_i128: i128, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32, serialize_f64: f64);
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.0.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.0.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        ser::Serializer::serialize_bytes(&mut self.0.json(), v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.0.put(b"null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.0.put(b"null")
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.0.put(b"null")
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.0.string(variant)
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
        let mut object = Compound::open(self.0, b"{", b"}")?;
        object.field(variant, value)?;
        object.close()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'w>, Error> {
        Compound::open(self.0, b"[", b"]")
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'w>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, 'w>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'w>, Error> {
        Compound::variant(self.0, variant, b":[", b"]}")
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'w>, Error> {
        Compound::open(self.0, b"{", b"}")
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a, 'w>, Error> {
        Compound::open(self.0, b"{", b"}")
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'w>, Error> {
        Compound::variant(self.0, variant, b":{", b"}}")
    }
}

/// The element-wise parts of a compound (arrays, and the fields of a tuple), which differ only
/// in their trait and method names.
macro_rules! elements {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Compound<'_, '_> {
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
elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The named fields of a struct or of a struct variant.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.next()?;
        key.serialize(MapKey(self.sink))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.sink.put(b":")?;
        value.serialize(Writer(self.sink))
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

/// A map key, as serde_json writes keys: strings as they are, integers and booleans quoted
/// (e.g. a `BTreeMap<u32, _>`), anything else refused.
struct MapKey<'a, 'w>(&'a mut Sink<'w>);

impl MapKey<'_, '_> {
    fn quoted(self, write: impl FnOnce(&mut Sink<'_>) -> Result<(), Error>) -> Result<(), Error> {
        self.0.put(b"\"")?;
        write(self.0)?;
        self.0.put(b"\"")
    }
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

/// The map-key methods that refuse their value.
macro_rules! refuse {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ok:ty,)*) => {$(
        fn $method(self, $($arg: $ty),*) -> Result<$ok, Error> {
            Err(key_must_be_a_string())
        }
    )*};
}

impl ser::Serializer for MapKey<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.0.string(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.0.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.0.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0.put(if v { b"\"true\"" } else { b"\"false\"" })
    }
    widen!();
    quoted_numbers!(serialize_i64: i64, serialize_i128: i128, serialize_u64: u64, serialize_u128: u128);
    refuse! {
        serialize_f32(_v: f32) -> (),
        serialize_f64(_v: f64) -> (),
        serialize_bytes(_v: &[u8]) -> (),
        serialize_none() -> (),
        serialize_unit() -> (),
        serialize_unit_struct(_name: &'static str) -> (),
        serialize_seq(_len: Option<usize>) -> Self::SerializeSeq,
        serialize_tuple(_len: usize) -> Self::SerializeTuple,
        serialize_tuple_struct(_name: &'static str, _len: usize) -> Self::SerializeTupleStruct,
        serialize_tuple_variant(_name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Self::SerializeTupleVariant,
        serialize_map(_len: Option<usize>) -> Self::SerializeMap,
        serialize_struct(_name: &'static str, _len: usize) -> Self::SerializeStruct,
        serialize_struct_variant(_name: &'static str, _index: u32, _variant: &'static str, _len: usize) -> Self::SerializeStructVariant,
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn ours<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        write(value, &mut Sink::Buffer(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[derive(serde::Serialize)]
    enum Shape {
        Unit,
        Newtype(u32),
        Tuple(i8, String),
        Struct { a: Option<bool>, b: Vec<u8> },
    }

    #[derive(serde::Serialize)]
    struct Wrapper(String);

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Record {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        count: i64,
        big: u128,
        ratio: f64,
        nan: f64,
        tiny: f32,
        flag: bool,
        letter: char,
        by_index: BTreeMap<u32, Vec<Shape>>,
        by_name: BTreeMap<String, Wrapper>,
        empty: Vec<String>,
        empty_map: BTreeMap<String, String>,
        unit: (),
        pair: (u8, &'static str),
    }

    /// Answers written by `write_json` are the bytes serde_json writes (R8 zero values, key
    /// order and escapes included): every serde data model case, numbers through serde_json.
    #[test]
    fn writes_what_serde_json_writes() {
        let record = Record {
            name: "etl \"nightly\"\n\\ é 🦀 \u{1} \u{7f}".into(),
            skipped: None,
            count: -42,
            big: u128::MAX,
            ratio: 0.1,
            nan: f64::NAN,
            tiny: 1e-7,
            flag: true,
            letter: '"',
            by_index: BTreeMap::from([
                (3, vec![Shape::Unit, Shape::Newtype(7)]),
                (10, vec![Shape::Tuple(-1, "x".into()), Shape::Struct { a: Some(false), b: vec![1, 2] }]),
            ]),
            by_name: BTreeMap::from([
                ("a\tb".into(), Wrapper("v".into())),
                ("run.googleapis.com/job".into(), Wrapper("".into())),
            ]),
            empty: vec![],
            empty_map: BTreeMap::new(),
            unit: (),
            pair: (255, "p"),
        };
        assert_eq!(ours(&record), serde_json::to_string(&record).unwrap());
        let value = json!({"a": [1, -2, 3.5, 1e300, null, true, "x\u{0}y", {"z": {}}, []], "b": u64::MAX});
        assert_eq!(ours(&value), value.to_string());
    }

    /// A map key that is no string, integer or boolean is refused, as serde_json refuses it.
    #[test]
    fn refuses_keys_serde_json_refuses() {
        let map = BTreeMap::from([(vec![1u8], 1)]);
        assert!(write(&map, &mut Sink::Buffer(&mut Vec::new())).is_err());
        assert!(serde_json::to_string(&map).is_err());
    }

    proptest! {
        /// Any string, escapes and all, is written as serde_json writes it.
        #[test]
        fn any_string_as_serde_json(s in any::<String>(), key in "[ -~\\n\\t\"\\\\]{0,12}") {
            let map = BTreeMap::from([(key, s.clone())]);
            prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
            prop_assert_eq!(ours(&map), serde_json::to_string(&map).unwrap());
        }
    }
}

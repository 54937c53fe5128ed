//! Typed values from a `serde_json::Value`, as `serde_json::from_value` reads them, except that
//! a struct is read from a JSON object only.
//!
//! Why not `serde_json::from_value`: its `Value` deserializer also reads a struct from a JSON
//! array (by position), so every derived struct's `visit_seq` and serde_json's `visit_array`
//! are compiled for every type the core decodes — 47.9 KB of the shipped wasm (13.6 KB gzip),
//! measured, for a form jobsim never writes and the schema walk (`decode.rs`) drops from bodies
//! (BENCHMARKS.md, "Issue 10 — wasm size, third pass"). Everything else is read as serde_json
//! reads it, with its error messages (the errors of scalars come from the visitors themselves,
//! which see the same values).

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, Unexpected, Visitor};
use serde_json::{Error, Map, Value};

/// Reads `T` from `value` (see the module doc: structs only from objects).
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(Decoder(value))
}

/// A `Value` as a deserializer.
pub struct Decoder(pub Value);

/// How a value shows in an "invalid type" error, as serde_json shows it.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut seq = Seq(items.into_iter());
    let out = visitor.visit_seq(&mut seq)?;
    if seq.0.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

fn visit_object<'de, V: Visitor<'de>>(map: Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
    let len = map.len();
    let mut access = Entries { iter: map.into_iter(), value: None };
    let out = visitor.visit_map(&mut access)?;
    if access.iter.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

/// `fn deserialize_x(self, visitor)` → [`scalar`], for each name given.
macro_rules! scalars {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            scalar(self.0, visitor)
        })*
    };
}

impl<'de> Deserializer<'de> for Decoder {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => n.deserialize_any(visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(map) => visit_object(map, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Decoder(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Objects only: the one difference from serde_json (module doc).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visit_object(map, visitor),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(variant) => visitor.visit_enum(Variant { name: variant, value: None }),
            Value::Object(map) if map.len() == 1 => match map.into_iter().next() {
                Some((variant, value)) => visitor.visit_enum(Variant { name: variant, value: Some(value) }),
                None => Err(de::Error::invalid_value(Unexpected::Map, &"map with a single key")),
            },
            Value::Object(_) => Err(de::Error::invalid_value(Unexpected::Map, &"map with a single key")),
            other => Err(de::Error::invalid_type(unexpected(&other), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        scalar(self.0, visitor)
    }

    scalars! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_unit deserialize_identifier
    }

    serde::forward_to_deserialize_any! { seq tuple tuple_struct map }
}

/// A value for a visitor that wants a scalar: an array or object is refused without being
/// visited (as serde_json does), so no sequence or map code is compiled for scalar visitors.
fn scalar<'de, V: Visitor<'de>>(value: Value, visitor: V) -> Result<V::Value, Error> {
    match value {
        Value::Null => visitor.visit_unit(),
        Value::Bool(b) => visitor.visit_bool(b),
        Value::Number(n) => n.deserialize_any(visitor),
        Value::String(s) => visitor.visit_string(s),
        other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
    }
}

impl<'de> IntoDeserializer<'de, Error> for Decoder {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

struct Seq(std::vec::IntoIter<Value>);

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(Decoder(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries {
    iter: <Map<String, Value> as IntoIterator>::IntoIter,
    value: Option<Value>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let key: de::value::StringDeserializer<Error> = key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Decoder(value)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An enum as serde_json reads it: `"Variant"` or `{"Variant": value}`.
struct Variant {
    name: String,
    value: Option<Value>,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Payload;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Payload), Error> {
        let name: de::value::StringDeserializer<Error> = self.name.into_deserializer();
        seed.deserialize(name).map(|v| (v, Payload(self.value)))
    }
}

/// The value of an enum variant (`None` for a unit variant written as a string).
pub struct Payload(pub Option<Value>);

impl<'de> de::VariantAccess<'de> for Payload {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"unit")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(value) => seed.deserialize(Decoder(value)),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(Value::Array(items)) if items.is_empty() => visitor.visit_unit(),
            Some(Value::Array(items)) => visit_array(items, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"tuple variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(Value::Object(map)) => visit_object(map, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"struct variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::{Execution, Job, RunJobRequest};
    use crate::settings::World;
    use serde_json::json;

    /// Both decoders on one value: the same result, or the same error message.
    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(value: &Value) -> Result<T, String> {
        let ours = from_value::<T>(value.clone()).map_err(|e| e.to_string());
        let theirs = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string());
        assert_eq!(ours, theirs, "{value}");
        ours
    }

    /// Issue 10: objects decode exactly as serde_json decodes them, values and errors alike.
    #[test]
    fn issue10_objects_decode_as_serde_json_decodes_them() {
        for text in [
            include_str!("../tests/fixtures/real/kcc-v1-job-get-ready-true.json"),
            include_str!("../tests/fixtures/real/kcc-v1-job-create-request.json"),
            include_str!("../tests/fixtures/real/kcc-v1-job-replace-response-gen2.json"),
        ] {
            let job: Value = serde_json::from_str(text).unwrap();
            assert!(same::<Job>(&job).is_ok());
        }
        let audit: Value = serde_json::from_str(include_str!(
            "../tests/fixtures/real/planqtn-audit-log-execution-failed-nonzero-exit.json"
        ))
        .unwrap();
        assert!(same::<Execution>(&audit["protoPayload"]["response"]).is_ok());
        assert!(same::<World>(&serde_json::to_value(World::default()).unwrap()).is_ok());
        let run = json!({"overrides": {"taskCount": 3, "timeoutSeconds": 60, "containerOverrides": [{"args": ["a"], "clearArgs": true}]}});
        assert!(same::<RunJobRequest>(&run).is_ok());
        for bad in [
            json!({"spec": {"template": {"spec": {"taskCount": "x"}}}}),
            json!({"spec": {"template": {"spec": {"taskCount": -1.5}}}}),
            json!({"metadata": {"labels": 5}}),
            json!({"metadata": {"labels": {"a": 1}}}),
            json!({"spec": {"template": {"spec": {"template": {"spec": {"containers": {}}}}}}}),
            json!({"spec": {"template": {"spec": {"template": {"spec": {"timeoutSeconds": true}}}}}}),
            json!({"status": {"conditions": [{"type": []}]}}),
            json!({"kind": null, "metadata": {"generation": 4294967296u64}}),
            json!("a job"),
            json!(null),
        ] {
            assert!(same::<Job>(&bad).is_err(), "{bad}");
        }
        for world in
            [json!({"seed": "1"}), json!({"seed": 1, "start": "soon"}), json!({"seed": 1, "start": 0, "profile": 7})]
        {
            assert!(same::<World>(&world).is_err(), "{world}");
        }
    }

    /// The one difference (module doc): a struct given as a JSON array is refused, not read by
    /// position; arrays still decode into lists.
    #[test]
    fn issue10_a_struct_is_read_from_an_object_only() {
        let e = from_value::<RunJobRequest>(json!([{}])).unwrap_err();
        assert_eq!(e.to_string(), "invalid type: sequence, expected struct RunJobRequest");
        let job = from_value::<Job>(json!({"metadata": {"finalizers": ["a", "b"]}})).unwrap();
        assert_eq!(job.metadata.finalizers, ["a", "b"]);
    }
}

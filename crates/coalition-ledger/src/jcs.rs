//! RFC 8785 bytes written straight from a `Serialize` value, without building a JSON tree.
//!
//! It writes what `serde_json::to_value` followed by the RFC 8785 canonicaliser writes, for the
//! values the record holds (integers within ±(2^53 − 1), strings, objects, arrays), and refuses
//! everything else — floats, larger integers, maps with keys that are not strings, repeated
//! keys — so that the caller falls back to that slower, reference path, which then decides
//! (and names the problem). Each object's members are written in the order they come, then
//! put in the order of their keys' UTF-16 code units (as RFC 8785 orders them) through a
//! scratch buffer kept per thread, so an object costs no allocation of its own.

use std::cell::RefCell;
use std::fmt;

use serde::ser::{self, Serialize};

use crate::canonical::MAX_SAFE_INTEGER;

/// Why the fast writer declined; the reference path decides instead.
#[derive(Debug)]
pub(crate) struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the reference canonicaliser")
    }
}

impl std::error::Error for Declined {}

impl ser::Error for Declined {
    fn custom<T: fmt::Display>(_: T) -> Declined {
        Declined
    }
}

/// The canonical bytes of `value`, or `Declined` where the reference path must decide.
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Declined> {
    let mut out = Vec::with_capacity(512);
    write(value, &mut out)?;
    Ok(out)
}

/// Writes `value` at the end of `out`; on failure, forgets the members of the objects it left
/// open.
fn write<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), Declined> {
    let open = MEMBERS.with(|members| members.borrow().len());
    let written = value.serialize(Writer { out });
    if written.is_err() {
        MEMBERS.with(|members| members.borrow_mut().truncate(open));
    }
    written
}

/// Whether `value`'s canonical bytes are exactly `bytes`, written into a buffer kept per thread.
pub(crate) fn writes_exactly<T: Serialize + ?Sized>(value: &T, bytes: &[u8]) -> bool {
    thread_local! {
        static WRITTEN: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    WRITTEN.with(|written| {
        let Ok(mut out) = written.try_borrow_mut() else {
            return to_vec(value).is_ok_and(|w| w == bytes);
        };
        out.clear();
        write(value, &mut out).is_ok() && out.as_slice() == bytes
    })
}

/// A member's key: a field name, or a map key.
enum Key {
    Field(&'static str),
    Map(String),
}

impl Key {
    fn as_str(&self) -> &str {
        match self {
            Key::Field(name) => name,
            Key::Map(name) => name,
        }
    }
}

/// Where a member's `"key":value` was written, and its key.
struct Member {
    key: Key,
    start: usize,
    end: usize,
}

thread_local! {
    /// The members of every object being written on this thread, innermost last.
    static MEMBERS: RefCell<Vec<Member>> = const { RefCell::new(Vec::new()) };
    /// Where an object's members are put in order before being copied back.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Writes one value at the end of `out`.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

fn write_integer(out: &mut Vec<u8>, magnitude: u64, negative: bool) -> Result<(), Declined> {
    if magnitude > MAX_SAFE_INTEGER {
        return Err(Declined);
    }
    if negative && magnitude != 0 {
        out.push(b'-');
    }
    let mut digits = [0u8; 20];
    let mut n = magnitude;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
    Ok(())
}

/// A JSON string as RFC 8785 writes it: `"` and `\` escaped, the five control characters that
/// have short escapes written with them, the other controls as `\u00xx`, everything else as is.
fn write_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0a => b"\\n",
            0x0c => b"\\f",
            0x0d => b"\\r",
            0x00..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xf)]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// `{"name":…}`, as serde_json writes an enum variant that carries data.
fn open_variant(out: &mut Vec<u8>, name: &str) {
    out.push(b'{');
    write_string(out, name);
    out.push(b':');
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Declined;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = Array<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Declined> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Declined> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Declined> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Declined> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Declined> {
        write_integer(self.out, v.unsigned_abs(), v < 0)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Declined> {
        let magnitude = u64::try_from(v.unsigned_abs()).map_err(|_| Declined)?;
        write_integer(self.out, magnitude, v < 0)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Declined> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Declined> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Declined> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Declined> {
        write_integer(self.out, v, false)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Declined> {
        write_integer(self.out, u64::try_from(v).map_err(|_| Declined)?, false)
    }
    fn serialize_f32(self, _: f32) -> Result<(), Declined> {
        Err(Declined)
    }
    fn serialize_f64(self, _: f64) -> Result<(), Declined> {
        Err(Declined)
    }
    fn serialize_char(self, v: char) -> Result<(), Declined> {
        write_string(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Declined> {
        write_string(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Declined> {
        Err(Declined)
    }
    fn serialize_none(self) -> Result<(), Declined> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Declined> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Declined> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Declined> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Declined> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        open_variant(self.out, variant);
        value.serialize(Writer { out: self.out })?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'a>, Declined> {
        self.out.push(b'[');
        Ok(Array {
            out: self.out,
            first: true,
            variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Array<'a>, Declined> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Array<'a>, Declined> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Array<'a>, Declined> {
        open_variant(self.out, variant);
        self.out.push(b'[');
        Ok(Array {
            out: self.out,
            first: true,
            variant: true,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, Declined> {
        Ok(Object::new(self.out, false))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'a>, Declined> {
        Ok(Object::new(self.out, false))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'a>, Declined> {
        open_variant(self.out, variant);
        Ok(Object::new(self.out, true))
    }
}

/// An array being written.
struct Array<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    /// Inside `{"variant":…}`, which closes too.
    variant: bool,
}

impl Array<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        value.serialize(Writer { out: self.out })
    }

    fn close(self) -> Result<(), Declined> {
        self.out.push(b']');
        if self.variant {
            self.out.push(b'}');
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Array<'_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTuple for Array<'_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Array<'_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Array<'_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

/// An object being written: members go straight to the output, then are put in order.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    /// Where the first member starts (after the `{`).
    start: usize,
    /// Where this object's members begin in `MEMBERS`.
    base: usize,
    /// A map key waiting for its value.
    key: Option<String>,
    /// Inside `{"variant":…}`, which closes too.
    variant: bool,
}

impl<'a> Object<'a> {
    fn new(out: &'a mut Vec<u8>, variant: bool) -> Object<'a> {
        out.push(b'{');
        let start = out.len();
        let base = MEMBERS.with(|members| members.borrow().len());
        Object {
            out,
            start,
            base,
            key: None,
            variant,
        }
    }

    fn member<T: Serialize + ?Sized>(&mut self, key: Key, value: &T) -> Result<(), Declined> {
        let start = self.out.len();
        write_string(self.out, key.as_str());
        self.out.push(b':');
        value.serialize(Writer { out: self.out })?;
        let end = self.out.len();
        MEMBERS.with(|members| members.borrow_mut().push(Member { key, start, end }));
        Ok(())
    }

    fn close(self) -> Result<(), Declined> {
        let ordered = MEMBERS.with(|members| {
            let mut members = members.borrow_mut();
            let mine = &mut members[self.base..];
            // RFC 8785 §3.2.3: members sorted by their names' UTF-16 code units.
            let sorted = mine
                .windows(2)
                .all(|pair| utf16_less(pair[0].key.as_str(), pair[1].key.as_str()));
            if !sorted {
                mine.sort_by(|a, b| {
                    a.key
                        .as_str()
                        .encode_utf16()
                        .cmp(b.key.as_str().encode_utf16())
                });
                if mine
                    .windows(2)
                    .any(|pair| pair[0].key.as_str() == pair[1].key.as_str())
                {
                    // A repeated key: serde_json's tree would keep one of them; let it.
                    members.truncate(self.base);
                    return Err(Declined);
                }
            }
            SCRATCH.with(|scratch| {
                let mut scratch = scratch.borrow_mut();
                scratch.clear();
                for (n, member) in members[self.base..].iter().enumerate() {
                    if n > 0 {
                        scratch.push(b',');
                    }
                    scratch.extend_from_slice(&self.out[member.start..member.end]);
                }
                self.out.truncate(self.start);
                self.out.extend_from_slice(&scratch);
            });
            members.truncate(self.base);
            Ok(())
        });
        ordered?;
        self.out.push(b'}');
        if self.variant {
            self.out.push(b'}');
        }
        Ok(())
    }
}

/// `a` before `b` in UTF-16 code-unit order (and not equal); byte order where both are ASCII.
fn utf16_less(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a < b
    } else {
        a.encode_utf16().lt(b.encode_utf16())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Declined> {
        self.key = Some(key.serialize(KeyWriter)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        let key = self.key.take().ok_or(Declined)?;
        self.member(Key::Map(key), value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.member(Key::Field(key), value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.member(Key::Field(key), value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

/// A map key: only strings (and what serialises as one) are taken.
struct KeyWriter;

impl ser::Serializer for KeyWriter {
    type Ok = String;
    type Error = Declined;
    type SerializeSeq = ser::Impossible<String, Declined>;
    type SerializeTuple = ser::Impossible<String, Declined>;
    type SerializeTupleStruct = ser::Impossible<String, Declined>;
    type SerializeTupleVariant = ser::Impossible<String, Declined>;
    type SerializeMap = ser::Impossible<String, Declined>;
    type SerializeStruct = ser::Impossible<String, Declined>;
    type SerializeStructVariant = ser::Impossible<String, Declined>;

    fn serialize_str(self, v: &str) -> Result<String, Declined> {
        Ok(v.to_owned())
    }
    fn serialize_char(self, v: char) -> Result<String, Declined> {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Declined> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Declined> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_i8(self, _: i8) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_i16(self, _: i16) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_i32(self, _: i32) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_i64(self, _: i64) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_u8(self, _: u8) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_u16(self, _: u16) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_u32(self, _: u32) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_u64(self, _: u64) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_f32(self, _: f32) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_f64(self, _: f64) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_none(self) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_unit(self) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Declined> {
        Err(Declined)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Declined> {
        Err(Declined)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Declined> {
        Err(Declined)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Declined> {
        Err(Declined)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Declined> {
        Err(Declined)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Declined> {
        Err(Declined)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Declined> {
        Err(Declined)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Declined> {
        Err(Declined)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    use super::*;

    /// Integers the record may hold, strings of any characters (astral ones, controls, quotes),
    /// objects with keys of any characters: the reference canonicaliser must agree byte for byte.
    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-(MAX_SAFE_INTEGER as i64)..=MAX_SAFE_INTEGER as i64).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
            "[\"\\\\\u{0}-\u{1f}\u{7f}\u{2028}é😀]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop_oneof![any::<String>(), "[a-zA-Z_\u{e000}-\u{e0ff}😀]{0,4}"],
                        inner
                    ),
                    0..6
                )
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn writes_what_the_reference_canonicaliser_writes(value in arb_value()) {
            let reference = serde_json_canonicalizer::to_vec(&value).unwrap();
            prop_assert_eq!(to_vec(&value).unwrap(), reference);
        }
    }

    #[test]
    fn keys_are_ordered_by_utf_16_code_units_not_by_bytes() {
        // U+E000 sorts before U+1F600 in UTF-8 but after it in UTF-16 (a surrogate, 0xD83D).
        let value: Value = serde_json::json!({"\u{e000}": 1, "😀": 2, "a": 3});
        let written = String::from_utf8(to_vec(&value).unwrap()).unwrap();
        assert_eq!(written, "{\"a\":3,\"😀\":2,\"\u{e000}\":1}");
        assert_eq!(
            written.as_bytes(),
            serde_json_canonicalizer::to_vec(&value).unwrap()
        );
    }

    #[test]
    fn what_the_record_may_not_hold_is_left_to_the_reference_path() {
        for value in [
            serde_json::json!(1.5),
            serde_json::json!({"n": MAX_SAFE_INTEGER + 1}),
            serde_json::json!([-(MAX_SAFE_INTEGER as i64) - 1]),
        ] {
            assert!(to_vec(&value).is_err(), "{value}");
        }
        assert_eq!(to_vec(&serde_json::json!(-0)).unwrap(), b"0");
    }
}

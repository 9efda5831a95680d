//! Internally tagged enums (`{"action": "note", "text": …}`) whose deserialization reads the
//! tag first and hands the rest of the map straight to the variant.
//!
//! serde's derive for `#[serde(tag = "…")]` first buffers the whole object into its generic
//! `Content` tree and then deserializes the variant from that tree: correct for any key order,
//! but for an enum with many struct variants it is the largest code in the staff app's wasm
//! (the derive instantiates every variant's visitor for the buffer, on top of the JSON
//! reader). Everything we deserialize was serialized by the same derive, which writes the tag
//! first, so reading it first loses nothing; an object whose first key is not the tag is
//! refused with a clear message.
//!
//! [`tagged_enum!`] declares such an enum once: the enum itself (with `Serialize` and the tag,
//! as before) and the same variants as an externally tagged twin that serde derives
//! `Deserialize` for. [`TagFirst`] presents the object as that twin's `(tag, fields)` pair.
//!
//! A struct with such an enum `#[serde(flatten)]`ed into it (an error body: its own keys and
//! the problem's) has the same cost twice over. [`Flattened`] reads it in one pass instead:
//! the struct's own keys ([`OwnKeys`]), wherever they are, go to the struct; the first other
//! key must be the tag, and the rest are the variant's. [`flattened_struct!`] does the same for
//! a struct flattened into a struct (a queue row inside the request view).
//!
//! The tag must come before the variant's fields in the text. `serde_json::Value` keeps its keys
//! sorted, so deserialize these types from JSON text (as every client and store does), not from a
//! `Value`.

use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, VariantAccess, Visitor};

/// Declares an internally tagged enum with struct and unit variants, `Serialize`d by the
/// derive and deserialized tag-first (see the module). Variant names are `snake_case` on the
/// wire. `twin` names the externally tagged twin (hidden from the docs).
#[macro_export]
macro_rules! tagged_enum {
    (
        tag = $tag:literal;
        twin = $twin:ident;
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({
                    $( $(#[$fmeta:meta])* $field:ident : $fty:ty ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(::serde::Serialize)]
        #[serde(tag = $tag, rename_all = "snake_case")]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant $({ $( $(#[$fmeta])* $field: $fty ),* })?
            ),*
        }

        /// The same variants, externally tagged (see [`$crate::tagged`]).
        #[doc(hidden)]
        #[derive(::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        $vis enum $twin {
            $( $(#[$vmeta])* $variant $({ $( $(#[$fmeta])* $field: $fty ),* })? ),*
        }

        impl $crate::tagged::Tagged for $name {
            const TAG: &'static str = $tag;
            type Twin = $twin;
            fn from_twin(twin: $twin) -> Self {
                match twin {
                    $( $twin::$variant $({ $($field),* })? => $name::$variant $({ $($field),* })? ),*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::tagged::TagFirst::<$twin>::deserialize(d, $tag)
                    .map(<Self as $crate::tagged::Tagged>::from_twin)
            }
        }
    };
}

/// An enum declared with [`tagged_enum!`].
pub trait Tagged: Sized {
    /// The key that names the variant.
    const TAG: &'static str;
    /// The externally tagged twin.
    type Twin: for<'de> de::Deserialize<'de>;
    /// The enum from its twin.
    fn from_twin(twin: Self::Twin) -> Self;
}

/// The own keys of a struct that has a [`Tagged`] enum flattened into it, collected while the
/// enum is read.
pub trait OwnKeys<'de>: Default {
    /// Whether `key` is the struct's own; if so, reads its value from `map`.
    fn take<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
}

/// Reads a struct with its own keys `O` and a [`Tagged`] enum `T` flattened into it.
pub struct Flattened<O, T>(PhantomData<(O, T)>);

impl<'de, O: OwnKeys<'de>, T: Tagged> Flattened<O, T> {
    /// The own keys and the enum, from one object.
    pub fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<(O, T), D::Error> {
        d.deserialize_map(FlattenedVisitor::<O, T>(PhantomData))
    }
}

struct FlattenedVisitor<O, T>(PhantomData<(O, T)>);

impl<'de, O: OwnKeys<'de>, T: Tagged> Visitor<'de> for FlattenedVisitor<O, T> {
    type Value = (O, T);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an object with \"{}\"", T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(O, T), A::Error> {
        let mut own = O::default();
        let twin = <T::Twin as de::Deserialize>::deserialize(EnumFromMap {
            map: OwnKeysAside { map, own: &mut own },
            tag: T::TAG,
        })?;
        Ok((own, T::from_twin(twin)))
    }
}

/// A map whose keys that belong to the outer struct are read into it and skipped.
struct OwnKeysAside<'o, A, O> {
    map: A,
    own: &'o mut O,
}

impl<'de, A: MapAccess<'de>, O: OwnKeys<'de>> MapAccess<'de> for OwnKeysAside<'_, A, O> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<std::borrow::Cow<'de, str>>()? {
            if !self.own.take(&key, &mut self.map)? {
                return seed
                    .deserialize(de::value::StrDeserializer::<A::Error>::new(&key))
                    .map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// Declares a struct whose first field is flattened into it (`row: QueueRow;`, with a `;`),
/// `Serialize`d by the derive and deserialized in one pass (see the module): the other
/// fields are its own keys, collected in `keys` while the flattened struct reads the rest.
/// A missing own field is `None` if it is an `Option`, an error otherwise, as with the derive.
/// Field attributes apply to serializing only: give own fields no `#[serde(…)]` attributes.
#[macro_export]
macro_rules! flattened_struct {
    (
        keys = $keys:ident;
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(#[$rmeta:meta])*
            $rvis:vis $row:ident : $rty:ty;
            $( $(#[$fmeta:meta])* $fvis:vis $field:ident : $fty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(::serde::Serialize)]
        $vis struct $name {
            $(#[$rmeta])*
            #[serde(flatten)]
            $rvis $row: $rty,
            $( $(#[$fmeta])* $fvis $field: $fty ),*
        }

        #[doc(hidden)]
        #[derive(Default)]
        $vis struct $keys {
            $( $field: Option<$fty> ),*
        }

        impl<'de> $crate::tagged::OwnKeys<'de> for $keys {
            fn take<A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
                match key {
                    $( stringify!($field) => $crate::tagged::take_once(&mut self.$field, stringify!($field), map), )*
                    _ => Ok(false),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let (own, $row) = $crate::tagged::FlattenedStruct::<$keys, $rty>::deserialize(d)?;
                Ok(Self {
                    $row,
                    $( $field: match own.$field {
                        Some(v) => v,
                        None => $crate::tagged::missing(stringify!($field))?,
                    }, )*
                })
            }
        }
    };
}

/// Reads a struct with its own keys `O` and a struct `T` flattened into it.
pub struct FlattenedStruct<O, T>(PhantomData<(O, T)>);

impl<'de, O: OwnKeys<'de>, T: de::Deserialize<'de>> FlattenedStruct<O, T> {
    /// The own keys and the flattened struct, from one object.
    pub fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<(O, T), D::Error> {
        d.deserialize_map(FlattenedStructVisitor::<O, T>(PhantomData))
    }
}

struct FlattenedStructVisitor<O, T>(PhantomData<(O, T)>);

impl<'de, O: OwnKeys<'de>, T: de::Deserialize<'de>> Visitor<'de> for FlattenedStructVisitor<O, T> {
    type Value = (O, T);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(O, T), A::Error> {
        let mut own = O::default();
        let inner = T::deserialize(de::value::MapAccessDeserializer::new(OwnKeysAside {
            map,
            own: &mut own,
        }))?;
        Ok((own, inner))
    }
}

/// The value of a missing own field: `None` for an `Option`, else "missing field".
pub fn missing<'de, V: de::Deserialize<'de>, E: de::Error>(field: &'static str) -> Result<V, E> {
    V::deserialize(Missing::<E>(field, PhantomData))
}

struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> de::Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Deserializes an externally tagged `T` from an object whose first key is `tag`.
pub struct TagFirst<T>(PhantomData<T>);

impl<'de, T: de::Deserialize<'de>> TagFirst<T> {
    /// Reads `d` as an object: its first entry is `tag` (the variant), the rest its fields.
    pub fn deserialize<D: de::Deserializer<'de>>(d: D, tag: &'static str) -> Result<T, D::Error> {
        d.deserialize_map(ObjectVisitor::<T> {
            tag,
            marker: PhantomData,
        })
    }
}

struct ObjectVisitor<T> {
    tag: &'static str,
    marker: PhantomData<T>,
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an object whose first key is \"{}\"", self.tag)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(EnumFromMap { map, tag: self.tag })
    }
}

/// Reads an own key's value, refusing it twice.
pub fn take_once<'de, A: MapAccess<'de>, V: de::Deserialize<'de>>(
    slot: &mut Option<V>,
    key: &'static str,
    map: &mut A,
) -> Result<bool, A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(true)
}

/// The object as an enum: [`EnumAccess`] reads the tag, [`VariantAccess`] the rest.
struct EnumFromMap<A> {
    map: A,
    tag: &'static str,
}

impl<'de, A: MapAccess<'de>> de::Deserializer<'de> for EnumFromMap<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for EnumFromMap<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(
        mut self,
        seed: V,
    ) -> Result<(V::Value, Self), A::Error> {
        let key: Option<Key> = self.map.next_key_seed(KeySeed(self.tag))?;
        if key.is_none() {
            return Err(de::Error::missing_field(self.tag));
        }
        let variant = self.map.next_value_seed(seed)?;
        Ok((variant, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for EnumFromMap<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        // A unit variant has no fields; any other key is ignored, as the derive does.
        while self
            .map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, A::Error> {
        Err(de::Error::custom(
            "tagged_enum! has struct and unit variants only",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::custom(
            "tagged_enum! has struct and unit variants only",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.map)
    }
}

/// The first key, which must be the tag.
struct Key;

struct KeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "the key \"{}\" first", self.0)
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        if key == self.0 {
            Ok(Key)
        } else {
            Err(E::custom(format_args!(
                "\"{}\" must be the first key, found \"{key}\"",
                self.0
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    crate::tagged_enum! {
        tag = "kind";
        twin = ShapeTwin;
        #[derive(Debug, PartialEq)]
        enum Shape {
            /// No fields.
            Dot,
            Circle {
                radius: u32,
            },
            Label {
                text: String,
                #[serde(default)]
                note: Option<String>,
            },
        }
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Inner {
        id: u32,
        name: String,
    }

    crate::flattened_struct! {
        keys = OuterKeys;
        #[derive(Debug, PartialEq)]
        struct Outer {
            inner: Inner;
            shape: Shape,
            note: Option<String>,
        }
    }

    #[test]
    fn a_flattened_struct_reads_in_one_pass_with_keys_in_any_order() {
        let o = Outer {
            inner: Inner {
                id: 1,
                name: "a".into(),
            },
            shape: Shape::Circle { radius: 2 },
            note: None,
        };
        let text = serde_json::to_string(&o).unwrap();
        assert_eq!(
            text,
            r#"{"id":1,"name":"a","shape":{"kind":"circle","radius":2},"note":null}"#
        );
        assert_eq!(serde_json::from_str::<Outer>(&text).unwrap(), o);
        let shuffled = r#"{"shape":{"kind":"dot"},"name":"b","id":2}"#;
        let read: Outer = serde_json::from_str(shuffled).unwrap();
        assert_eq!(read.inner.id, 2);
        assert_eq!(read.shape, Shape::Dot);
        assert_eq!(read.note, None);
        let err = serde_json::from_str::<Outer>(r#"{"id":1,"name":"a"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `shape`"), "{err}");
        let twice = serde_json::from_str::<Outer>(
            r#"{"id":1,"name":"a","note":"x","note":"y","shape":{"kind":"dot"}}"#,
        );
        assert!(
            twice
                .unwrap_err()
                .to_string()
                .contains("duplicate field `note`")
        );
    }

    #[test]
    fn round_trips_with_the_tag_first() {
        for shape in [
            Shape::Dot,
            Shape::Circle { radius: 3 },
            Shape::Label {
                text: "a".into(),
                note: None,
            },
        ] {
            let text = serde_json::to_string(&shape).unwrap();
            assert!(text.starts_with("{\"kind\":"), "{text}");
            assert_eq!(serde_json::from_str::<Shape>(&text).unwrap(), shape);
        }
        assert_eq!(
            serde_json::from_value::<Shape>(json!({"kind": "label", "text": "b"})).unwrap(),
            Shape::Label {
                text: "b".into(),
                note: None
            }
        );
    }

    #[test]
    fn refuses_what_the_derive_would_refuse_and_a_late_tag() {
        let err = |s: &str| serde_json::from_str::<Shape>(s).unwrap_err().to_string();
        assert!(err(r#"{"radius": 3, "kind": "circle"}"#).contains("must be the first key"));
        assert!(err(r#"{"kind": "square"}"#).contains("unknown variant"));
        assert!(err(r#"{"kind": "circle"}"#).contains("missing field `radius`"));
        assert!(err(r#"{"kind": "circle", "radius": "x"}"#).contains("invalid type"));
        assert!(err("{}").contains("missing field `kind`"));
        assert!(err("[]").contains("invalid type"));
    }
}

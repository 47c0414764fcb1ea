//! Declarative helpers for the two shapes Smithy JSON uses everywhere: string enums and unions.
//!
//! Both tolerate values this version does not know when decoding: an unknown enum value becomes
//! `Unknown(String)`, an unknown union member becomes `Unknown(String)` holding the member name.
//! Neither may be sent: serializing an `Unknown` union member is an error.

/// A string enum with an `Unknown(String)` fallback, serialized as its wire string.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(other) => other,
                }
            }

            /// Parses a wire value; values this version does not know become `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$crate::wire::macros::CowStr<'de> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(&value.0))
            }
        }
    };
}

/// A Smithy union: a JSON object with exactly one member set.
macro_rules! wire_union {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty) = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )+
            /// A member this version of the crate does not know (tolerated when decoding
            /// responses); holds the member name. It cannot be serialized.
            Unknown(String),
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::{Error as _, SerializeMap as _};
                match self {
                    $( Self::$variant(value) => {
                        let mut map = serializer.serialize_map(Some(1))?;
                        map.serialize_entry($wire, value)?;
                        map.end()
                    } )+
                    Self::Unknown(member) => Err(S::Error::custom(format_args!(
                        concat!("cannot send unknown ", stringify!($name), " member `{}`"),
                        member
                    ))),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct UnionVisitor;
                impl<'de> ::serde::de::Visitor<'de> for UnionVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " union object"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        use ::serde::de::Error as _;
                        let mut known: Option<$name> = None;
                        let mut unknown: Option<String> = None;
                        while let Some(key) = map.next_key::<$crate::wire::macros::CowStr<'de>>()? {
                            match &*key.0 {
                                $( $wire => {
                                    if let Some(value) = map.next_value::<Option<$ty>>()? {
                                        if known.is_some() {
                                            return Err(A::Error::custom(concat!(
                                                stringify!($name), " has more than one member set"
                                            )));
                                        }
                                        known = Some($name::$variant(value));
                                    }
                                } )+
                                other => {
                                    let value = map.next_value::<::serde_json::Value>()?;
                                    if !value.is_null() && unknown.is_none() {
                                        unknown = Some(other.to_owned());
                                    }
                                }
                            }
                        }
                        known
                            .or_else(|| unknown.map($name::Unknown))
                            .ok_or_else(|| A::Error::custom(concat!(
                                stringify!($name), " has no member set"
                            )))
                    }
                }
                deserializer.deserialize_map(UnionVisitor)
            }
        }
    };
}

pub(crate) use {wire_enum, wire_union};

/// A string that borrows from the input when it holds no escapes.
#[derive(Debug)]
pub(crate) struct CowStr<'de>(pub(crate) std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CowVisitor;
        impl<'de> serde::de::Visitor<'de> for CowVisitor {
            type Value = CowStr<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(CowVisitor)
    }
}

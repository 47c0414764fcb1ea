//! The compiled form of a shapes extract: shapes in a `Vec`, referenced by index, with member
//! lists sorted for binary search and patterns compiled once.

use std::collections::HashMap;

use regex_lite::Regex;
use serde_json::{Map, Value};

/// Index of a shape in [`Model::shapes`].
pub(super) type ShapeId = usize;

/// Where an input member travels in a rest-json request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Location {
    /// A `{label}` of the request URI.
    Uri,
    /// An HTTP header (or a prefix-bound header map).
    Header,
    /// A query-string parameter.
    Query,
}

/// One member of a structure or union.
#[derive(Debug)]
pub(super) struct Member {
    pub(super) name: String,
    /// The URI label or header name for bound members (`locationName`), else the name.
    pub(super) wire_name: String,
    pub(super) target: ShapeId,
    /// `None` when the member travels in the JSON body.
    pub(super) location: Option<Location>,
    pub(super) required: bool,
}

/// A numeric bound as written in the model, kept as text for messages.
#[derive(Debug)]
pub(super) struct Bound {
    pub(super) value: f64,
    pub(super) text: String,
}

/// The kind-specific part of a shape.
#[derive(Debug)]
pub(super) enum Kind {
    Structure {
        /// Sorted by name.
        members: Vec<Member>,
        union: bool,
        /// The member sent as the whole HTTP body (`payload` trait).
        payload: Option<String>,
    },
    List {
        member: ShapeId,
    },
    Map {
        key: ShapeId,
        value: ShapeId,
    },
    String {
        /// Enum values in model order.
        enum_values: Option<Vec<String>>,
        /// The model's pattern text and its anchored compiled form.
        pattern: Option<(String, Regex)>,
    },
    Blob,
    Boolean,
    Integer,
    Long,
    Float,
    Double,
    Timestamp,
    Document,
    /// An event stream union (`eventstream` trait): never a JSON body value.
    EventStream,
}

/// One shape of the model.
#[derive(Debug)]
pub(super) struct Shape {
    pub(super) name: String,
    pub(super) kind: Kind,
    pub(super) min: Option<Bound>,
    pub(super) max: Option<Bound>,
    pub(super) sensitive: bool,
}

/// One served operation.
#[derive(Debug)]
pub(super) struct Operation {
    pub(super) input: Option<ShapeId>,
}

/// A whole compiled extract.
#[derive(Debug)]
pub(super) struct Model {
    pub(super) shapes: Vec<Shape>,
    pub(super) operations: HashMap<String, Operation>,
}

/// Why an extract could not be compiled (a defect in the committed extract, caught by tests).
#[derive(Debug)]
pub(super) struct LoadError(pub(super) String);

fn err<T>(message: impl Into<String>) -> Result<T, LoadError> {
    Err(LoadError(message.into()))
}

fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, LoadError> {
    value
        .as_object()
        .ok_or_else(|| LoadError(format!("{what} is not an object")))
}

fn bound(value: Option<&Value>) -> Option<Bound> {
    let value = value?;
    Some(Bound {
        value: value.as_f64()?,
        text: value.to_string(),
    })
}

impl Model {
    /// Compiles an extract written by `scripts/extract_shapes.py`.
    pub(super) fn from_json(text: &str) -> Result<Model, LoadError> {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| LoadError(format!("invalid JSON: {e}")))?;
        let raw_shapes = object(&doc["shapes"], "shapes")?;
        let ids: HashMap<&str, ShapeId> = raw_shapes
            .keys()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let target = |member: &Value, owner: &str| -> Result<ShapeId, LoadError> {
            let name = member["shape"].as_str().unwrap_or_default();
            ids.get(name)
                .copied()
                .ok_or_else(|| LoadError(format!("{owner} refers to unknown shape {name:?}")))
        };

        let mut shapes = Vec::with_capacity(raw_shapes.len());
        for (name, raw) in raw_shapes {
            let raw = object(raw, name)?;
            let kind = match raw.get("type").and_then(Value::as_str).unwrap_or_default() {
                "structure" if raw.get("document") == Some(&Value::Bool(true)) => Kind::Document,
                "structure" if raw.get("eventstream") == Some(&Value::Bool(true)) => {
                    Kind::EventStream
                }
                "structure" => {
                    let required: Vec<&str> = raw
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let mut members = Vec::new();
                    if let Some(raw_members) = raw.get("members") {
                        for (member_name, member) in object(raw_members, name)? {
                            let location = match member.get("location").and_then(Value::as_str) {
                                None => None,
                                Some("uri") => Some(Location::Uri),
                                Some("header" | "headers") => Some(Location::Header),
                                Some("querystring") => Some(Location::Query),
                                Some(other) => {
                                    return err(format!(
                                        "{name}.{member_name}: unknown location {other:?}"
                                    ));
                                }
                            };
                            let wire_name = member
                                .get("locationName")
                                .and_then(Value::as_str)
                                .unwrap_or(member_name);
                            members.push(Member {
                                name: member_name.clone(),
                                wire_name: wire_name.to_owned(),
                                target: target(member, name)?,
                                location,
                                required: required.contains(&member_name.as_str()),
                            });
                        }
                    }
                    members.sort_by(|a, b| a.name.cmp(&b.name));
                    Kind::Structure {
                        members,
                        union: raw.get("union") == Some(&Value::Bool(true)),
                        payload: raw.get("payload").and_then(Value::as_str).map(String::from),
                    }
                }
                "list" => Kind::List {
                    member: target(&raw["member"], name)?,
                },
                "map" => Kind::Map {
                    key: target(&raw["key"], name)?,
                    value: target(&raw["value"], name)?,
                },
                "string" => Kind::String {
                    enum_values: raw.get("enum").and_then(Value::as_array).map(|values| {
                        values
                            .iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect()
                    }),
                    pattern: match raw.get("pattern").and_then(Value::as_str) {
                        None => None,
                        Some(pattern) => {
                            // The whole value must match, as the service checks it.
                            let regex = Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
                                LoadError(format!("{name}: pattern does not compile: {e}"))
                            })?;
                            Some((pattern.to_owned(), regex))
                        }
                    },
                },
                "blob" => Kind::Blob,
                "boolean" => Kind::Boolean,
                "integer" => Kind::Integer,
                "long" => Kind::Long,
                "float" => Kind::Float,
                "double" => Kind::Double,
                "timestamp" => Kind::Timestamp,
                other => return err(format!("{name}: unsupported shape type {other:?}")),
            };
            shapes.push(Shape {
                name: name.clone(),
                kind,
                min: bound(raw.get("min")),
                max: bound(raw.get("max")),
                sensitive: raw.get("sensitive") == Some(&Value::Bool(true)),
            });
        }

        let mut operations = HashMap::new();
        for (name, op) in object(&doc["operations"], "operations")? {
            let input = match op.get("input").and_then(Value::as_str) {
                None => None,
                Some(input) => Some(ids.get(input).copied().ok_or_else(|| {
                    LoadError(format!("operation {name}: unknown input shape {input:?}"))
                })?),
            };
            operations.insert(name.clone(), Operation { input });
        }
        Ok(Model { shapes, operations })
    }
}

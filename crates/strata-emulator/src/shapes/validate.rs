//! The walk of a JSON body against a compiled shape: one pass, no allocation unless something
//! is wrong.

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};

use super::error::{Listed, Shown, ValidationError, constraint, json_type};
use super::model::{Kind, Model, Shape, ShapeId};

/// Standard base64, decoded leniently like Java's decoder: padding optional, non-zero
/// trailing bits allowed.
static BASE64: LazyLock<GeneralPurpose> = LazyLock::new(|| {
    GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    )
});

/// One step of the path from the body root to a value.
#[derive(Debug, Clone, Copy)]
enum Seg<'v> {
    /// A structure member.
    Member(&'v str),
    /// A list element (0-based).
    Index(usize),
    /// A map entry.
    Entry(&'v str),
}

/// Validates `body` as the structure `root`, skipping members bound outside the body.
pub(super) fn validate(model: &Model, root: ShapeId, body: &Value) -> Result<(), ValidationError> {
    let mut walker = Walker {
        model,
        path: Vec::new(),
        malformed: Listed::default(),
        constraints: Listed::default(),
    };
    walker.value(root, body, false);
    if !walker.malformed.is_empty() {
        Err(ValidationError::malformed(walker.malformed))
    } else if !walker.constraints.is_empty() {
        Err(ValidationError::constraints(walker.constraints))
    } else {
        Ok(())
    }
}

struct Walker<'m, 'v> {
    model: &'m Model,
    path: Vec<Seg<'v>>,
    malformed: Listed,
    constraints: Listed,
}

impl<'m: 'v, 'v> Walker<'m, 'v> {
    /// `#/messages/0/content` (JSON pointer, 0-based, as schema validators print it).
    fn pointer(&self) -> String {
        let mut out = String::from("#");
        for seg in &self.path {
            out.push('/');
            match seg {
                Seg::Member(name) | Seg::Entry(name) => {
                    out.push_str(&name.replace('~', "~0").replace('/', "~1"));
                }
                Seg::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    /// `messages.1.member.content` (Coral's member path: list elements 1-based, `.member`).
    fn member_path(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            if !out.is_empty() {
                out.push('.');
            }
            match seg {
                Seg::Member(name) | Seg::Entry(name) => out.push_str(name),
                Seg::Index(i) => {
                    out.push_str(&(i + 1).to_string());
                    out.push_str(".member");
                }
            }
        }
        out
    }

    fn malformed(&mut self, detail: impl FnOnce() -> String) {
        // Paths are only rendered for the violations that will be listed.
        let pointer = self.malformed.will_list().then(|| self.pointer());
        self.malformed
            .push(|| format!("{}: {}", pointer.unwrap_or_default(), detail()));
    }

    fn wrong_type(&mut self, expected: &'static str, found: &Value) {
        let found = json_type(found);
        self.malformed(|| format!("expected type: {expected}, found: {found}"));
    }

    fn violation(&mut self, shown: Shown<'_>, rule: &str) {
        let path = self.constraints.will_list().then(|| self.member_path());
        self.constraints
            .push(|| constraint(shown, &path.unwrap_or_default(), rule));
    }

    fn shape(&self, id: ShapeId) -> &'m Shape {
        &self.model.shapes[id]
    }

    fn value(&mut self, id: ShapeId, value: &'v Value, sensitive: bool) {
        let shape = self.shape(id);
        let sensitive = sensitive || shape.sensitive;
        match &shape.kind {
            Kind::Structure { members, union, .. } => {
                let Some(object) = value.as_object() else {
                    return self.wrong_type("JSONObject", value);
                };
                self.structure(shape, members, *union, object, sensitive);
            }
            Kind::List { member } => {
                let Some(items) = value.as_array() else {
                    return self.wrong_type("JSONArray", value);
                };
                self.length(shape, items.len(), value, sensitive);
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Seg::Index(i));
                    if item.is_null() {
                        self.violation(Shown::Null, "Member must not be null");
                    } else {
                        self.value(*member, item, sensitive);
                    }
                    self.path.pop();
                }
            }
            Kind::Map { key, value: target } => {
                let Some(entries) = value.as_object() else {
                    return self.wrong_type("JSONObject", value);
                };
                self.length(shape, entries.len(), value, sensitive);
                self.map(*key, *target, entries, value, sensitive);
            }
            Kind::Document => {}
            _ => {
                let mut rules = Vec::new();
                if self.scalar(shape, value, &mut rules) {
                    let shown = shown(value, sensitive);
                    for rule in &rules {
                        self.violation(shown, rule);
                    }
                }
            }
        }
    }

    fn structure(
        &mut self,
        shape: &'m Shape,
        members: &'m [super::model::Member],
        union: bool,
        object: &'v Map<String, Value>,
        sensitive: bool,
    ) {
        let mut set: Vec<&'v str> = Vec::new();
        for (key, item) in object {
            let member = members
                .binary_search_by(|m| m.name.as_str().cmp(key))
                .ok()
                .map(|i| &members[i])
                .filter(|m| m.location.is_none());
            let Some(member) = member else {
                self.malformed(|| format!("extraneous key [{key}] is not permitted"));
                continue;
            };
            if item.is_null() {
                continue;
            }
            if union {
                set.push(key);
            }
            self.path.push(Seg::Member(key));
            self.value(member.target, item, sensitive);
            self.path.pop();
        }
        if union && set.len() != 1 {
            let found = if set.is_empty() {
                "none".to_owned()
            } else {
                format!("{}: [{}]", set.len(), set.join(", "))
            };
            let name = &shape.name;
            self.malformed(|| {
                format!("union {name} must have exactly one member set, found {found}")
            });
        }
        for member in members {
            if member.required
                && member.location.is_none()
                && object.get(&member.name).is_none_or(Value::is_null)
            {
                self.path.push(Seg::Member(&member.name));
                self.violation(Shown::Null, "Member must not be null");
                self.path.pop();
            }
        }
    }

    fn map(
        &mut self,
        key: ShapeId,
        target: ShapeId,
        entries: &'v Map<String, Value>,
        value: &'v Value,
        sensitive: bool,
    ) {
        let key_shape = self.shape(key);
        let value_shape = self.shape(target);
        let scalar_values = !matches!(
            value_shape.kind,
            Kind::Structure { .. } | Kind::List { .. } | Kind::Map { .. } | Kind::Document
        );
        // Coral reports broken keys and scalar values once per map, as a set of rules.
        let mut key_rules: Vec<String> = Vec::new();
        let mut value_rules: Vec<String> = Vec::new();
        for (name, item) in entries {
            let mut rules = Vec::new();
            string_rules(key_shape, name, &mut rules);
            merge(&mut key_rules, rules);
            self.path.push(Seg::Entry(name));
            if item.is_null() {
                self.violation(Shown::Null, "Member must not be null");
            } else if scalar_values {
                let mut rules = Vec::new();
                if self.scalar(value_shape, item, &mut rules) {
                    merge(&mut value_rules, rules);
                }
            } else {
                self.value(target, item, sensitive);
            }
            self.path.pop();
        }
        if !key_rules.is_empty() {
            let rule = format!(
                "Map keys must satisfy constraint: [{}]",
                key_rules.join(", ")
            );
            self.violation(shown(value, sensitive || key_shape.sensitive), &rule);
        }
        if !value_rules.is_empty() {
            let rule = format!(
                "Map value must satisfy constraint: [{}]",
                value_rules.join(", ")
            );
            self.violation(shown(value, sensitive || value_shape.sensitive), &rule);
        }
    }

    /// Length rules of a list or map (element / entry count).
    fn length(&mut self, shape: &Shape, len: usize, value: &'v Value, sensitive: bool) {
        let mut rules = Vec::new();
        length_rules(shape, len, &mut rules);
        let shown = shown(value, sensitive);
        for rule in &rules {
            self.violation(shown, rule);
        }
    }

    /// Type-checks a scalar; on success appends the constraint rules it breaks and returns
    /// `true`, on a type error reports it as malformed and returns `false`.
    fn scalar(&mut self, shape: &Shape, value: &Value, rules: &mut Vec<String>) -> bool {
        match &shape.kind {
            Kind::String { .. } => {
                let Some(text) = value.as_str() else {
                    self.wrong_type("String", value);
                    return false;
                };
                string_rules(shape, text, rules);
            }
            Kind::Blob => {
                let Some(text) = value.as_str() else {
                    self.wrong_type("String", value);
                    return false;
                };
                let Some(len) = base64_len(text) else {
                    self.malformed(|| "expected a base64-encoded blob".to_owned());
                    return false;
                };
                length_rules(shape, len, rules);
            }
            Kind::Boolean => {
                if !value.is_boolean() {
                    self.wrong_type("Boolean", value);
                    return false;
                }
            }
            Kind::Integer | Kind::Long => {
                let integer = matches!(shape.kind, Kind::Integer);
                let type_name = if integer { "Integer" } else { "Long" };
                let Some(number) = value.as_number().filter(|n| !n.is_f64()) else {
                    self.wrong_type("Integer", value);
                    return false;
                };
                let in_range = match number.as_i64() {
                    Some(n) => !integer || i32::try_from(n).is_ok(),
                    None => false,
                };
                if !in_range {
                    self.malformed(|| format!("{number} is out of range for type {type_name}"));
                    return false;
                }
                range_rules(shape, number.as_f64().unwrap_or(f64::NAN), rules);
            }
            Kind::Float | Kind::Double => {
                // Smithy's JSON protocols send non-finite numbers as these strings.
                let number = match value {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) if s == "NaN" => Some(f64::NAN),
                    Value::String(s) if s == "Infinity" => Some(f64::INFINITY),
                    Value::String(s) if s == "-Infinity" => Some(f64::NEG_INFINITY),
                    _ => None,
                };
                let Some(number) = number else {
                    self.wrong_type("Number", value);
                    return false;
                };
                range_rules(shape, number, rules);
            }
            Kind::Timestamp => {
                // rest-json bodies carry timestamps as epoch seconds.
                if !value.is_number() {
                    self.wrong_type("Number", value);
                    return false;
                }
            }
            Kind::EventStream => {
                self.wrong_type("EventStream", value);
                return false;
            }
            // Aggregates are walked by `value`; they have no scalar rules.
            Kind::Structure { .. } | Kind::List { .. } | Kind::Map { .. } | Kind::Document => {}
        }
        true
    }
}

/// How a value appears in a constraint message: hidden when the model marks it `sensitive`.
fn shown(value: &Value, sensitive: bool) -> Shown<'_> {
    if sensitive {
        Shown::Hidden
    } else {
        Shown::Value(value)
    }
}

/// Input characters decoded per step: a multiple of 4, so only the last chunk can be padded.
const BASE64_CHUNK: usize = 4096;

/// The decoded length of a base64 string, or `None` when it is not valid base64. Decodes in
/// chunks into a stack buffer, so a multi-megabyte image costs no allocation.
pub(super) fn base64_len(text: &str) -> Option<usize> {
    let mut buf = [0u8; BASE64_CHUNK / 4 * 3];
    let mut len = 0;
    let mut chunks = text.as_bytes().chunks(BASE64_CHUNK).peekable();
    while let Some(chunk) = chunks.next() {
        // Padding that ends an inner chunk would be accepted by that chunk's decode.
        if chunks.peek().is_some() && chunk.ends_with(b"=") {
            return None;
        }
        len += BASE64.decode_slice(chunk, &mut buf).ok()?;
    }
    Some(len)
}

fn merge(into: &mut Vec<String>, rules: Vec<String>) {
    for rule in rules {
        if !into.contains(&rule) {
            into.push(rule);
        }
    }
}

fn length_rules(shape: &Shape, len: usize, rules: &mut Vec<String>) {
    let len = len as f64;
    if let Some(min) = &shape.min
        && len < min.value
    {
        rules.push(format!(
            "Member must have length greater than or equal to {}",
            min.text
        ));
    }
    if let Some(max) = &shape.max
        && len > max.value
    {
        rules.push(format!(
            "Member must have length less than or equal to {}",
            max.text
        ));
    }
}

fn range_rules(shape: &Shape, number: f64, rules: &mut Vec<String>) {
    // NaN breaks both bounds.
    if let Some(min) = &shape.min
        && (number.is_nan() || number < min.value)
    {
        rules.push(format!(
            "Member must have value greater than or equal to {}",
            min.text
        ));
    }
    if let Some(max) = &shape.max
        && (number.is_nan() || number > max.value)
    {
        rules.push(format!(
            "Member must have value less than or equal to {}",
            max.text
        ));
    }
}

/// Appends the rules a string breaks (nothing for non-string shapes).
pub(super) fn string_rules(shape: &Shape, text: &str, rules: &mut Vec<String>) {
    let Kind::String {
        enum_values,
        pattern,
    } = &shape.kind
    else {
        return;
    };
    if shape.min.is_some() || shape.max.is_some() {
        length_rules(shape, text.chars().count(), rules);
    }
    if let Some((source, regex)) = pattern
        && !regex.is_match(text)
    {
        rules.push(format!(
            "Member must satisfy regular expression pattern: {source}"
        ));
    }
    if let Some(values) = enum_values
        && !values.iter().any(|v| v == text)
    {
        rules.push(format!(
            "Member must satisfy enum value set: [{}]",
            values.join(", ")
        ));
    }
}

//! Checks of the input members bound to URI labels and headers (`modelId`, InvokeModel's
//! `X-Amzn-Bedrock-*` headers), with the same constraint messages as body members.

use http::HeaderMap;

use super::error::{Listed, Shown, ValidationError, constraint};
use super::model::{Kind, Location, Model, ShapeId};
use super::validate::string_rules;

/// Validates the URI-label and header members of the input structure `root`.
///
/// `labels` holds the decoded values of the URI labels by label name. A required label that
/// is absent reads as `null`. Headers are optional in every served operation; a header whose
/// value is not visible ASCII text is malformed. Every served bound member is a string
/// (a test checks it), so string rules are the only ones applied.
pub(super) fn validate(
    model: &Model,
    root: ShapeId,
    labels: &[(&str, &str)],
    headers: &HeaderMap,
) -> Result<(), ValidationError> {
    let Kind::Structure { members, .. } = &model.shapes[root].kind else {
        return Ok(());
    };
    let mut malformed = Listed::default();
    let mut constraints = Listed::default();
    for member in members {
        let shape = &model.shapes[member.target];
        let value = match member.location {
            None | Some(Location::Query) => continue,
            Some(Location::Uri) => labels
                .iter()
                .find(|(name, _)| *name == member.wire_name)
                .map(|(_, value)| *value),
            Some(Location::Header) => match headers.get(member.wire_name.as_str()) {
                None => None,
                Some(value) => match value.to_str() {
                    Ok(text) => Some(text),
                    Err(_) => {
                        let name = &member.wire_name;
                        malformed.push(|| format!("header [{name}] is not visible ASCII text"));
                        continue;
                    }
                },
            },
        };
        let Some(value) = value else {
            if member.required {
                constraints
                    .push(|| constraint(Shown::Null, &member.name, "Member must not be null"));
            }
            continue;
        };
        let mut rules = Vec::new();
        string_rules(shape, value, &mut rules);
        let text = serde_json::Value::String(value.to_owned());
        for rule in &rules {
            let shown = if shape.sensitive {
                Shown::Hidden
            } else {
                Shown::Value(&text)
            };
            constraints.push(|| constraint(shown, &member.name, rule));
        }
    }
    if !malformed.is_empty() {
        Err(ValidationError::malformed(malformed))
    } else if !constraints.is_empty() {
        Err(ValidationError::constraints(constraints))
    } else {
        Ok(())
    }
}

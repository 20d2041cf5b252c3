//! Diff: two IRs → the changes a new document makes to the generated Rust API.
//!
//! [`compare`] matches the entities of two [`Api`] values (operations by the method callers
//! call, then `operationId`, then route; types by Rust name, servers by variant, …) and
//! reports every difference that a user of the generated crate can observe, named by the Rust
//! item it touches as the operation surface ([`crate::ir::surface`]) spells it
//! (`client().management().update()`, `models::Client.client_id`, `Server::Us`), with the
//! structured [`Named`] items beside it. Documents are read with the same overlays as
//! generation ([`diff_files`], [`load_documents`]), so these are the crate's real names. [`render`] prints a [`Diff`] as text, Markdown or JSON;
//! [`changelog`] turns a folder of dated documents into `CHANGELOG.md`.
//!
//! Only the IR is compared, never the documents' text: descriptions, summaries and examples
//! are not reported (they change the crate's docs, not its API).
//!
//! # Classification
//!
//! Each change is `breaking` or `compatible` **for code that uses the generated crate**. The
//! rules follow from how the crate is generated:
//!
//! - structs are `#[non_exhaustive]` with public fields and `new(required fields…)`; optional
//!   (and nullable) fields are `Option<T>`;
//! - string enums and unions are `#[non_exhaustive]` with an `Unknown` variant;
//! - required parameters are positional arguments, in order, followed by `body` and then
//!   `params: …Params` (a `#[non_exhaustive]` struct with a setter per optional parameter,
//!   present only when the operation has optional parameters);
//! - a method returns what its documented 2xx responses say ([`crate::ir::Returns`]): `()`,
//!   the body `T`, `Option<T>` when some 2xx statuses have no body, an enum per status when
//!   their bodies differ, or a stream; every non-2xx answer becomes an `Error` carrying the
//!   shared error model (`ResultError`), whatever responses the document lists.
//!
//! Whether a new required field breaks callers depends on the direction a type travels:
//! callers *build* request types (with `new`, which gains an argument) but only *read*
//! response types. A type counts as a request type when it is reachable from a parameter or a
//! request body in the old or the new document (through fields, list/map items, union variants
//! and aliases), as a response-only type when it is reachable from responses only, and types
//! that no operation reaches are treated like request types. Every other rule holds in both
//! directions: a removed field or a changed field type breaks readers and builders alike.
//!
//! | rule | severity | why |
//! |---|---|---|
//! | `operation_added` | compatible | a new method on a group accessor |
//! | `operation_removed` | breaking | calls to the method no longer compile |
//! | `operation_renamed` | breaking | the Rust method name changed (new `operationId` for the same method and path, or a new de-duplicated name) |
//! | `operation_moved` | breaking | the operation's tag changed: it is reached through another accessor |
//! | `operation_id_changed` | compatible | the `operationId` changed but the Rust method name did not (only `OperationInfo::id` differs) |
//! | `operation_path_changed` | compatible | the crate sends to the new path; the signature only changes through the parameter rules |
//! | `operation_method_changed` | compatible | the crate sends the new HTTP method; the signature is unchanged |
//! | `operation_security_tightened` | breaking | a caller who could meet one of the operation's old security requirements meets none of the new ones (e.g. a scheme newly required) and is refused before sending |
//! | `operation_security_relaxed` | compatible | the requirements changed, but every way to call the operation before still works (an alternative added, a scheme no longer required, `security: []`) |
//! | `deprecation_changed` | compatible | `#[deprecated]` added or removed (operation, parameter, type, field, enum value): a warning at most |
//! | `pagination_added` | compatible | the operation now pages: new `…_all` and `…_pages` stream methods beside the plain ones |
//! | `pagination_removed` | breaking | the operation no longer pages (or its stream methods were renamed): calls to `…_all` / `…_pages` no longer compile |
//! | `required_param_added` | breaking | a new positional argument |
//! | `optional_param_added` | compatible | a new field and setter on the existing `…Params` struct |
//! | `params_argument_added` | breaking | the operation's first optional parameter: the method gains a `params: …Params` argument |
//! | `param_removed` | breaking | a positional argument, or a `…Params` field and setter, disappears |
//! | `param_type_changed` | breaking | the argument's or setter's type changed |
//! | `param_became_required` | breaking | a `…Params` setter became a positional argument |
//! | `param_became_optional` | breaking | a positional argument moved into `…Params` |
//! | `param_renamed` | breaking | an optional parameter's `…Params` field and setter were renamed |
//! | `required_params_reordered` | breaking | positional arguments changed order |
//! | `param_style_changed` | compatible | the wire encoding (`explode`) changed; the crate follows it |
//! | `body_added` | breaking | a new `body` argument |
//! | `body_removed` | breaking | the `body` argument disappears |
//! | `body_type_changed` | breaking | the `body` argument's type changed |
//! | `body_became_required` | breaking | `body: Option<&T>` became `body: &T` |
//! | `body_became_optional` | breaking | `body: &T` became `body: Option<&T>` |
//! | `body_media_added` | compatible | one more encoding callers may choose with `RequestOptions` |
//! | `body_media_removed` | breaking | callers choosing that encoding (e.g. `RequestOptions::form()`) are refused at run time |
//! | `body_default_media_changed` | compatible | the crate encodes bodies the new preferred way by default; the server accepts it |
//! | `return_type_changed` | breaking | the method returns another type (also `T` → `Option<T>` when a body-less 2xx is added, or another set of per-status variants) |
//! | `response_added` | compatible | a newly documented status that leaves the return type as it was: non-2xx answers stay `Error` values |
//! | `response_removed` | compatible | a status no longer documented, the return type as it was |
//! | `response_changed` | compatible | the body of a response that does not decide the return type (error bodies decode as `ResultError`) |
//! | `type_added` | compatible | a new model |
//! | `type_removed` | breaking | the model no longer exists |
//! | `type_renamed` | breaking | the same schema now has another Rust name |
//! | `type_kind_changed` | breaking | a struct became an enum, a union or an alias (or the reverse) |
//! | `type_became_alias` | compatible | the type is now an alias of a type of the same kind and shape (inline schemas that became identical are one type): every use of the old name still compiles |
//! | `field_added` | compatible | a new `Option<T>` field on a `#[non_exhaustive]` struct: `new` is unchanged |
//! | `required_field_added` | breaking | a new non-`Option` field in a request type (or one no operation uses): `new` takes one more argument |
//! | `required_field_added_to_response` | compatible | a new non-`Option` field in a response-only type: callers read it and never build it (only hand-built values, e.g. test mocks, see `new` gain an argument) |
//! | `field_removed` | breaking | code reading or setting the field no longer compiles |
//! | `field_type_changed` | breaking | the field's Rust type changed (including `Box` added or removed) |
//! | `field_became_required` | breaking | `Option<T>` became `T` |
//! | `field_became_optional` | breaking | `T` became `Option<T>` |
//! | `field_presence_changed` | compatible | `required`/`nullable` changed but the field stays `Option<T>`: only whether `None` is sent as `null` or left out |
//! | `field_renamed` | breaking | the same JSON property has another Rust field name |
//! | `additional_properties_added` | compatible | a new `additional_properties` map on a `#[non_exhaustive]` struct |
//! | `additional_properties_changed` | breaking | the `additional_properties` map was removed or its value type changed |
//! | `enum_value_added` | compatible | enums are `#[non_exhaustive]`; the value used to decode as `Unknown(..)` |
//! | `enum_value_removed` | breaking | the variant no longer exists |
//! | `enum_variant_renamed` | breaking | the same value has another Rust variant name |
//! | `union_variant_added` | compatible | unions are `#[non_exhaustive]` with an `Unknown` variant |
//! | `union_variant_removed` | breaking | the variant no longer exists |
//! | `union_variant_changed` | breaking | the variant holds another type |
//! | `union_discriminator_changed` | breaking | the union is told apart by another property (or none): encoding and `Unknown` change |
//! | `union_tag_added` | compatible | one more discriminator value selects the variant |
//! | `union_tag_removed` | breaking | a discriminator value no longer selects the variant |
//! | `alias_changed` | breaking | the type alias points at another type |
//! | `serde_impl_gated` | breaking | with the default features, the model no longer implements `Serialize` (no request holds it any more) or `Deserialize` (no response does): code that encodes or decodes it needs the crate's `serialize` / `deserialize` feature |
//! | `serde_impl_added` | compatible | the model now travels another way and implements that way's serde trait with the default features |
//! | `server_added` | compatible | a new `Server` variant (`Server` is `#[non_exhaustive]`) |
//! | `server_removed` | breaking | the `Server` variant no longer exists |
//! | `server_url_changed` | compatible | the variant now points at the new URL |
//! | `default_server_changed` | breaking | clients built without a server now talk to another one |
//! | `security_scheme_added` | compatible | a new `security::X` static; operations that require it are reported on their own |
//! | `security_scheme_removed` | breaking | `security::X` disappears, and credentials given for it no longer fit any scheme (`build()` refuses them) |
//! | `security_scheme_renamed` | breaking | the scheme of the same kind has a new name: `security::X` is renamed (family setters and environment variables still fit) |
//! | `security_scheme_changed` | compatible | the scheme sends its credential another way (header, parameter or cookie name, token URL, scopes); the crate follows it |
//! | `security_scheme_kind_changed` | breaking | the scheme takes another kind of credential (e.g. a bearer token became an API key): the setter and variables that fed it no longer do |
//! | `security_env_changed` | breaking | `Client::from_env` reads other variables for the scheme (e.g. a second scheme of its kind arrived, so both get their names as a prefix) |
//! | `error_model_changed` | breaking | `ResultError` (the shared error body) is another type |

pub mod changelog;
mod compare;
pub mod render;
mod security;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use compare::compare;

use crate::load::overlay::Warning;
use crate::{Error, Input, ir::Api, load_api};

/// Loads two documents with `overlays` applied to both (the crate users get from each, as
/// generation builds it) and compares them; the sides are labelled with the paths as given.
/// The loading warnings of both documents come back beside the diff, each naming its document:
/// an overlay target missing from the older document (an operation added upstream since) is
/// one of them, not an error.
pub fn diff_files(
    old: &Path,
    new: &Path,
    overlays: &[PathBuf],
) -> Result<(Diff, Vec<Warning>), Error> {
    let mut loaded = load_documents(&[old.to_path_buf(), new.to_path_buf()], overlays)?.into_iter();
    let (Some((a, mut warnings)), Some((b, new_warnings))) = (loaded.next(), loaded.next()) else {
        unreachable!("two documents in, two out");
    };
    warnings.extend(new_warnings);
    let diff = compare(&a, &b).with_labels(old.display().to_string(), new.display().to_string());
    Ok((diff, warnings))
}

/// The overlays `diff OLD NEW` applies by default: the ones generation would apply to NEW,
/// else to OLD ([`crate::default_overlays`]: `overlay.yaml` beside the document), else, for a
/// document kept in a history folder (`spec/history/x.yaml`), the ones of the spec that
/// folder belongs to (`spec/overlay.yaml`).
pub fn default_overlays(old: &Path, new: &Path) -> Vec<PathBuf> {
    let beside = |doc: &Path| crate::default_overlays(doc);
    let beside_history = |doc: &Path| {
        let folder = doc
            .parent()
            .filter(|d| d.file_name() == Some("history".as_ref()));
        folder.map(crate::default_overlays).unwrap_or_default()
    };
    [
        beside(new),
        beside(old),
        beside_history(new),
        beside_history(old),
    ]
    .into_iter()
    .find(|found| !found.is_empty())
    .unwrap_or_default()
}

/// What a change means for code that uses the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Code that compiled (or worked) against the old crate may not any more.
    Breaking,
    /// Existing code keeps compiling and working.
    Compatible,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Compatible => "compatible",
        }
    }
}

/// Which part of the crate a change touches; also the order of the report's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Methods on the group accessors (`client.token().management().reissue_id_token(..)`).
    Operations,
    /// `models::*`.
    Types,
    /// The `Server` enum.
    Servers,
    /// Client-wide items: authentication and `ResultError`.
    Client,
}

impl Area {
    pub const ALL: [Area; 4] = [Area::Operations, Area::Types, Area::Servers, Area::Client];

    pub fn title(self) -> &'static str {
        match self {
            Area::Operations => "Operations",
            Area::Types => "Types",
            Area::Servers => "Servers",
            Area::Client => "Client",
        }
    }
}

macro_rules! rules {
    ($($variant:ident => $id:literal, $severity:ident;)*) => {
        /// The classification rule that produced a change; each has a fixed [`Severity`]
        /// (see the table in the [module docs](self)).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(#[doc = concat!("`", $id, "`")] $variant,)*
        }

        impl Rule {
            /// Every rule, in the order of the table.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable identifier used in JSON output and in the docs.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

rules! {
    OperationAdded => "operation_added", Compatible;
    OperationRemoved => "operation_removed", Breaking;
    OperationRenamed => "operation_renamed", Breaking;
    OperationMoved => "operation_moved", Breaking;
    OperationIdChanged => "operation_id_changed", Compatible;
    OperationPathChanged => "operation_path_changed", Compatible;
    OperationMethodChanged => "operation_method_changed", Compatible;
    OperationSecurityTightened => "operation_security_tightened", Breaking;
    OperationSecurityRelaxed => "operation_security_relaxed", Compatible;
    DeprecationChanged => "deprecation_changed", Compatible;
    PaginationAdded => "pagination_added", Compatible;
    PaginationRemoved => "pagination_removed", Breaking;
    RequiredParamAdded => "required_param_added", Breaking;
    OptionalParamAdded => "optional_param_added", Compatible;
    ParamsArgumentAdded => "params_argument_added", Breaking;
    ParamRemoved => "param_removed", Breaking;
    ParamTypeChanged => "param_type_changed", Breaking;
    ParamBecameRequired => "param_became_required", Breaking;
    ParamBecameOptional => "param_became_optional", Breaking;
    ParamRenamed => "param_renamed", Breaking;
    RequiredParamsReordered => "required_params_reordered", Breaking;
    ParamStyleChanged => "param_style_changed", Compatible;
    BodyAdded => "body_added", Breaking;
    BodyRemoved => "body_removed", Breaking;
    BodyTypeChanged => "body_type_changed", Breaking;
    BodyBecameRequired => "body_became_required", Breaking;
    BodyBecameOptional => "body_became_optional", Breaking;
    BodyMediaAdded => "body_media_added", Compatible;
    BodyMediaRemoved => "body_media_removed", Breaking;
    BodyDefaultMediaChanged => "body_default_media_changed", Compatible;
    ReturnTypeChanged => "return_type_changed", Breaking;
    ResponseAdded => "response_added", Compatible;
    ResponseRemoved => "response_removed", Compatible;
    ResponseChanged => "response_changed", Compatible;
    TypeAdded => "type_added", Compatible;
    TypeRemoved => "type_removed", Breaking;
    TypeRenamed => "type_renamed", Breaking;
    TypeKindChanged => "type_kind_changed", Breaking;
    TypeBecameAlias => "type_became_alias", Compatible;
    FieldAdded => "field_added", Compatible;
    RequiredFieldAdded => "required_field_added", Breaking;
    RequiredFieldAddedToResponse => "required_field_added_to_response", Compatible;
    FieldRemoved => "field_removed", Breaking;
    FieldTypeChanged => "field_type_changed", Breaking;
    FieldBecameRequired => "field_became_required", Breaking;
    FieldBecameOptional => "field_became_optional", Breaking;
    FieldPresenceChanged => "field_presence_changed", Compatible;
    FieldRenamed => "field_renamed", Breaking;
    AdditionalPropertiesAdded => "additional_properties_added", Compatible;
    AdditionalPropertiesChanged => "additional_properties_changed", Breaking;
    EnumValueAdded => "enum_value_added", Compatible;
    EnumValueRemoved => "enum_value_removed", Breaking;
    EnumVariantRenamed => "enum_variant_renamed", Breaking;
    UnionVariantAdded => "union_variant_added", Compatible;
    UnionVariantRemoved => "union_variant_removed", Breaking;
    UnionVariantChanged => "union_variant_changed", Breaking;
    UnionDiscriminatorChanged => "union_discriminator_changed", Breaking;
    UnionTagAdded => "union_tag_added", Compatible;
    UnionTagRemoved => "union_tag_removed", Breaking;
    AliasChanged => "alias_changed", Breaking;
    SerdeImplGated => "serde_impl_gated", Breaking;
    SerdeImplAdded => "serde_impl_added", Compatible;
    ServerAdded => "server_added", Compatible;
    ServerRemoved => "server_removed", Breaking;
    ServerUrlChanged => "server_url_changed", Compatible;
    DefaultServerChanged => "default_server_changed", Breaking;
    SecuritySchemeAdded => "security_scheme_added", Compatible;
    SecuritySchemeRemoved => "security_scheme_removed", Breaking;
    SecuritySchemeRenamed => "security_scheme_renamed", Breaking;
    SecuritySchemeChanged => "security_scheme_changed", Compatible;
    SecuritySchemeKindChanged => "security_scheme_kind_changed", Breaking;
    SecurityEnvChanged => "security_env_changed", Breaking;
    ErrorModelChanged => "error_model_changed", Breaking;
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One change to the generated API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub severity: Severity,
    pub area: Area,
    /// The Rust item as the old crate spells it (the new one for additions), e.g.
    /// `token().management().reissue_id_token()`, `models::Client`, `Server::Us`,
    /// `ResultError`: the display of one of [`Change::names`].
    pub item: String,
    /// The part of the item, when the change is about one: a field, parameter, enum value,
    /// union variant or status code, as the document spells it.
    pub member: Option<String>,
    pub rule: Rule,
    /// One sentence, Markdown with backticks, e.g. ``new optional field `scope: Option<String>` ``.
    pub message: String,
    /// The old value (a Rust type, URL, path, …) when the change replaces one.
    pub old: Option<String>,
    /// The new value.
    pub new: Option<String>,
    /// Every Rust item the change names (its `item`, and the field, variant, setter or method
    /// it is about), each in the crate it exists in: the old one for what is removed or
    /// renamed away, the new one for everything else.
    pub names: Vec<Named>,
}

/// Which of the two crates an item exists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Crate {
    Old,
    New,
}

/// A Rust item a change names, and the crate it exists in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Named {
    #[serde(rename = "crate")]
    pub side: Crate,
    pub path: RustPath,
}

/// A Rust item of the generated crate, structured (its [`std::fmt::Display`] is how reports
/// spell it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RustPath {
    /// A method of a group handle, reached through `accessors` from the client:
    /// `client().management().update()`.
    Method {
        accessors: Vec<String>,
        method: String,
    },
    /// The field and setter of an optional parameter in an operation's `…Params` struct
    /// (in its group's module): `ClientListParams::limit`.
    ParamsField { params: String, field: String },
    /// `models::Client`.
    Type { name: String },
    /// A struct model's field: `models::Client.client_id`.
    Field { ty: String, field: String },
    /// An enum or union model's variant: `models::GrantType::AuthorizationCode`.
    Variant { ty: String, variant: String },
    /// A `Server` variant: `Server::Us`.
    Server { variant: String },
    /// `Server::default()`.
    DefaultServer,
    /// A `security::X` static.
    Security { name: String },
    /// `ResultError`, the shared error body.
    ErrorModel,
}

impl std::fmt::Display for RustPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RustPath::Method { accessors, method } => {
                for a in accessors {
                    write!(f, "{a}().")?;
                }
                write!(f, "{method}()")
            }
            RustPath::ParamsField { params, field } => write!(f, "{params}::{field}"),
            RustPath::Type { name } => write!(f, "models::{name}"),
            RustPath::Field { ty, field } => write!(f, "models::{ty}.{field}"),
            RustPath::Variant { ty, variant } => write!(f, "models::{ty}::{variant}"),
            RustPath::Server { variant } => write!(f, "Server::{variant}"),
            RustPath::DefaultServer => f.write_str("Server::default()"),
            RustPath::Security { name } => write!(f, "security::{name}"),
            RustPath::ErrorModel => f.write_str("ResultError"),
        }
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Side {
    /// How the caller names the document (usually its file name).
    pub label: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
}

/// Every change from one document to another, sorted by area, item, severity (breaking
/// first), member and rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub changes: Vec<Change>,
}

impl Diff {
    /// Names the two sides, e.g. with their file names.
    pub fn with_labels(mut self, old: impl Into<String>, new: impl Into<String>) -> Self {
        self.old.label = old.into();
        self.new.label = new.into();
        self
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    pub fn has_breaking(&self) -> bool {
        self.count(Severity::Breaking) > 0
    }

    /// The changes a rule produced.
    pub fn by_rule(&self, rule: Rule) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.rule == rule)
    }
}

/// Loads every document with `overlays` applied (in order) and lowers it, a few at a time in
/// parallel (parsing dominates); the IRs and each one's loading warnings come back in the
/// order of `files`. This is how `diff`, the changelog and `update` read both sides.
pub fn load_documents(
    files: &[PathBuf],
    overlays: &[PathBuf],
) -> Result<Vec<(Api, Vec<Warning>)>, Error> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, files.len().max(1));
    type Slot = Option<Result<(Api, Vec<Warning>), Error>>;
    let mut slots: Vec<Slot> = Vec::new();
    slots.resize_with(files.len(), || None);
    let load = |file: &PathBuf| {
        load_api(&Input {
            spec: file.clone(),
            overlays: overlays.to_vec(),
            history: None,
            // Lowering does not read example programs.
            examples: None,
        })
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    (w..files.len())
                        .step_by(workers)
                        .map(|i| (i, load(&files[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(results) => {
                    for (i, result) in results {
                        slots[i] = Some(result);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.expect("every file was loaded by a worker"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table in these docs lists every rule once, with the severity the code gives it.
    #[test]
    fn docs_table_matches_the_rules() {
        let table = table_rows(include_str!("mod.rs"), "//! | `");
        assert_eq!(table.len(), Rule::ALL.len(), "one row per rule");
        for (rule, (id, severity)) in Rule::ALL.iter().zip(&table) {
            assert_eq!(rule.id(), id);
            assert_eq!(rule.severity().as_str(), severity, "{id}");
        }
    }

    fn table_rows(text: &str, prefix: &str) -> Vec<(String, String)> {
        text.lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .map(|rest| {
                let mut cells = rest.split('|').map(str::trim);
                let id = cells.next().unwrap_or("").trim_end_matches('`').to_owned();
                let severity = cells.next().unwrap_or("").to_owned();
                (id, severity)
            })
            .collect()
    }

    #[test]
    fn rule_ids_are_unique_snake_case() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert!(
            ids.iter()
                .all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}

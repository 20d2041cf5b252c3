//! OpenAPI 3.1 `webhooks`: requests the API sends to its users. The crate does not send them;
//! it types their payloads, so a service receiving one decodes the body with
//! `webhooks::{name}(&body)`.

use openapiv3::{ReferenceOr, RequestBody as OaRequestBody};
use serde_json::Value;

use super::Lowerer;
use super::naming::{self, Scope};
use crate::ir::{HttpMethod, Webhook};
use crate::load::Diagnostic;
use crate::load::diagnostic::escape_token;

impl Lowerer<'_> {
    /// Lowers every webhook operation that has a request body, in document order.
    pub(super) fn lower_webhooks(&mut self) -> Result<Vec<Webhook>, Diagnostic> {
        let Some(Value::Object(webhooks)) = self.doc.raw.get("webhooks") else {
            return Ok(Vec::new());
        };
        let mut scope = Scope::new();
        let mut out = Vec::new();
        for (name, item) in webhooks {
            let Value::Object(item) = item else { continue };
            let item_pointer = format!("/webhooks/{}", escape_token(name));
            for (method_key, op) in item {
                let Some(method) = HttpMethod::from_field(method_key) else {
                    continue;
                };
                let pointer = format!("{item_pointer}/{}", escape_token(method_key));
                let Some(body) = op.get("requestBody") else {
                    self.warn(
                        &pointer,
                        format!("webhook `{name}` has no request body, so it has no payload type"),
                    );
                    continue;
                };
                let body: ReferenceOr<OaRequestBody> = serde_json::from_value(body.clone())
                    .map_err(|e| {
                        self.error(
                            &format!("{pointer}/requestBody"),
                            format!("not a valid request body: {e}"),
                        )
                    })?;
                let several = item
                    .keys()
                    .filter(|k| HttpMethod::from_field(k).is_some())
                    .count()
                    > 1;
                let base = if several {
                    format!("{name}_{method_key}")
                } else {
                    name.clone()
                };
                let type_base = naming::type_name(&base, "Webhook");
                let body = self.request_body(
                    &body,
                    &format!("{type_base}Payload"),
                    &format!("{pointer}/requestBody"),
                )?;
                let Some(body) = body else { continue };
                let text = |key: &str| op.get(key).and_then(Value::as_str).map(str::to_owned);
                out.push(Webhook {
                    name: name.clone(),
                    http_method: method,
                    fn_name: scope.claim(&naming::snake_name(&base, "webhook"), "_"),
                    summary: text("summary"),
                    description: text("description"),
                    payload: body.ty,
                });
            }
        }
        Ok(out)
    }
}

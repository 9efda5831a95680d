//! `GET /api/openapi.json`: the API's OpenAPI description.

use axum::Json;
use utoipa::OpenApi;

/// The OpenAPI document of the public API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ken je rechten API",
        description = "Confidant requests for foster children (Jeugdstem)."
    ),
    paths(super::requests::create_request, super::health::health),
    components(schemas(
        kjr_domain::RequestDraft,
        kjr_domain::RequestReceipt,
        kjr_domain::ApiErrorBody,
        kjr_domain::FieldError,
        super::health::Health
    ))
)]
pub struct ApiDoc;

/// Serves the document.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

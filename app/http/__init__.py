"""The HTTP layer's glue to Quart: guards, request parsing, response declarations, the OpenAPI document, error
bodies and request logging. Blueprints and the app factory use it; services never do."""

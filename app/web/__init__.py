"""HTTP layer: one blueprint per concern, registered in app.create_app."""

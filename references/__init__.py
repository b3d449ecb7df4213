"""The reference registry: schema, loading, validation, indexes and the bundled starter registry."""

"""The rules of the CMS: validation, permissions, workflow. Callable without GraphQL."""

"""SCIM 2.0 service provider (RFC 7643/7644) at ``/scim/v2/``: Entra ID and Okta provision
people and groups into ``directory`` (``Source.SCIM``). The protocol is here (parsing,
filters, PATCH paths, documents, errors); the writes are ``directory.services.scim``."""

"""Finding who said what: role tagging, linking, and typing of sources."""

from sayso.attribution.component import AttributionExtractor, RolesModelNotFound
from sayso.attribution.linking import Attribution, link

__all__ = ["Attribution", "AttributionExtractor", "RolesModelNotFound", "link"]

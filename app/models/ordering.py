"""Rows kept in an order that organisers choose: needs within a category, stages within a route."""

from typing import ClassVar

from sqlalchemy import select

from app.extensions import db


class Ordered:
    """Mixin for models with a `position`, ordered among the siblings that share
    the values of `sibling_keys` (the rows shown together in one list)."""

    sibling_keys: ClassVar[tuple[str, ...]]
    sibling_order: ClassVar[tuple[str, ...]] = ("position", "id")

    def siblings(self) -> list:
        cls = type(self)
        query = (
            select(cls)
            .where(*(getattr(cls, key) == getattr(self, key) for key in self.sibling_keys))
            .order_by(*(getattr(cls, column) for column in self.sibling_order))
        )
        return list(db.session.scalars(query))

    def move(self, offset: int) -> bool:
        """Move up (-1) or down (+1) among the siblings; False when already at that end."""
        siblings = self.siblings()
        index = siblings.index(self)
        target = index + offset
        if not 0 <= target < len(siblings):
            return False
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                sibling.position = position
        return True

"""``EncryptedTextField``: text sealed with AES-GCM at rest, plaintext on the model instance.

The database holds only sealed text (see safeshare.core.crypto). The associated data is
``<table>|<primary key>|<column>``, so a value moved to another row or column fails to open, and a
tampered value raises ``DecryptionError`` when read: it is never returned as if it were the text.

Values are opened lazily, on first attribute access, because opening needs the row's primary key.
Encrypted columns cannot be filtered on (only ``isnull``) and a queryset ``update()`` or
``bulk_update()`` with plaintext is refused rather than storing plaintext.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from safeshare.core import crypto, keys


class Sealed(str):
    """Sealed text as read from the database, not yet opened."""

    __slots__ = ()


def associated_data(instance: models.Model, field: models.Field[Any, Any]) -> bytes:
    table = instance._meta.db_table
    return f"{table}|{instance.pk}|{field.column}".encode()


class EncryptedAttribute(DeferredAttribute):
    """Data descriptor that opens sealed values on first access and caches the plaintext."""

    def __get__(self, instance: models.Model | None, cls: type | None = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            try:
                ring = keys.keyring_holding(crypto.key_id_of(value))
            except crypto.DecryptionError:
                ring = keys.keyring()  # not a sealed value: open_sealed says so below
            value = crypto.open_sealed(
                value, associated_data=associated_data(instance, self.field), keyring=ring
            )
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField whose value is stored sealed. Allows ``null``; "" is sealed like any text."""

    descriptor_class = EncryptedAttribute

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        if value is None:
            return None
        return Sealed(value)

    def to_python(self, value: Any) -> Any:
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"{self.name} takes text, not {type(value).__name__}")
        return Sealed(
            crypto.seal(
                value,
                associated_data=associated_data(model_instance, self),
                keyring=keys.keyring(),
            )
        )

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Sealed):
            return None if value is None else str(value)
        raise TypeError(
            f"{self.model.__name__}.{self.name} is encrypted: it cannot be compared or updated "
            "with plaintext in a query; load the row and save it"
        )

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def value_from_object(self, obj: models.Model) -> Any:
        return getattr(obj, self.attname)


def reseal(instance: models.Model, field: EncryptedTextField) -> Sealed | None:
    """The current plaintext of ``field`` sealed under the active key (used by key rotation)."""
    return field.pre_save(instance, add=False)  # type: ignore[no-any-return]

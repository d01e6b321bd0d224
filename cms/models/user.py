"""People who sign in to the studio, their sessions and their one-time set-password links.
Only hashes are stored: of the password (Argon2id), of each session id and of each link."""

from tortoise import fields
from tortoise.models import Model

from cms.models.token import Role


class User(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    display_name = fields.CharField(max_length=100)
    role = fields.CharEnumField(Role, max_length=16)
    active = fields.BooleanField(default=True)
    # Null until the user has chosen a password through their set-password link.
    password_hash = fields.CharField(max_length=255, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_sign_in_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user_account"
        ordering = ("email",)


class UserSession(Model):
    """A signed-in browser. The cookie holds a random id, this row only its SHA-256, so a
    copy of the database signs nobody in. Ended (``ended_at``) at sign-out or deactivation."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "cms.User", related_name="sessions", on_delete=fields.CASCADE
    )
    session_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    ip = fields.CharField(max_length=45, null=True)
    user_agent = fields.CharField(max_length=500, null=True)

    user_id: int

    class Meta:
        table = "user_session"
        indexes = (("user_id", "ended_at"),)


class PasswordLink(Model):
    """A one-time link to choose a password (printed by ``cms user create``)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "cms.User", related_name="password_links", on_delete=fields.CASCADE
    )
    link_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    user_id: int

    class Meta:
        table = "password_link"

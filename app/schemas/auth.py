"""Request and response shapes of the auth and user routes (docs/api.md#user, docs/api.md#auth-and-users)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.schemas.base import RequestModel

Username = Annotated[str, Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")]
Password = Annotated[str, Field(min_length=8, max_length=1024)]
Role = Literal["read", "write", "admin"]


class User(BaseModel):
    id: int
    username: str
    role: Role
    created_at: str
    last_login_at: str | None


class UserRef(BaseModel):
    id: int
    username: str
    role: Role


class UserEnvelope(BaseModel):
    user: User


class AuthStatus(BaseModel):
    setup_required: bool
    authenticated: bool
    user: UserRef | None


class SignupRequest(RequestModel):
    username: Username
    password: Password


class LoginRequest(RequestModel):
    username: Annotated[str, Field(min_length=1, max_length=1024, pattern=r"\S")]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class PasswordChangeRequest(RequestModel):
    current_password: Annotated[str, Field(max_length=1024)]
    new_password: Password


class UserCreateRequest(RequestModel):
    username: Username
    password: Password
    role: Role


class UserPatchRequest(RequestModel):
    role: Role | None = None
    password: Password | None = None

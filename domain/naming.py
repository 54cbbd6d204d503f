"""How a person of the pipeline is named in messages ("đảng viên dự bị Lê Thị Hoa (N12)")."""

from __future__ import annotations

from typing import Protocol

from domain import texts
from domain.errors import RuleError


class Person(Protocol):
    full_name: str
    code: str
    stage: str


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def who(person: Person, stage: str | None = None) -> str:
    """The person titled by their stage (or by `stage`, e.g. the one before a change)."""
    return texts.WHO[stage or person.stage].format(name=person.full_name, code=person.code)


def stage_name(person: Person) -> str:
    return texts.STAGE_NAMES[person.stage]


def wrong_stage(template: str, person: Person) -> RuleError:
    """"{Who} hiện là {stage} …": the person is named without the stage title, which the
    sentence states ("Đồng chí Nguyễn Văn An (N1) hiện là đảng viên dự bị …")."""
    plain = texts.WHO_PLAIN[person.stage].format(name=person.full_name, code=person.code)
    return RuleError(template.format(Who=cap(plain), stage=stage_name(person)))

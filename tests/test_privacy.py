"""Personal data never appears in clear: not in a repr or str, an error message, nor in the
``errors()`` or ``json()`` of a validation error.

Citizen IDs, phone numbers, e-mail addresses and names are drawn by hypothesis and put into
every field of every model of the models layer (where they are valid and where they are not),
into the data of moves, and into every model the library exports; then every text the library
produced is searched for them.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import timedelta
from functools import partial
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from vss_care_core.errors import CareCoreError
from vss_care_core.models import (
    Answer,
    Attachment,
    CareModel,
    Classification,
    Event,
    Individual,
    Inquiry,
    InquiryKind,
    Organization,
    PhoneNumber,
    fold_vietnamese,
    words,
)
from vss_care_core.models._base import HIDDEN_INPUT
from vss_care_core.process import check_answer, open_case
from vss_care_core.testing import DEFAULT_TIME, citizen_ids, make_inquiry, phone_numbers

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Hoài"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Lan", "Mai", "Phương", "Tâm", "Yến"]
DOMAINS = ["gmail.com", "example.vn", "yahoo.com.vn", "vss.gov.vn"]


@dataclass(frozen=True)
class Personal:
    """A piece of personal data: how it is written, and every form that must never show."""

    kind: str
    text: str
    forms: tuple[str, ...]


def _name(family: str, middle: str, given: str) -> Personal:
    text = f"{family} {middle} {given}"
    return Personal("name", text, (text, fold_vietnamese(text)))


def _phone(phone: PhoneNumber, spaced: bool) -> Personal:
    local = phone.local
    text = f"{local[:4]} {local[4:7]} {local[7:]}" if spaced else local
    return Personal("phone", text, (text, local, phone.value, phone.value[3:]))


def _email(user: str, number: int, domain: str) -> Personal:
    local = f"{user}{number}"
    text = f"{local}@{domain}"
    return Personal("email", text, (text, local))


PERSONAL = st.one_of(
    st.builds(_name, st.sampled_from(FAMILY), st.sampled_from(MIDDLE), st.sampled_from(GIVEN)),
    citizen_ids().map(lambda cid: Personal("citizen_id", cid.value, (cid.value,))),
    st.builds(_phone, phone_numbers(), st.booleans()),
    st.builds(
        _email,
        st.sampled_from(["an.nguyen", "binh.tran", "lan.le", "tam_pham"]),
        st.integers(10, 99),
        st.sampled_from(DOMAINS),
    ),
)


def assert_hidden(personal: Personal, texts: list[str], where: str) -> None:
    for text in texts:
        for form in personal.forms:
            assert form not in text, f"{personal.kind} shown in clear by {where}: {text!r}"


def texts_of_error(error: BaseException) -> list[str]:
    texts = [str(error), repr(error)]
    if isinstance(error, ValidationError):
        texts += [error.json(), str(error.errors())]
        assert {item["input"] for item in error.errors()} == {HIDDEN_INPUT}
    return texts


def builds(model: Any, values: dict[str, Any]) -> list[Callable[[], object]]:
    """The three ways to make a model from values: from Python, by keywords, from JSON."""
    return [
        partial(model.model_validate, values),
        partial(model, **values),
        partial(model.model_validate_json, json.dumps(values, default=str)),
    ]


def outcome(build: Callable[[], object]) -> list[str]:
    """Every text produced by ``build``: the value's repr and str, or the error's."""
    try:
        value = build()
    except (ValidationError, CareCoreError, TypeError) as error:
        # TypeError: an unknown keyword given to Event(...), refused by Python itself
        return texts_of_error(error)
    return [repr(value), str(value)]


# -- every field of every model of the models layer -------------------------------------------

INDIVIDUAL = {
    "name": "Trần Thị Bình",
    "citizen_id": "001203004567",
    "social_insurance_number": "7912345678",
    "phone": "0987654321",
    "email": "binh.tran@example.vn",
    "address": "5 Lê Lợi, Quận 1",
    "province": "Hà Nội",
}
ORGANIZATION = {
    "type": "organization",
    "name": "Công ty TNHH An Phát",
    "tax_code": "0100233488",
    "unit_code": "YN0001A",
    "contact_person": "Lê Văn Cường",
    "phone": "02438251234",
    "email": "lienhe@anphat.vn",
    "address": "12 Hàng Bài",
    "province": "Hà Nội",
}
ATTACHMENT = {"filename": "scan.pdf", "media_type": "application/pdf", "size_bytes": 10}
CLASSIFICATION = {"kind": "question", "policy_areas": ["social"], "topic": "pension"}
ANSWER = {"text": "Lương hưu được tính theo số năm đóng.", "legal_basis": ["Luật BHXH 2024"]}
INQUIRY = {
    "id": "inq-1",
    "channel": "email",
    "received_at": "2026-03-02T09:00:00+07:00",
    "requester": INDIVIDUAL,
    "subject": "Lương hưu",
    "content": "Lương hưu được tính thế nào?",
    "policy_areas": ["social"],
    "kind": "question",
    "topic": "pension",
    "priority": "normal",
    "language": "vi",
    "attachments": [ATTACHMENT],
    "related": ["inq-0"],
    "reference": "CV-12",
}
EVENT = {
    "case_id": "c-1",
    "seq": 1,
    "at": "2026-03-02T09:00:00+07:00",
    "by": "agent-7",
    "action": "open",
    "to_state": "greet",
    "step": None,
    "from_state": None,
    "data": {"note": "gọi lại"},
    "id": "e-1",
}
MODELS: list[tuple[Any, dict[str, Any]]] = [
    (Individual, INDIVIDUAL),
    (Organization, ORGANIZATION),
    (Attachment, ATTACHMENT),
    (Classification, CLASSIFICATION),
    (Answer, ANSWER),
    (Inquiry, INQUIRY),
    (Event, EVENT),
]


def field_names(model: Any) -> list[str]:
    if model is Event:
        return [f.name for f in fields(Event)]
    return list(model.model_fields)


def placements(text: str) -> Iterator[tuple[Any, str, dict[str, Any]]]:
    """(model, where, values): ``text`` alone, too long, in a list and in a mapping, in each
    field; in the fields of an inquiry's requester and attachment; in an unknown field."""
    shapes = [text, f"{text} " + "x" * 600, [text], {"v": text}]
    for model, base in MODELS:
        for name in field_names(model):
            for shape in shapes:
                yield model, name, {**base, name: shape}
        yield model, "an unknown field", {**base, "ghi_chu": text}
    for requester in (INDIVIDUAL, ORGANIZATION):
        for name in requester:
            yield Inquiry, f"requester.{name}", {**INQUIRY, "requester": {**requester, name: text}}
    for name in ATTACHMENT:
        attachment = {**ATTACHMENT, name: text}
        yield Inquiry, f"attachments.{name}", {**INQUIRY, "attachments": [attachment]}
    deep = {"note": text, "answer": {"text": f"Gửi {text}", "list": [text, {"x": text}]}}
    yield Event, "data", {**EVENT, "data": deep}
    yield Event, "data", {**EVENT, "data": {"note": text, "score": float("nan")}}


@given(PERSONAL)
@settings(max_examples=40)
def test_models_never_show_personal_data(personal: Personal) -> None:
    """Valid or not, wherever it is put, the value never shows in clear."""
    for model, where, values in placements(personal.text):
        for build in builds(model, values):
            assert_hidden(personal, outcome(build), f"{model.__name__}.{where}")


@given(PERSONAL)
def test_assignment_to_a_frozen_model_hides_the_value(personal: Personal) -> None:
    """Trying to change a field raises an error that does not carry the new value."""
    for model, base in MODELS:
        if model is Event:
            continue
        value = model.model_validate(base)
        for name in field_names(model):

            def assign(value: Any = value, name: str = name) -> None:
                setattr(value, name, personal.text)

            assert_hidden(personal, outcome(assign), f"{model.__name__}.{name} = ...")


# -- moves ------------------------------------------------------------------------------------

GOOD_DRAFT = (
    "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền lương tháng "
    "đóng BHXH, theo Điều 66 Luật BHXH 2024."
)


def requester_holding(personal: Personal) -> dict[str, str]:
    field = {"name": "name", "citizen_id": "citizen_id", "phone": "phone", "email": "email"}
    return {field[personal.kind]: personal.text}


@given(PERSONAL, PERSONAL)
@settings(max_examples=40)
def test_moves_never_show_personal_data(personal: Personal, someone_else: Personal) -> None:
    """Notes, answers, reasons and actors of moves are masked in the history and in errors."""
    texts: list[str] = []
    inquiry = make_inquiry(
        requester=requester_holding(personal),
        subject=f"Hỏi giúp {personal.text}",
        content=f"Tôi là {personal.text}, lương hưu của tôi được tính thế nào?",
    )
    texts += [repr(inquiry), str(inquiry)]
    at = DEFAULT_TIME
    case = open_case(inquiry, at=at, by=personal.text)
    moves: list[tuple[str, str | None, dict[str, Any]]] = [
        ("fire", "request_info", {"note": f"Xin số BHXH của {personal.text}"}),
        ("fire", "provide_info", {"note": personal.text, "verified": True}),
        ("complete", "intake", CLASSIFICATION),
        ("complete", "assign", {"unit": "CCC", "assignee": personal.text}),
        ("complete", "draft", {"answer": f"{GOOD_DRAFT} Liên hệ {someone_else.text}."}),
        ("complete", "review", {}),
        ("fire", "return_draft", {"reasons": [f"bỏ thông tin của {someone_else.text}"]}),
        ("complete", "draft", {"answer": f"{GOOD_DRAFT} Gửi {personal.text}."}),
        ("complete", "review", {}),
    ]
    for kind, action, data in moves:
        at += timedelta(minutes=5)
        try:
            if kind == "fire":
                event = case.fire(str(action), at=at, by=personal.text, **data)
            else:
                event = case.complete(case.state, at=at, by="officer-1", **data)
        except CareCoreError as error:
            texts += texts_of_error(error)
        else:
            texts += [repr(event), str(event)]
    texts += [repr(case.history), str(case.history), repr(case)]
    for who in (personal, someone_else):
        assert_hidden(who, texts, "a move")


@given(st.sampled_from(FAMILY), st.sampled_from(MIDDLE), st.sampled_from(GIVEN))
def test_checklist_never_quotes_the_question(family: str, middle: str, given: str) -> None:
    """An answer beside the point is refused without quoting the question's words (they may
    be the requester's name)."""
    name = f"{family} {middle} {given}"
    inquiry = make_inquiry(subject=name, content=f"Tôi là {name}, hỏi chế độ thai sản")
    answer = Answer(text="Chúng tôi đã nhận được yêu cầu và sẽ trả lời trong thời hạn sớm nhất.")
    problems = check_answer(inquiry, answer, kind=InquiryKind.QUESTION)
    assert any("does not address the question" in problem for problem in problems)
    for problem in problems:
        for word in words(f"{name} thai san"):
            assert re.search(rf"\b{word}\b", fold_vietnamese(problem)) is None, problem


# -- every model the library exports -----------------------------------------------------------

SUBPACKAGES = ["models", "process", "calendar", "sla", "routing", "monitoring", "simulation"]


def exported_models() -> list[type[Any]]:
    found: dict[str, type[Any]] = {}
    for name in ["vss_care_core", *(f"vss_care_core.{sub}" for sub in SUBPACKAGES)]:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", []):
            value = getattr(module, public)
            if inspect.isclass(value) and (issubclass(value, BaseModel) or value is Event):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


EXPORTED = exported_models()


def test_every_exported_model_is_discreet() -> None:
    """The library exports pydantic models only through CareModel (and the Event dataclass)."""
    assert len(EXPORTED) > 20
    assert all(model is Event or issubclass(model, CareModel) for model in EXPORTED)


@given(PERSONAL)
@settings(max_examples=15)
def test_exported_models_refuse_without_the_input(personal: Personal) -> None:
    """Every exported model, given the value in every field and in an unknown one, refuses
    with errors whose input is hidden and whose messages do not repeat it."""
    for model in EXPORTED:
        values = dict.fromkeys(field_names(model), personal.text) | {"ghi_chu": personal.text}
        for build in builds(model, values):
            try:
                build()
            except (ValidationError, TypeError) as error:
                assert_hidden(personal, texts_of_error(error), model.__qualname__)
            else:
                raise AssertionError(f"{model.__qualname__} accepted an unknown field")

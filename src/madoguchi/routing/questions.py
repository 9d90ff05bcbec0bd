"""The guided question flow, as data, shared by `madoguchi ask` and the web app."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

END = "end"


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str
    label: str
    easy: str | None = None
    next: str | None = None


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str
    easy: str | None = None
    type: Literal["single", "multi", "prefecture"]
    choices: list[Choice] = []
    optional: bool = False
    next: str = END

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


class QuestionFlow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: str
    questions: list[Question]

    @model_validator(mode="after")
    def _links(self) -> QuestionFlow:
        ids = {q.id for q in self.questions}
        targets = [self.start] + [q.next for q in self.questions]
        targets += [c.next for q in self.questions for c in q.choices if c.next]
        broken = [t for t in targets if t != END and t not in ids]
        if broken:
            raise ValueError(f"questions.yaml: 存在しない質問への遷移: {broken}")
        return self

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def next_after(self, question_id: str, answer: str | list[str] | None) -> str:
        """The id of the question after `question_id` given its answer, or END."""
        question = self.get(question_id)
        if question is None:
            return END
        if isinstance(answer, str):
            chosen = question.choice(answer)
            if chosen is not None and chosen.next:
                return chosen.next
        return question.next

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@functools.cache
def load_questions() -> QuestionFlow:
    text = (resources.files("madoguchi.routing") / "questions.yaml").read_text(encoding="utf-8")
    return QuestionFlow.model_validate(yaml.safe_load(text))

"""Evidence checklists per dispute-resolution channel (plan clause 4: 分渠道的证据标准).

Why data, not code: the expectations come from different texts per channel (trademark and patent
law for enforcement, the adjudication guide, the arbitration law, the Supreme People's Court IP
evidence rules, the State Council's criminal-transfer regulation) and change with them. Each
deposit may say what it proves (``Deposit.category``); a checklist compares the categories present
with what a channel requires and recommends, so a complainant sees what is missing before the
officer, mediator or court has to ask — the first pain of the plan, 举证难.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data") / "channel_checklists.json"


@functools.cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def categories() -> dict[str, dict[str, str]]:
    """Evidence categories: code → {"label", "examples"}."""
    return _data()["categories"]


def category_choices() -> list[tuple[str, str]]:
    return [(code, c["label"]) for code, c in categories().items()]


def channels() -> dict[str, dict]:
    return _data()["channels"]


@dataclass(frozen=True)
class ChecklistItem:
    category: str
    label: str
    examples: str
    required: bool
    present: int  # how many deposits of this category are attached


@dataclass(frozen=True)
class Checklist:
    channel: str
    channel_label: str
    source: str
    version: str
    items: list[ChecklistItem]

    @property
    def missing_required(self) -> list[ChecklistItem]:
        return [i for i in self.items if i.required and not i.present]

    @property
    def missing_recommended(self) -> list[ChecklistItem]:
        return [i for i in self.items if not i.required and not i.present]

    @property
    def complete(self) -> bool:
        return not self.missing_required

    def as_dict(self) -> dict:
        return {
            "channel": self.channel, "channel_label": self.channel_label, "source": self.source,
            "version": self.version, "complete": self.complete,
            "missing_required": [i.category for i in self.missing_required],
            "missing_recommended": [i.category for i in self.missing_recommended],
            "items": [{"category": i.category, "label": i.label, "examples": i.examples, "required": i.required,
                       "present": i.present} for i in self.items],
        }


def evaluate(channel: str, present: Iterable[str]) -> Checklist:
    """The channel's checklist against the categories of the evidence at hand (a category may repeat)."""
    spec = channels().get(channel)
    if spec is None:
        raise KeyError(channel)
    counts: dict[str, int] = {}
    for category in present:
        if category:
            counts[category] = counts.get(category, 0) + 1
    cats = categories()
    items = [ChecklistItem(c, cats[c]["label"], cats[c]["examples"], required, counts.get(c, 0))
             for required, codes in ((True, spec["required"]), (False, spec["recommended"])) for c in codes]
    return Checklist(channel=channel, channel_label=spec["label"], source=spec["source"],
                     version=_data()["version"], items=items)

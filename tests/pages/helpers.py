"""Reading the pages' HTML in tests: the timeline's blocks by row, form controls and labels."""

from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser


@dataclass(frozen=True)
class Block:
    row: str
    start: datetime
    end: datetime
    users: tuple[str, ...]
    text: str
    tip: str
    classes: tuple[str, ...]


class TimelineParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.row = ""
        self.blocks: list[Block] = []
        self.open_block: dict | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-row" in attributes:
            self.row = attributes["data-row"] or ""
        classes = (attributes.get("class") or "").split()
        if "block" in classes:
            self.open_block = {**attributes, "text": "", "classes": tuple(classes)}
            self.depth = 0
        elif self.open_block is not None:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.open_block is None:
            return
        if self.depth:
            self.depth -= 1
            return
        found = self.open_block
        self.blocks.append(
            Block(
                row=self.row,
                start=datetime.fromisoformat(found["data-start"]),
                end=datetime.fromisoformat(found["data-end"]),
                users=tuple(filter(None, found["data-users"].split(","))),
                text=found["text"].strip(),
                tip=found["title"],
                classes=found["classes"],
            )
        )
        self.open_block = None

    def handle_data(self, data):
        if self.open_block is not None:
            self.open_block["text"] += data


def timeline_blocks(html: str, row: str | None = None) -> list[Block]:
    parser = TimelineParser()
    parser.feed(html)
    return [block for block in parser.blocks if row is None or block.row == row]


def final_rows(blocks: list[Block]) -> list[tuple[str, datetime, datetime]]:
    """The final row's blocks as final_shifts rows: one per user, by start then username."""
    rows = [
        (user, block.start, block.end)
        for block in blocks
        if block.row == "final" and "gap" not in block.classes
        for user in block.users
    ]
    return sorted(rows, key=lambda row: (row[1], row[0]))


def api_rows(body: dict) -> list[tuple[str, datetime, datetime]]:
    rows = [
        (
            row["user_username"],
            datetime.fromisoformat(row["shift_start"]),
            datetime.fromisoformat(row["shift_end"]),
        )
        for row in body["results"]
    ]
    return sorted(rows, key=lambda row: (row[1], row[0]))

"""The series holds together: links resolve, the index lists every notebook, each notebook has its frame."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NUMBERED = sorted(path for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if not path.name.startswith("00_"))
LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)(?:#[^)]*)?\)")


def markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


def test_the_series_is_there():
    assert [path.name[:2] for path in NUMBERED] == [f"{n:02d}" for n in range(1, len(NUMBERED) + 1)]
    assert len(NUMBERED) >= 8


@pytest.mark.parametrize("path", [NOTEBOOKS / "00_index.ipynb", *NUMBERED], ids=lambda p: p.name)
def test_every_notebook_link_points_to_an_existing_notebook(path):
    targets = LINK.findall(markdown(path))
    assert targets, f"{path.name} links to no other notebook"
    missing = [target for target in targets if not (path.parent / target).is_file()]
    assert not missing, f"{path.name} links to missing notebooks: {missing}"


def test_the_index_lists_every_notebook():
    listed = set(LINK.findall(markdown(NOTEBOOKS / "00_index.ipynb")))
    assert {path.name for path in NUMBERED} <= listed


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_each_notebook_has_goals_time_summary_exercises_and_neighbours(path):
    text = markdown(path)
    assert re.search(r"you will", text, re.IGNORECASE), "says what you will learn or do"
    assert re.search(r"\*\*Time\*\*|minutes", text), "says how long it takes"
    assert "## Summary" in text and "## Exercises" in text
    number = int(path.name[:2])
    previous = {p.name for p in NUMBERED if int(p.name[:2]) == number - 1}
    following = {p.name for p in NUMBERED if int(p.name[:2]) == number + 1}
    links = set(LINK.findall(text))
    assert previous <= links, f"links back to {previous}"
    assert following <= links, f"links on to {following}"


def test_the_readme_lists_every_notebook():
    readme = (NOTEBOOKS.parent / "README.md").read_text(encoding="utf-8")
    local = [target for target in LINK.findall(readme) if "://" not in target]  # not the Binder badge
    assert {path.name for path in NUMBERED} <= {Path(target).name for target in local}
    missing = [target for target in local if not (NOTEBOOKS.parent / target).is_file()]
    assert not missing, f"README links to missing notebooks: {missing}"


# The Chinese edition (notebooks/zh/, built by tools/translations.py) keeps the same frame, in Chinese.
CHINESE = NOTEBOOKS / "zh"
CHINESE_NUMBERED = [CHINESE / path.name for path in NUMBERED]


def test_the_chinese_index_lists_every_chinese_notebook():
    listed = set(LINK.findall(markdown(CHINESE / "00_index.ipynb")))
    assert {path.name for path in CHINESE_NUMBERED} <= listed
    assert all((CHINESE / name).is_file() for name in listed if "/" not in name)


@pytest.mark.parametrize("path", CHINESE_NUMBERED, ids=lambda p: "zh/" + p.name)
def test_each_chinese_notebook_has_goals_time_summary_exercises_and_neighbours(path):
    text = markdown(path)
    assert "你将" in text, "says what you will learn (你将学到)"
    assert re.search(r"\*\*时间\*\*|分钟", text), "says how long it takes"
    assert "## 小结" in text and "## 练习" in text
    number = int(path.name[:2])
    neighbours = {p.name for p in CHINESE_NUMBERED if abs(int(p.name[:2]) - number) == 1}
    assert neighbours <= set(LINK.findall(text)), f"links to its neighbours {neighbours}"

"""The Chinese edition (notebooks/zh/), kept in step with the English notebooks by construction.

A Chinese notebook is never edited by hand. It is built from two sources:
  - the English notebook notebooks/NN_name.ipynb: every code cell, character for character, in the
    same order (so both editions compute the same numbers; the folder makes figures Chinese, see
    rnn_viz.language);
  - the translation store notebooks/zh/translations/NN_name.md: for each markdown cell of the English
    notebook, the English text it was translated from ("en" block) and its translation ("zh" block).

    python tools/translations.py check [NB ...]   what is missing or out of date (exit status 1 if anything)
    python tools/translations.py sync  [NB ...]   bring the stores up to date with the English notebooks:
        new English cells get an empty "zh" block; a changed English cell keeps its old translation,
        marked STALE, with the English it was made from, until a translator updates it
    python tools/translations.py build [NB ...]   write notebooks/zh/NN_name.ipynb from the English notebook
        and the store, then execute it in place and store its outputs (as `make notebooks` does)
    make zh [NB=04]   the same as build, in the project's venv
(NB: English notebook paths or their numbers, e.g. 04; default: all.)

`check` is what tests/test_translations.py runs: an English markdown cell changed without its
translation following fails the tests, as does a code cell that differs between the editions.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/execute_notebooks.py sits beside this file
from execute_notebooks import execute  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "notebooks"
CHINESE = ENGLISH / "zh"
STORES = CHINESE / "translations"

MARKER = re.compile(r"^<!-- =+ markdown (\d+) \(cell (\d+)\) · (en|zh) =+ -->$")
STALE = "<!-- STALE"
HEADER = """\
<!-- Translation of notebooks/{name} into Simplified Chinese (简体中文), one pair of blocks per markdown cell:
     "en" is the English cell the translation was made from, "zh" its translation. Edit only "zh" blocks;
     `python tools/translations.py sync` rewrites "en" blocks when the English notebook changes.
     Workflow: README.md, "The Chinese edition". -->
"""


@dataclass
class Entry:
    english: str  # the English markdown this translation was made from
    chinese: str  # its translation ("" = not translated yet)


def english_notebooks(selection=()) -> list[Path]:
    """The English notebooks, all or those named by path or number ("04")."""
    every = sorted(ENGLISH.glob("[0-9][0-9]_*.ipynb"))
    if not selection:
        return every
    chosen = []
    for item in selection:
        number = item.zfill(2) if item.isdigit() else item
        matches = [
            path for path in every if path.name[:2] == number or path.resolve() == Path(item).resolve()
        ]
        if not matches:
            raise SystemExit(
                f"no English notebook {item!r}: give a path like notebooks/04_bptt.ipynb or a number"
            )
        chosen += [path for path in matches if path not in chosen]
    return chosen


def store_path(english: Path) -> Path:
    return STORES / (english.stem + ".md")


def chinese_path(english: Path) -> Path:
    return CHINESE / english.name


def markdown_sources(notebook) -> list[tuple[int, str]]:
    """[(cell index, source)] of the markdown cells, trailing newlines dropped."""
    return [
        (i, cell.source.rstrip("\n")) for i, cell in enumerate(notebook.cells) if cell.cell_type == "markdown"
    ]


def read_store(path: Path) -> list[Entry]:
    """The entries of a translation store, in markdown-cell order."""
    blocks: dict[tuple[int, str], list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = MARKER.match(line)
        if match:
            current = (int(match.group(1)), match.group(3))
            if current in blocks:
                raise ValueError(f"{path}: markdown {current[0]} has two {current[1]!r} blocks")
            blocks[current] = []
        elif current is not None:
            blocks[current].append(line)
    count = 1 + max((k for k, _ in blocks), default=-1)
    entries = []
    for k in range(count):
        if (k, "en") not in blocks or (k, "zh") not in blocks:
            raise ValueError(f"{path}: markdown {k} needs both an 'en' and a 'zh' block")
        entries.append(Entry(*("\n".join(blocks[k, lang]).strip("\n") for lang in ("en", "zh"))))
    return entries


def write_store(path: Path, english: Path, entries: list[Entry], cell_indices: list[int]) -> None:
    parts = [HEADER.format(name=english.name)]
    for k, (entry, index) in enumerate(zip(entries, cell_indices)):
        parts.append(f"\n<!-- ==== markdown {k} (cell {index}) · en ==== -->\n{entry.english}\n")
        parts.append(f"\n<!-- ==== markdown {k} (cell {index}) · zh ==== -->\n{entry.chinese}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")


def sync(english: Path, path: Path | None = None) -> list[str]:
    """Update the store of `english` (at `path`, default its place in STORES) to its current markdown cells.
    -> what changed, in words."""
    notebook = read_notebook(english)
    cells = markdown_sources(notebook)
    path = path or store_path(english)
    try:
        old = read_store(path) if path.exists() else []
    except (ValueError, OSError, UnicodeDecodeError) as error:
        raise SystemExit(f"{path}: cannot be read: {error}") from None
    unused = list(range(len(old)))
    entries, changes = [], []
    for k, (index, source) in enumerate(cells):
        same = next((j for j in unused if old[j].english == source), None)
        if same is not None:
            unused.remove(same)
            entries.append(old[same])
        elif k < len(old) and old[k].chinese:
            note = (
                f"{STALE}: the English cell changed. It was translated from:\n{old[k].english}\nUpdate the "
            )
            note += "translation below to the English above, then delete this comment. -->"
            entries.append(Entry(source, note + "\n" + old[k].chinese))
            changes.append(f"markdown {k} (cell {index}) changed: its translation is marked STALE")
        else:
            entries.append(Entry(source, ""))
            changes.append(f"markdown {k} (cell {index}) is new: it needs a translation")
    write_store(path, english, entries, [index for index, _ in cells])
    return changes


NON_PROSE = re.compile(r"<!--.*?-->|```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]*>", re.S)
CJK = re.compile(r"[\u4e00-\u9fff]")


def strip_non_prose(text: str) -> str:
    """The text without HTML comments, code, mathematics, link targets and HTML tags."""
    return NON_PROSE.sub(" ", text)


def glossary_misses(english_text: str, chinese_text: str) -> list[str]:
    """Glossary terms the English prose uses whose Chinese term the translation's prose does not."""
    from rnn_viz.language import GLOSSARY

    prose, chinese_prose = strip_non_prose(english_text), strip_non_prose(chinese_text)
    misses = []
    for english_term, chinese_term in GLOSSARY:
        pattern = r"\b" + re.escape(english_term) + r"(s|es)?\b"
        if re.search(pattern, prose, re.IGNORECASE) and chinese_term not in chinese_prose:
            misses.append(f"{english_term!r} -> {chinese_term!r}")
        prose = re.sub(pattern, " ", prose, flags=re.IGNORECASE)  # "truncated BPTT" is not also "BPTT"
    return misses


def looks_untranslated(english_text: str, chinese_text: str) -> str | None:
    """Why a zh block still reads as English, or None: no Chinese character at all where the English has
    prose, or a run of 8 or more English words outside code, mathematics, links, HTML and quotations."""
    prose = strip_non_prose(chinese_text)
    prose = re.sub(
        r"“[^”]*”|\"[^\"]*\"|「[^」]*」|（[^）]*）|\([^)]*\)", " ", prose
    )  # quoted titles, printed output
    english_words = len(re.findall(r"[A-Za-z]{3,}", strip_non_prose(english_text)))
    if english_words >= 3 and not CJK.search(chinese_text):
        return "it has no Chinese character (is it the English copied?)"
    run = re.search(r"(?:\b[A-Za-z][A-Za-z'-]*[ ,;:]+){7,}[A-Za-z][A-Za-z'-]*", prose)
    if run:
        return f"it still has an English sentence: {run.group(0)[:60]!r}"
    return None


def store_problems(english: Path, store: Path | None = None) -> list[str]:
    """What keeps the translation store of `english` from being complete and current ([] = complete)."""
    store = store or store_path(english)
    if not store.is_file():
        return [f"{english.name}: no translation store {store.name} in {store.parent} (run: sync)"]
    cells = markdown_sources(read_notebook(english))
    try:
        entries = read_store(store)
    except (ValueError, OSError, UnicodeDecodeError) as error:
        return [f"{store}: cannot be read: {error}"]
    found = []
    if len(entries) != len(cells):
        found.append(
            f"{english.name}: {len(cells)} markdown cells, but the store has {len(entries)} (run: sync)"
        )
    for k, ((index, source), entry) in enumerate(zip(cells, entries)):
        where = f"{english.name}, markdown {k} (cell {index})"
        if entry.english != source:
            found.append(f"{where}: the English changed since it was translated (run: sync, then translate)")
        elif not entry.chinese.strip():
            found.append(f"{where}: not translated")
        elif STALE in entry.chinese:
            found.append(f"{where}: the translation is marked STALE")
        else:
            found += [
                f"{where}: glossary term not used: {miss}" for miss in glossary_misses(source, entry.chinese)
            ]
            untranslated = looks_untranslated(source, entry.chinese)
            if untranslated:
                found.append(f"{where}: {untranslated}")
    return found


def notebook_problems(english: Path, store: Path | None = None, chinese: Path | None = None) -> list[str]:
    """What keeps the Chinese notebook from being exactly the English one with the store's translations."""
    chinese = chinese or chinese_path(english)
    if not chinese.is_file():
        return [f"{english.name}: the Chinese notebook zh/{chinese.name} is missing (run: make zh)"]
    notebook, built = read_notebook(english), read_notebook(chinese)
    where = f"zh/{chinese.name}"
    if [c.cell_type for c in built.cells] != [c.cell_type for c in notebook.cells]:
        return [f"{where}: its cells are not the English notebook's cells (run: build)"]
    found = []
    for key in ("kernelspec", "language_info"):
        if built.metadata.get(key) != notebook.metadata.get(key):
            found.append(f"{where}: its notebook metadata {key!r} differs from the English (run: build)")
    translations = iter(read_store(store or store_path(english)))
    for index, (ours, theirs) in enumerate(zip(built.cells, notebook.cells)):
        if ours.cell_type == "markdown":
            if ours.source.rstrip("\n") != next(translations).chinese:
                found.append(f"{where}, cell {index}: differs from its translation in the store (run: build)")
        elif ours.source != theirs.source:
            found.append(f"{where}, cell {index}: the {ours.cell_type} differs from the English (run: build)")
        if plain_metadata(ours) != plain_metadata(theirs):
            found.append(
                f"{where}, cell {index}: its metadata (tags, ...) differ from the English (run: build)"
            )
        if ours.get("attachments") != theirs.get("attachments"):
            found.append(f"{where}, cell {index}: its attachments differ from the English (run: build)")
    return found


def plain_metadata(cell) -> dict:
    """A cell's metadata without what execution writes (timings)."""
    return {
        key: value
        for key, value in cell.metadata.items()
        if key not in ("execution", "collapsed", "scrolled")
    }


def problems(english: Path, store: Path | None = None, chinese: Path | None = None) -> list[str]:
    """Everything that keeps the Chinese edition of `english` from matching it ([] = in step)."""
    return store_problems(english, store) or notebook_problems(english, store, chinese)


def read_notebook(path: Path):
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError) as error:  # nbformat's NotJSONError is a ValueError
        raise SystemExit(f"{path}: cannot be read as a notebook: {error}") from None


def build(english: Path) -> Path:
    """Write the Chinese notebook of `english` (outputs cleared). Refuses while the store has problems."""
    incomplete = store_problems(english)
    if incomplete:
        raise SystemExit("cannot build, the translation is not complete:\n  " + "\n  ".join(incomplete))
    notebook = read_notebook(english)
    translations = iter(read_store(store_path(english)))
    built = copy.deepcopy(notebook)
    for cell in built.cells:
        if cell.cell_type == "markdown":
            cell.source = next(translations).chinese
        elif cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    path = chinese_path(english)
    nbformat.write(built, path)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "sync", "build"])
    parser.add_argument("notebooks", nargs="*", help="English notebooks (paths or numbers); default: all")
    args = parser.parse_args(argv)
    status = 0
    for english in english_notebooks(args.notebooks):
        if args.command == "sync":
            for change in sync(english):
                print(f"{english.name}: {change}")
        elif args.command == "build":
            path = build(english)
            print(f"wrote {path.relative_to(ROOT)}; executing it", flush=True)
            execute(path)
        else:
            found = problems(english)
            status |= bool(found)
            print("\n".join(found) if found else f"{english.name}: in step")
    return status


if __name__ == "__main__":
    sys.exit(main())

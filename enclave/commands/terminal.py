"""Consoles and progress for people at a terminal, and plain output for files and pipes.

No width is fixed here: rich takes the terminal's width, or ``COLUMNS``, or 80 columns when the output is
a file or a pipe. Progress goes to stderr and only when stderr is a terminal, so CI logs and redirected
reports carry no spinners.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.padding import Padding
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text


def console(file: IO[str] | None = None) -> Console:
    """Where a report goes: the terminal (its width, colours), or ``file`` (plain text, ``COLUMNS`` or 80)."""
    if file is None:
        return Console(highlight=False)
    return Console(file=file, highlight=False, no_color=True, force_terminal=False)


def progress_console() -> Console:
    return Console(stderr=True, highlight=False)


# update(description, completed, total): absolute counts (total may grow as work is discovered).
Update = Callable[[str, int, int], None]


@contextmanager
def progress(label: str, total: int, on: Console | None = None) -> Iterator[Update]:
    """A transient progress bar on a terminal's stderr; a no-op callback anywhere else."""
    target = on or progress_console()
    if not target.is_terminal:
        yield lambda _description, _steps, _total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=target, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def update(description: str, completed: int, new_total: int) -> None:
            text = f"{label}: {description}" if description else label
            bar.update(task, description=text, completed=completed, total=new_total)

        yield update


# Below this width a table of more than four columns folds ids and dates mid-word; records read better.
WIDE = 120


def print_records(
    out: Console, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], styles: Sequence[str] = ()
) -> None:
    """A table on a wide terminal; on a narrow one (80 columns) one block per row: the first value whole on
    its own line, then ``column: value`` lines, indented and wrapped at the terminal's width."""
    if out.width >= WIDE:
        table = Table(title=title)
        for i, column in enumerate(columns):
            table.add_column(column, no_wrap=i == 0)
        for i, row in enumerate(rows):
            table.add_row(*(Text(value) for value in row), style=styles[i] if i < len(styles) else "")
        out.print(table)
        return
    out.print(Text(title, style="bold"))
    for i, row in enumerate(rows):
        out.print(Text(row[0], style=f"bold {styles[i] if i < len(styles) else ''}".strip()))
        for column, value in zip(columns[1:], row[1:], strict=True):
            out.print(Padding(Text(f"{column}: {value}"), (0, 0, 0, 4)))

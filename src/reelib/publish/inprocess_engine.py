"""Run a notebook inside the current process, as a papermill engine.

A kernel costs every report a process start and a fresh import of pandas, seaborn and
statsmodels (~3 s). The build instead runs each report in a worker process forked from a
parent that imported the stack once (``reelib.publish.workers``), and executes the cells
there in an IPython shell. The outputs are captured the way ipykernel and nbclient
capture them -- streams, display data, execute results with their execution count,
errors with their traceback, matplotlib's inline backend -- so the executed notebook and
its HTML page are the same as a kernel's. nbval still tests notebooks in real kernels,
and ``reelib build --engine kernel`` runs papermill's usual kernel engine.

Registered with papermill as ``reelib-inprocess``; papermill still injects the
parameters, records its metadata and turns an error output into
``PapermillExecutionError``.
"""

from __future__ import annotations

import base64
import platform
import sys
import time
from typing import Any

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.engines import Engine, NotebookExecutionManager, papermill_engines
from traitlets import Type

ENGINE_NAME = "reelib-inprocess"
#: What an ipykernel Python kernel reports as the notebook's language_info.
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": platform.python_version(),
}
#: Seconds between saves of the executing notebook (papermill saves at every cell;
#: a timed-out report is kept as far as it got, a few seconds at most behind).
SAVE_EVERY = 2.0


def _encode(data: dict) -> dict:
    """Mime bundle as a kernel sends it: binary images base64-encoded, text as str."""
    out = {}
    for mime, value in data.items():
        if isinstance(value, (bytes, bytearray)):
            value = base64.b64encode(value).decode("ascii")
        out[mime] = value
    return out


#: the most text one cell's streams keep (characters); the rest is counted, not kept
MAX_STREAM_CHARS = 1_000_000


class _Outputs:
    """The outputs of the cell being executed (a list nbformat can write).

    Consecutive writes to one stream are collected as chunks and joined once, when the
    outputs are read: appending to one string re-copied everything written so far, which
    made a cell printing megabytes quadratic. A cell's streams keep at most
    ``MAX_STREAM_CHARS`` characters, followed by a note saying how much was cut.
    """

    def __init__(self) -> None:
        self._items: list[nbformat.NotebookNode] = []
        self._chunks: list[str] = []  # pending text of the last item (a stream)
        self._kept = 0
        self._cut = 0

    def _flush(self) -> None:
        if self._chunks:
            self._items[-1].text += "".join(self._chunks)
            self._chunks = []

    @property
    def items(self) -> list[nbformat.NotebookNode]:
        self._flush()
        if self._cut:
            note = (f"\n[reelib: output cut here; {self._cut:,} more characters were "
                    f"printed than the {MAX_STREAM_CHARS:,} a cell keeps]\n")
            last = next((o for o in reversed(self._items) if o.output_type == "stream"),
                        None)
            if last is not None and not last.text.endswith(note):
                last.text += note
        return self._items

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        room = MAX_STREAM_CHARS - self._kept
        if room <= 0:
            self._cut += len(text)
            return
        if len(text) > room:
            self._cut += len(text) - room
            text = text[:room]
        self._kept += len(text)
        last = self._items[-1] if self._items else None
        if last is not None and last.output_type == "stream" and last.name == name:
            self._chunks.append(text)  # ipykernel buffers a burst of writes into one message
        else:
            self._flush()
            self._items.append(nbformat.v4.new_output("stream", name=name, text=text))

    def add(self, output: nbformat.NotebookNode) -> None:
        self._flush()
        self._items.append(output)

    def clear(self) -> None:
        self._chunks, self._items[:] = [], []


class _Stream:
    """sys.stdout/sys.stderr replacement writing into the current cell's outputs."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str, outputs: _Outputs):
        self.name, self.outputs = name, outputs

    def write(self, text: str) -> int:
        self.outputs.stream(self.name, str(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError("notebook output has no file descriptor")


class _Publisher(DisplayPublisher):
    """display(): one display_data output per call, like ipykernel."""

    outputs: _Outputs | None = None

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                **kwargs) -> None:
        if update or self.outputs is None:
            return  # update_display_data is dropped by nbclient as well
        self.outputs.add(nbformat.v4.new_output(
            "display_data", data=_encode(data), metadata=metadata or {}))

    def clear_output(self, wait: bool = False) -> None:
        if self.outputs is not None:
            self.outputs.clear()


class _Hook(DisplayHook):
    """The value of a cell's last expression: one execute_result, like ipykernel."""

    outputs: _Outputs | None = None

    def start_displayhook(self) -> None:
        self._result: dict[str, Any] = {"data": {}, "metadata": {}}

    def write_output_prompt(self) -> None:
        self._result["execution_count"] = self.prompt_count

    def write_format_data(self, format_dict, md_dict=None) -> None:
        self._result["data"], self._result["metadata"] = _encode(format_dict), md_dict or {}

    def finish_displayhook(self) -> None:
        if self.outputs is not None and self._result["data"]:
            self.outputs.add(nbformat.v4.new_output(
                "execute_result", data=self._result["data"],
                metadata=self._result["metadata"],
                execution_count=self._result.get("execution_count")))


class Shell(InteractiveShell):
    """An IPython shell whose outputs go to a notebook cell instead of a terminal."""

    display_pub_class = Type(_Publisher)
    displayhook_class = Type(_Hook)

    def enable_gui(self, gui=None) -> None:
        """No event loop: inline figures need none (as in ipykernel)."""

    def _showtraceback(self, etype, evalue, stb) -> None:
        self._last_error = nbformat.v4.new_output(
            "error", ename=str(etype.__name__), evalue=str(evalue), traceback=stb)


_SHELL: Shell | None = None


def shell() -> Shell:
    """The process's shell, with matplotlib's inline backend as in a kernel."""
    global _SHELL
    if _SHELL is None:
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False  # forked shells would share one history session
        _SHELL = Shell.instance(config=config, colors="neutral")
        _SHELL.enable_matplotlib("inline")
        import pandas as pd

        # pandas picks display.max_columns when it is imported: 0 (fit the terminal) in a
        # terminal, 20 under a kernel. Reports are written as under a kernel.
        pd.set_option("display.max_columns", 20)
    return _SHELL


def run_cell(sh: Shell, source: str) -> tuple[list, int | None, nbformat.NotebookNode | None]:
    """Execute one cell; return (outputs, execution count, error output or None)."""
    outputs = _Outputs()
    sh.display_pub.outputs = sh.displayhook.outputs = outputs
    sh._last_error = None
    count = sh.execution_count
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream("stdout", outputs), _Stream("stderr", outputs)
    try:
        result = sh.run_cell(source, store_history=True)
    finally:
        sys.stdout, sys.stderr = saved
        sh.display_pub.outputs = sh.displayhook.outputs = None
    error = sh._last_error
    if error is None and not result.success:  # e.g. a syntax error reported elsewhere
        exc = result.error_in_exec or result.error_before_exec
        error = nbformat.v4.new_output("error", ename=type(exc).__name__, evalue=str(exc),
                                       traceback=[])
    if error is not None:
        outputs.add(error)
    return outputs.items, count, error


class _Manager(NotebookExecutionManager):
    """papermill's execution manager, saving at most every ``SAVE_EVERY`` seconds."""

    _last = 0.0

    def save(self, **kwargs):
        now = time.monotonic()
        if kwargs.pop("force", False) or now - self._last >= SAVE_EVERY:
            self._last = now
            super().save(**kwargs)


class InProcessEngine(Engine):
    """papermill engine executing the notebook's cells in this process's IPython shell."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=False,
                         log_output=False, autosave_cell_every=30, **kwargs):
        nb_man = _Manager(nb, output_path=output_path, progress_bar=False,
                          log_output=log_output, autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
            nb_man.save(force=True)
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, on_cell=None, **kwargs):
        sh = shell()
        nb_man.nb.metadata["language_info"] = dict(LANGUAGE_INFO)
        for index, cell in enumerate(nb_man.nb.cells):
            nb_man.cell_start(cell, index)
            if on_cell is not None:
                on_cell(index, cell)
            failed = False
            if cell.cell_type == "code" and cell.source.strip():
                outputs, count, error = run_cell(sh, cell.source)
                cell.outputs, cell.execution_count = outputs, count
                if error is not None:
                    nb_man.cell_exception(cell, cell_index=index)
                    failed = True
            nb_man.cell_complete(cell, cell_index=index)
            if failed:
                break


papermill_engines.register(ENGINE_NAME, InProcessEngine)

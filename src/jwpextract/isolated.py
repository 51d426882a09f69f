"""The documents of ``jwpextract text`` and ``jwpextract diff``, read under the limits ``extract``
holds each source to: in a worker process (:mod:`jwpextract.workers`) when a limit is set, else here.

Every failure is a :class:`~jwpextract.errors.SourceError` naming the document: its own reason,
"timed out after N s", "exceeded N memory", or an internal error in one line.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .batch import STDIN, WORKER_PRELOAD, display_name, init_worker, read_bytes, worker_rules
from .errors import SourceError, internal_error
from .limits import Limits, exceeded
from .sources import ENGINES, ReadOptions
from .workers import Pool, Stopped

if TYPE_CHECKING:
    from .models import CanonicalDocument
    from .rules import Rules

T = TypeVar("T")


def _guarded(path: str, read: Callable[[], T]) -> T | SourceError:
    """``read()``, or the SourceError it ends with (an unexpected error as one line)."""
    try:
        return read()
    except SourceError as exc:
        return exc
    except MemoryError:
        raise  # the worker reports it
    except Exception as exc:
        return SourceError(display_name(path), internal_error(exc))


def _text(source: str, options: ReadOptions, data: bytes | None, rules: Rules | None) -> str | SourceError:
    from .sources import read_source

    def read() -> str:
        content = read_bytes(source) if data is None else data
        return read_source(display_name(source), content, options, rules or worker_rules()).text

    return _guarded(source, read)


def _plan(path: str, options: ReadOptions, data: bytes | None, rules: Rules | None) -> CanonicalDocument | SourceError:
    from .diff import load_document
    from .pipeline import extract_bytes

    def read() -> CanonicalDocument:
        loaded = rules or worker_rules()
        if data is None:
            return load_document(path, loaded, options)
        return extract_bytes(display_name(path), data, loaded, options)

    return _guarded(path, read)


def _run(
    function: Callable[..., Any],
    paths: Sequence[str],
    options: ReadOptions,
    limits: Limits,
    rules: Rules,
    rules_dirs: Sequence[Path],
    preload: Sequence[str],
) -> list[Any]:
    """``function(path, options, data, rules)`` for each path, in workers (in parallel) when a limit is set;
    the values in order, the first failure raised."""
    if limits.timeout or limits.max_memory:
        data = {path: read_bytes(path, limits.max_memory) for path in paths if path == STDIN}
        calls = [(k, (function, (path, options, data.get(path), None))) for k, path in enumerate(paths)]
        init = (init_worker, (tuple(rules_dirs),))
        results: dict[Hashable, Any] = {}
        with Pool(len(paths), limits, init, [*preload, ENGINES.get(options.engine, ENGINES["pdfium"])]) as pool:
            pool.run(calls, results.__setitem__)
        values = [results[k] for k in range(len(paths))]
    else:
        values = []
        for path in paths:
            try:
                values.append(function(path, options, None, rules))
            except MemoryError:
                values.append(Stopped(exceeded(0)))
    for path, value in zip(paths, values, strict=True):
        if isinstance(value, Stopped):
            raise SourceError(display_name(path), value.reason)
        if isinstance(value, SourceError):
            raise value
    return values


def document_text(source: str, options: ReadOptions, limits: Limits, rules: Rules) -> str:
    """The document text of ``source`` (see :func:`jwpextract.sources.read_source`)."""
    return _run(_text, [source], options, limits, rules, (), ("jwpextract.sources.pdf",))[0]


def plans(
    paths: Sequence[str], options: ReadOptions, limits: Limits, rules: Rules, rules_dirs: Sequence[Path]
) -> list[CanonicalDocument]:
    """The plan of each path: an extracted plan (``.json``) read, a source extracted."""
    return _run(_plan, paths, options, limits, rules, rules_dirs, WORKER_PRELOAD)

"""Batching: rows grouped into batches of :data:`BATCH_SIZE` (one ``UNWIND $rows`` statement each), produced by a
background thread while Neo4j writes the previous batch, and the progress bar's estimate of the statements a load
runs."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path

from loaders.inputs import ontology_individuals
from loaders.rows import NodeRow

BATCH_SIZE = 5000
#: inputs at least this large are streamed (constant memory); smaller ones are mapped in memory first, which gives
#: the progress bar exact totals and needs no contiguous subject blocks (data/ is ~0.8 MB)
STREAM_MIN_BYTES = 4 * 1024 * 1024
#: progress(step description, batches done, batches in total)
Progress = Callable[[str, int, int], None]



def estimate_steps(files: Sequence[Path], batch_size: int, existing: int) -> int:
    """Statements a load will run, for the progress bar: ≈ 2 per batch of subject blocks (a block ends " .\n")."""
    blocks = sum(_count_in(path, b" .\n") for path in files) + len(ontology_individuals()) // 4
    return 2 * (blocks // batch_size + 1) + existing // batch_size + 2


def _count_in(path: Path, needle: bytes) -> int:
    count, tail = 0, b""
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            block = tail + chunk
            count += block.count(needle)
            tail = block[-(len(needle) - 1):]  # shorter than the needle: one split across chunks is found next time
    return count


def batched(rows: Iterable[NodeRow], size: int) -> Iterator[list[NodeRow]]:
    batch: list[NodeRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def prefetched(batches: Iterator[list[NodeRow]], depth: int = 1) -> Generator[list[NodeRow], None, None]:
    """``batches``, produced by a background thread: parsing and mapping the next batches (Python) overlaps with
    Neo4j writing the current one (the driver releases the GIL while it waits for the server)."""
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(_END)
        except BaseException as exc:  # noqa: BLE001 — handed to the consuming thread, which raises it
            put(_Failed(exc))

    worker = threading.Thread(target=produce, name="rdkg-load-mapper", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()

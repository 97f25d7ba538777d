"""Card rendering benchmark: batch PDF throughput, single-card latency, raster + panel split,
and peak memory of a large batch. Prints a table against the goals of issue 3.

    .venv/bin/python benchmarks/cards.py              # full run (100,000-card memory batch)
    .venv/bin/python benchmarks/cards.py --cards 10000

Every card has a distinct photo: a pool of distinct portraits, each card's JPEG made
byte-distinct by a comment segment carrying the card number, so no two pages share an image.
The process is pinned to one CPU core. The memory figure is the peak resident set size of a
fresh child process that only writes the batch (to a temporary file), interpreter included.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from printing import (  # noqa: E402
    CardData,
    iter_panels,
    panels_from_pdf,
    prepare_photo,
    prepare_signature,
    render_panels,
    render_pdf,
    write_batch_pdf,
)

GOALS = {
    "batch": 500.0,  # cards/s, one core
    "latency_p95": 10.0,  # ms
    "panels": 150.0,  # cards/s
    "memory": 200.0,  # MB for 100,000 cards
}


def portrait(seed: int) -> bytes:
    """A distinct synthetic portrait (background by birth-year parity, varied face)."""
    background = (200, 30, 35) if seed % 2 else (30, 80, 200)
    image = Image.new("RGB", (480, 640), background)
    draw = ImageDraw.Draw(image)
    shift = seed % 40
    draw.ellipse((140 + shift, 80, 340 + shift, 350), fill=(20 + seed % 50, 15, 10))
    draw.ellipse((165 + shift, 130, 315 + shift, 380), fill=(225, 180 - seed % 60, 150))
    draw.rectangle((60, 430, 420, 640), fill=(seed * 7 % 255, 40, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return prepare_photo(out.getvalue()).jpeg


def signature() -> bytes:
    image = Image.new("RGB", (900, 300), (235, 232, 225))
    draw = ImageDraw.Draw(image)
    draw.line([(90 + i * 36, 150 + 75 * (-1) ** i) for i in range(20)], fill=(20, 20, 60), width=6)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return prepare_signature(out.getvalue())


def with_comment(jpeg: bytes, number: int) -> bytes:
    comment = b"card %09d" % number
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


class Cards:
    """Endless distinct cards; photos come from a pool, made byte-distinct per card."""

    def __init__(self, pool_size: int = 64):
        self.photos = [portrait(i) for i in range(pool_size)]
        self.signature = signature()
        self.base = CardData(
            nik="3314011708810001", nama="BUDI SANTOSO", tempat_lahir="SRAGEN",
            tanggal_lahir=date(1981, 8, 17), jenis_kelamin="LAKI-LAKI", golongan_darah="O",
            alamat="JL. RAYA SUKOWATI NO. 12", rt="001", rw="002", kel_desa="SRAGEN WETAN",
            kecamatan="SRAGEN", agama="ISLAM", status_perkawinan="KAWIN",
            pekerjaan="WIRASWASTA", kewarganegaraan="WNI", berlaku_hingga="SEUMUR HIDUP",
            provinsi="JAWA TENGAH", kabupaten="KABUPATEN SRAGEN", tempat_terbit="SRAGEN",
            tanggal_terbit=date(2024, 5, 3),
        )

    def card(self, i: int) -> CardData:
        return dataclasses.replace(
            self.base,
            nik=f"331401170881{i % 9999 + 1:04d}",
            nama=("BUDI SANTOSO", "SITI AMINAH BINTI ABDULLAH", "MUHAMMAD RIZKI PRATAMA")[i % 3],
            alamat=f"JL. RAYA SUKOWATI NO. {i % 500}",
            photo=with_comment(self.photos[i % len(self.photos)], i),
            signature=self.signature,
        )

    def take(self, count: int, start: int = 0):
        return (self.card(i) for i in range(start, start + count))


def pin_to_one_core() -> str:
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    except (AttributeError, OSError):
        return "not pinned"


def bench_batch(cards: Cards, count: int) -> tuple[float, float]:
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        write_batch_pdf(cards.take(count), out)
        elapsed = time.perf_counter() - start
        size = out.tell()
    return count / elapsed, size / count / 1024


def bench_latency(cards: Cards, count: int) -> list[float]:
    for card in cards.take(20):
        render_pdf(card)
    times = []
    for card in cards.take(count, start=1000):
        start = time.perf_counter()
        render_pdf(card)
        times.append((time.perf_counter() - start) * 1000)
    return times


def bench_panels(cards: Cards, count: int) -> tuple[float, float, float]:
    pdfs = [render_pdf(card) for card in cards.take(count)]
    panels_from_pdf(pdfs[0])
    start = time.perf_counter()
    for pdf in pdfs:
        panels_from_pdf(pdf)
    from_pdf = count / (time.perf_counter() - start)
    start = time.perf_counter()
    for card in cards.take(count):
        render_panels(card)
    from_card = count / (time.perf_counter() - start)
    with tempfile.TemporaryFile() as out:
        write_batch_pdf(cards.take(count), out)
        out.seek(0)
        batch = out.read()
    start = time.perf_counter()
    for _ in iter_panels(batch):
        pass
    from_batch = count / (time.perf_counter() - start)
    return from_pdf, from_card, from_batch


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(count: int) -> None:
    """Run in a fresh process: write a `count`-card batch, print RSS figures in MB.

    The peak RSS high-water mark is reset (Linux `clear_refs`) after the photo pool is made,
    so the peak is the batch's own, the interpreter and libraries included.
    """
    cards = Cards()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS")
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        write_batch_pdf(cards.take(count), out)
        elapsed = time.perf_counter() - start
        size = out.tell()
    peak = _status_mb("VmHWM")
    print(f"{peak:.1f} {before:.1f} {elapsed:.1f} {size / 1e6:.0f}")


def bench_memory(count: int) -> tuple[float, float, float, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(count)],
        check=True, capture_output=True, text=True,
    )
    peak, baseline, elapsed, size = (float(v) for v in result.stdout.split())
    return peak, baseline, elapsed, size


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}"


def row(name: str, value: str, goal: str, ok: bool | str | None) -> str:
    status = ok if isinstance(ok, str) else "" if ok is None else ("met" if ok else "MISSED")
    return f"| {name:<44} | {value:>18} | {goal:>12} | {status:<6} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000,
                        help="cards in the memory batch (goal is stated for 100,000)")
    parser.add_argument("--batch", type=int, default=5_000, help="cards in the throughput batch")
    parser.add_argument("--latency", type=int, default=1_000, help="single cards timed")
    parser.add_argument("--panels", type=int, default=500, help="cards rasterised and split")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    pinned = pin_to_one_core()
    if args.memory_child:
        memory_child(args.memory_child)
        return

    print(f"Machine: {machine()}; benchmark {pinned}")
    cards = Cards()
    batch_rate, kib_per_card = bench_batch(cards, args.batch)
    times = bench_latency(cards, args.latency)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=100)[94]
    from_pdf, from_card, from_batch = bench_panels(cards, args.panels)
    peak, baseline, elapsed, size = bench_memory(args.cards)

    print(row("measure", "value", "goal", "status"))
    print("|" + "-" * 46 + "|" + "-" * 20 + "|" + "-" * 14 + "|" + "-" * 8 + "|")
    print(row(f"batch PDF, {args.batch} cards, one core", f"{batch_rate:.0f} cards/s",
              ">= 500/s", batch_rate >= GOALS["batch"]))
    print(row("batch PDF size per card", f"{kib_per_card:.1f} KiB", "", None))
    print(row(f"single-card PDF latency p50 ({args.latency} cards)", f"{p50:.2f} ms", "", None))
    print(row(f"single-card PDF latency p95 ({args.latency} cards)", f"{p95:.2f} ms",
              "<= 10 ms", p95 <= GOALS["latency_p95"]))
    print(row("raster 300 dpi + panel split, from the PDF", f"{from_pdf:.0f} cards/s",
              ">= 150/s", from_pdf >= GOALS["panels"]))
    print(row("raster + panel split, pages of a batch PDF", f"{from_batch:.0f} cards/s",
              ">= 150/s", from_batch >= GOALS["panels"]))
    print(row("card -> PDF -> raster + panels, end to end", f"{from_card:.0f} cards/s", "", None))
    print(row(f"peak RSS, {args.cards}-card batch ({elapsed:.0f} s, {size:.0f} MB)",
              f"{peak:.0f} MB", "<= 200 MB", peak <= GOALS["memory"]))
    print(row("  RSS before the batch (interpreter, libs)", f"{baseline:.0f} MB", "", None))


if __name__ == "__main__":
    main()

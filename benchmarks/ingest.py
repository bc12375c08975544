"""Ingest speed: the whole pipeline against bare pypdfium2, side by side.

    .venv/bin/python benchmarks/ingest.py [CORPUS] [--rounds 3] [--workers 2]
    .venv/bin/python benchmarks/ingest.py --reports 120

CORPUS is a folder of documents (default: ../shared/data/pdfs beside the
repository when it exists, else 120 report-like PDFs generated with
reportlab; ``--reports N`` asks for N generated reports whatever exists).
Each round runs, each in a fresh process, in alternating order:

- ``bare``: pypdfium2 text extraction of every PDF, page by page, in one
  process: the floor a pipeline cannot beat on one core;
- ``bare x2``: the same split over two processes, for reference;
- ``pipeline``: ``clearinghouse ingest --recursive`` on the corpus into an
  empty library (fresh data folder, migrated before the clock starts): sniffing,
  hashing, storage, extraction in isolated workers, thumbnails, language,
  suggestions, signatures, duplicate lookup, database rows and the full-text
  index.

Pages/s counts the pages whose text was read (the pipeline's Page rows).
Peak memory is the largest resident set of the main process and of any
worker. Prints a table of medians and, as its last line, one JSON object.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_PDFS = ROOT.parent / "shared" / "data" / "pdfs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--reports", type=int, metavar="N", help="measure N generated reports"
    )
    parser.add_argument("--child", choices=["bare", "bare2", "pipeline"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.corpus, args.workers)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus or default_corpus(Path(scratch), args.reports)
        runs = compare(corpus, args.rounds, args.workers)
    report(corpus, runs)


def default_corpus(scratch: Path, reports: int | None) -> Path:
    if SHARED_PDFS.is_dir() and not reports:
        return SHARED_PDFS
    folder = scratch / "corpus"
    folder.mkdir()
    generate_reports(folder, reports or 120)
    return folder


def compare(corpus: Path, rounds: int, workers: int) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {"bare": [], "bare2": [], "pipeline": []}
    kinds = list(runs)
    for n in range(rounds):
        order = kinds if n % 2 == 0 else kinds[::-1]
        for kind in order:
            runs[kind].append(run_child(kind, corpus, workers))
            print(f"round {n + 1} {kind:8} {runs[kind][-1]}", file=sys.stderr)
    return runs


def run_child(kind: str, corpus: Path, workers: int) -> dict:
    command = [sys.executable, __file__, str(corpus), "--child", kind]
    command += ["--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(corpus: Path, runs: dict[str, list[dict]]) -> None:
    def median(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[kind])

    ratios = [
        p["pages_per_s"] / b["pages_per_s"]
        for p, b in zip(runs["pipeline"], runs["bare"], strict=True)
    ]
    print(f"corpus: {corpus} ({runs['bare'][0]['files']} files)")
    print(f"{'':10} {'seconds':>8} {'pages':>6} {'pages/s':>8} {'files/s':>8}")
    for kind in runs:
        print(
            f"{kind:10} {median(kind, 'seconds'):8.2f} {median(kind, 'pages'):6.0f} "
            f"{median(kind, 'pages_per_s'):8.0f} {median(kind, 'files_per_s'):8.1f}"
        )
    pipeline = runs["pipeline"]
    print(
        f"pipeline / bare: {statistics.median(ratios):.0%} (median of "
        f"{len(ratios)} rounds: {', '.join(f'{r:.0%}' for r in ratios)})"
    )
    print(
        "pipeline CPU: main "
        f"{median('pipeline', 'cpu_main_s'):.1f} s, workers "
        f"{median('pipeline', 'cpu_workers_s'):.1f} s; peak memory: main "
        f"{median('pipeline', 'peak_main_mb'):.0f} MB, largest worker "
        f"{median('pipeline', 'peak_worker_mb'):.0f} MB; outcomes "
        f"{pipeline[0]['outcomes']}"
    )
    print(
        json.dumps(
            {
                "files": runs["bare"][0]["files"],
                "bare_pages_per_s": round(median("bare", "pages_per_s")),
                "bare2_pages_per_s": round(median("bare2", "pages_per_s")),
                "pipeline_pages_per_s": round(median("pipeline", "pages_per_s")),
                "pipeline_files_per_s": round(median("pipeline", "files_per_s"), 1),
                "ratio": round(statistics.median(ratios), 3),
                "peak_main_mb": round(median("pipeline", "peak_main_mb")),
                "peak_worker_mb": round(median("pipeline", "peak_worker_mb")),
                "rounds": len(ratios),
            }
        )
    )


# --- the timed children -----------------------------------------------------


def pdfs_in(corpus: Path) -> list[Path]:
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    return [p for p in files if p.read_bytes()[:1024].lstrip().startswith(b"%PDF")]


def bare_pages(path: Path) -> int:
    """Pages of ``path`` whose text pypdfium2 read, the plain way."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    read = 0
    try:
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
                read += 1
            except pdfium.PdfiumError:
                pass
    finally:
        pdf.close()
    return read


def bare(corpus: Path, workers: int) -> dict:
    files = pdfs_in(corpus)
    import pypdfium2  # noqa: F401 - loaded before the clock, as the pipeline's are

    start = time.perf_counter()
    pages = sum(bare_pages(path) for path in files)
    return figures(start, pages, len(files))


def bare2(corpus: Path, workers: int) -> dict:
    files = pdfs_in(corpus)
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(bare_pages, files[:2]))  # start the processes first
        start = time.perf_counter()
        pages = sum(pool.map(bare_pages, files, chunksize=4))
    return figures(start, pages, len(files))


def pipeline(corpus: Path, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as data:
        os.environ["CLEARINGHOUSE_DATA_DIR"] = data
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from rich.console import Console

        from clearinghouse.catalog.models import Page
        from clearinghouse.ingest.management.commands import ingest

        call_command("migrate", verbosity=0)
        ingest.WORKERS = workers
        files = ingest.collect_files([str(corpus)], recursive=True)
        console = Console(file=open(os.devnull, "w"))  # noqa: SIM115
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        rows = ingest.ingest_batch(files, publish=False, console=console)
        result = figures(start, Page.objects.count(), len(files))
    outcomes: dict[str, int] = {}
    for row in rows:
        outcomes[row["status"]] = outcomes.get(row["status"], 0) + 1
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    main_cpu = me.ru_utime + me.ru_stime - before.ru_utime - before.ru_stime
    return {
        **result,
        "cpu_main_s": round(main_cpu, 2),
        "cpu_workers_s": round(children.ru_utime + children.ru_stime, 2),
        "peak_main_mb": round(me.ru_maxrss / 1024),
        "peak_worker_mb": round(children.ru_maxrss / 1024),
        "outcomes": outcomes,
    }


def figures(start: float, pages: int, files: int) -> dict:
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        "pages": pages,
        "files": files,
        "pages_per_s": round(pages / seconds, 1),
        "files_per_s": round(files / seconds, 1),
    }


CHILDREN = {"bare": bare, "bare2": bare2, "pipeline": pipeline}


# --- a corpus when there is none --------------------------------------------


def generate_reports(folder: Path, count: int) -> None:
    """``count`` report-like PDFs of 4 to 40 pages: a cover, then prose."""
    import random

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    words = " ".join(
        [
            "child protection safeguarding online exploitation prevention survivors",
            "support services referral pathways policy practice evidence research",
            "trafficking labour migration recruitment debt bondage victims justice",
            "training practitioners social workers law enforcement cooperation data",
        ]
    ).split()
    rng = random.Random(7)
    for n in range(count):
        canvas = Canvas(str(folder / f"report-{n:03}.pdf"), pagesize=A4)
        canvas.setFont("Helvetica-Bold", 24)
        canvas.drawString(60, 700, f"Annual practice review {2000 + n % 25}")
        canvas.setFont("Helvetica", 12)
        canvas.drawString(60, 660, "A report by the Example Safeguarding Network")
        canvas.showPage()
        for _ in range(rng.randint(3, 39)):
            canvas.setFont("Helvetica", 10)
            for line in range(50):
                text = " ".join(rng.choice(words) for _ in range(12))
                canvas.drawString(50, 780 - 14 * line, text)
            canvas.showPage()
        canvas.save()


if __name__ == "__main__":
    main()
